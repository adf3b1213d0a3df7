// Abnormal-order rules (异常订单): which reasons an order has, as the bitmask stored on orders, and
// a refresher that recomputes flags and search documents after a local edit.
import { abnormalBit, isOpenAfterSale, type AfterSaleState } from '../../shared/model.ts';
import { writeTx, type ReadDb, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { Columns, StoredOrder, StoredOrderItem } from '../db/rows.ts';
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

// Platforms hide digits of the receiver's number ("加密"/脱敏) before any API answers: Taobao/Tmall
// send `*******3459`, PDD/Douyin/Kuaishou/JD masked copies `138****1234`, and JD may hide the whole
// number (`****`). Each mask character stands for one hidden digit, so a masked value is judged by
// the digits it still shows and by its length; privacy numbers (隐私号) add an extension after the
// number (`13800001234-1234`, `13800001234转1234`). The shapes are listed in docs/platforms/phones.md.
const D = '[\\d*]'; // a digit, or a mask character standing for one
const EXTENSION = `(?:[-_#转]${D}{1,6})?`;
const MOBILE = new RegExp(`^[1*][3-9*]${D}{9}${EXTENSION}$`);
// A landline shows its leading 0, masked or not: without it any run of stars would pass as one.
const LANDLINE = new RegExp(`^0[1-9*]${D}{1,2}-?[2-9*]${D}{6,7}${EXTENSION}$`); // 0571-88886666, 01088886666-123, 0571-****6666
/** Every digit hidden: the platform withheld the number, which says nothing about it being wrong. */
const FULLY_MASKED = /^\*{3,}$/;

/**
 * Whether a receiver phone can be a phone number — dialled or handed to a carrier, or a platform's
 * masked copy of one. "Invalid" means the value cannot be a number at all ("12", "abc", too short).
 */
export function isValidPhone(phone: string): boolean {
  const p = phone
    .replace(/[\s()（）]/g, '')
    .replace(/＊/g, '*')
    .replace(/^(\+?86)-?(?=[1*])/, '');
  return FULLY_MASKED.test(p) || MOBILE.test(p) || LANDLINE.test(p);
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
  if (isOpenAfterSale(o.afterSale)) flags |= abnormalBit('refund_requested');
  return flags;
}

type OrderSourceRow = ReceiverColumns &
  Pick<Columns<StoredOrder>, 'seq' | 'id' | 'abnormal_flags' | 'platform_order_id' | 'buyer_nick' | 'buyer_message' | 'after_sale'>;

type ItemSourceRow = Pick<Columns<StoredOrderItem>, 'title' | 'outer_sku_code' | 'sku_id' | 'is_gift'>;

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
export function refreshOrders(tx: WriteTx, orderIds: string[]): void {
  const client = tx.$client;
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
    for (const d of docs) writeSearchDoc(tx, d.seq, d.source, true);
  })();
}

/**
 * The phone rule whose verdicts stored invalid_phone bits carry; raise it whenever isValidPhone
 * changes. Version 2 accepts the platforms' masked shapes (version 1 flagged `*******3459`/`****`).
 */
export const PHONE_RULE_VERSION = 2;
const PHONE_RULE_KEY = 'abnormal.phoneRule';

/**
 * Bring stored invalid_phone bits in line with the current phone rule, once per rule version: a
 * station that synced under an older rule would otherwise keep false alarms until each order next
 * changes. Reads only (seq, phone, flags) a page at a time and rewrites just the rows whose bit
 * differs, in one transaction that also records the version — so it runs once, and a crash midway
 * leaves it to run again in full. Returns the number of orders whose flag changed.
 */
export function ensurePhoneFlags(db: ReadDb): number {
  const client = db.$client;
  const marker = client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(PHONE_RULE_KEY);
  if (marker?.value === String(PHONE_RULE_VERSION)) return 0;
  const bit = abnormalBit('invalid_phone');
  const page = client.prepare<[number], { seq: number; receiver_phone: string; abnormal_flags: number }>(
    'SELECT seq, receiver_phone, abnormal_flags FROM orders WHERE seq > ? ORDER BY seq LIMIT 5000',
  );
  const setFlags = client.prepare<[number, number]>('UPDATE orders SET abnormal_flags = ? WHERE seq = ?');
  let changed = 0;
  // Start-up upkeep, not a command: it opens its own write transaction.
  writeTx(db, () => {
    // Paged by seq: better-sqlite3 cannot write while a read cursor is open on the connection.
    for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.seq)) {
      for (const r of rows) {
        const want = isValidPhone(r.receiver_phone) ? 0 : bit;
        if ((r.abnormal_flags & bit) === want) continue;
        setFlags.run((r.abnormal_flags & ~bit) | want, r.seq);
        changed++;
      }
    }
    client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(PHONE_RULE_KEY, String(PHONE_RULE_VERSION));
  });
  return changed;
}
