// Abnormal-order rules (异常订单): which reasons an order has, as the bitmask stored on orders, and
// a refresher that recomputes flags and search documents after a local edit.
import { abnormalBit, type AfterSaleState } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import { writeSearchDoc, type SearchSource } from './search.ts';
import { RECEIVER_COLUMNS, receiverFromRow, type ReceiverColumns } from './receiver-row.ts';

export interface AbnormalInput {
  receiver: { phone: string; province: string; city: string; district: string; address: string };
  buyerMessage: string | null;
  afterSale: AfterSaleState | string;
  items: { skuId: string | null; isGift?: boolean }[];
}

/** Shorter than this (in characters) a detail address cannot name a street and a number. */
const MIN_ADDRESS_CHARS = 4;

const MOBILE = /^1[3-9]\d[\d*]{4}\d{4}$/; // plain 13800001234 or platform-masked 138****1234
const MOBILE_WITH_EXTENSION = /^1[3-9]\d[\d*]{4}\d{4}[-_#转]\d{1,6}$/; // virtual numbers: 13800001234-1234
const LANDLINE = /^0[1-9]\d{1,2}-?[2-9]\d{6,7}([-_#转]\d{1,6})?$/; // 0571-88886666, 01088886666-123

/** Whether a receiver phone can be dialled or handed to a carrier (masked forms count). */
export function isValidPhone(phone: string): boolean {
  const p = phone.replace(/[\s()（）]/g, '').replace(/^(\+?86)-?(?=1)/, '');
  return MOBILE.test(p) || MOBILE_WITH_EXTENSION.test(p) || LANDLINE.test(p);
}

export function isIncompleteAddress(r: AbnormalInput['receiver']): boolean {
  if (!r.province.trim() || !r.city.trim() || !r.district.trim()) return true;
  return [...r.address.trim()].length < MIN_ADDRESS_CHARS;
}

export function abnormalFlagsFor(o: AbnormalInput): number {
  let flags = 0;
  if (isIncompleteAddress(o.receiver)) flags |= abnormalBit('incomplete_address');
  if (!isValidPhone(o.receiver.phone)) flags |= abnormalBit('invalid_phone');
  // A gift line with no local SKU still ships (the packer adds it), so it does not block review.
  if (o.items.some((i) => !i.isGift && i.skuId === null)) flags |= abnormalBit('unmatched_sku');
  if (o.buyerMessage !== null && o.buyerMessage.trim() !== '') flags |= abnormalBit('buyer_message');
  if (o.afterSale === 'requested' || o.afterSale === 'in_progress') flags |= abnormalBit('refund_requested');
  return flags;
}

interface OrderSourceRow extends ReceiverColumns {
  seq: number;
  id: string;
  abnormal_flags: number;
  platform_order_id: string;
  buyer_nick: string;
  buyer_message: string | null;
  after_sale: string;
}

interface ItemSourceRow {
  title: string;
  outer_sku_code: string | null;
  sku_id: string | null;
  is_gift: number;
}

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();

function prepare(client: Db['$client']) {
  return {
    order: client.prepare<[string], OrderSourceRow>(
      `SELECT seq, id, abnormal_flags, platform_order_id, buyer_nick, buyer_message, after_sale, ${RECEIVER_COLUMNS}
         FROM orders WHERE id = ?`,
    ),
    items: client.prepare<[string], ItemSourceRow>(
      'SELECT title, outer_sku_code, sku_id, is_gift FROM order_items WHERE order_id = ? ORDER BY line_no',
    ),
    setFlags: client.prepare<[number, number]>('UPDATE orders SET abnormal_flags = ? WHERE seq = ?'),
  };
}

/**
 * Recompute abnormal flags and the search document of these orders from what is stored now —
 * called after local edits (address, items). Runs in the caller's transaction when there is one.
 */
export function refreshOrders(db: Db, orderIds: string[]): void {
  const client = db.$client;
  let s = statements.get(client);
  if (!s) {
    s = prepare(client);
    statements.set(client, s);
  }
  const st = s;
  // Search documents go last: FTS5 flushes at every statement savepoint (see ingest.ts).
  const docs: { seq: number; source: SearchSource }[] = [];
  client.transaction(() => {
    for (const id of orderIds) {
      const o = st.order.get(id);
      if (!o) continue;
      const items = st.items.all(id);
      const receiver = receiverFromRow(o);
      const flags = abnormalFlagsFor({
        receiver,
        buyerMessage: o.buyer_message,
        afterSale: o.after_sale,
        items: items.map((i) => ({ skuId: i.sku_id, isGift: i.is_gift === 1 })),
      });
      if (flags !== o.abnormal_flags) st.setFlags.run(flags, o.seq);
      const source: SearchSource = {
        platformOrderId: o.platform_order_id,
        buyerNick: o.buyer_nick,
        receiver,
        items: items.map((i) => ({ title: i.title, outerSkuCode: i.outer_sku_code })),
      };
      docs.push({ seq: o.seq, source });
    }
    for (const d of docs) writeSearchDoc(db, d.seq, d.source, true);
  })();
}
