// Builds a label's data from an order as stored: its receiver (masked unless decrypted), items, buyer
// message, and its package's waybill, sort code and waybill account sender — or a 样张 sample without one.
import { CARRIERS } from '../../shared/carriers.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredOrderItem, StoredPackage, StoredShop, StoredWaybillAccount } from '../db/rows.ts';
import type { LabelData } from './templates.ts';

type OrderRow = Pick<
  StoredOrder,
  | 'id'
  | 'buyerMessage'
  | 'receiverName'
  | 'receiverPhone'
  | 'receiverProvince'
  | 'receiverCity'
  | 'receiverDistrict'
  | 'receiverTown'
  | 'receiverAddress'
  | 'carrierCode'
  | 'waybillNo'
> & { shopName: StoredShop['name'] };

/** The package and, through a LEFT JOIN, its waybill account's settings (null without an account). */
type PackageRow = Pick<StoredPackage, 'seq' | 'carrierCode' | 'waybillNo' | 'routing' | 'state'> & {
  accountSettings: StoredWaybillAccount['settings'] | null;
};

type ItemRow = Pick<StoredOrderItem, 'title' | 'skuName' | 'quantity' | 'isGift'>;

export interface OrderLabelOptions {
  /** Which package of the order (1-based); default the first one that has a waybill, else 1. */
  packageSeq?: number;
  /** The batch marker; default the package's place among the order's packages. */
  seq?: number;
  total?: number;
  customText?: string;
  reprint?: boolean;
}

function carrierName(code: string | null): string {
  if (!code) return '';
  return CARRIERS.find((c) => c.code === code)?.zh ?? code;
}

function parseJson(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Finds the order by its id or, failing that, its platform order number (refused when two shops share it). */
function findOrder(db: Db, ref: string): OrderRow {
  const select = `SELECT o.id, s.name AS shopName, o.buyer_message AS buyerMessage, o.receiver_name AS receiverName,
      o.receiver_phone AS receiverPhone, o.receiver_province AS receiverProvince, o.receiver_city AS receiverCity,
      o.receiver_district AS receiverDistrict, o.receiver_town AS receiverTown, o.receiver_address AS receiverAddress,
      o.carrier_code AS carrierCode, o.waybill_no AS waybillNo
    FROM orders o JOIN shops s ON s.id = o.shop_id`;
  const byId = db.$client.prepare<[string], OrderRow>(`${select} WHERE o.id = ?`).get(ref);
  if (byId) return byId;
  const byNo = db.$client.prepare<[string], OrderRow>(`${select} WHERE o.platform_order_id = ? LIMIT 2`).all(ref);
  if (byNo.length === 1) return byNo[0] as OrderRow;
  if (byNo.length > 1) throw reasonError('order.ambiguous_number', { ref }, `Order number ${ref} exists in more than one shop; pass the order id`);
  throw reasonError('order.not_found', { id: ref }, `No order ${ref}`);
}

export function labelDataForOrder(db: Db, orderRef: string, opts: OrderLabelOptions = {}): LabelData {
  const order = findOrder(db, orderRef);
  const packages = db.$client
    .prepare<[string], PackageRow>(
      `SELECT p.seq, p.carrier_code AS carrierCode, p.waybill_no AS waybillNo, p.routing, p.state, a.settings AS accountSettings
       FROM packages p LEFT JOIN waybill_accounts a ON a.id = p.account_id
       WHERE p.order_id = ? AND p.state <> 'cancelled' ORDER BY p.seq`,
    )
    .all(order.id);
  const pkg =
    opts.packageSeq !== undefined
      ? packages.find((p) => p.seq === opts.packageSeq)
      : (packages.find((p) => p.waybillNo) ?? packages[0]);
  if (opts.packageSeq !== undefined && !pkg) {
    throw reasonError('package.seq_not_found', { orderRef, packageSeq: opts.packageSeq }, `Order ${orderRef} has no package ${opts.packageSeq}`);
  }

  const items = db.$client
    .prepare<[string], ItemRow>('SELECT title, sku_name AS skuName, quantity, is_gift AS isGift FROM order_items WHERE order_id = ? ORDER BY line_no')
    .all(order.id);
  const itemSummary = items.map((i) => `${i.isGift ? '赠品：' : ''}${i.title}${i.skuName ? ` ${i.skuName}` : ''} ×${i.quantity}`).join('；');

  const routing = parseJson(pkg?.routing ?? null);
  const sender = parseJson(pkg?.accountSettings ?? null).sender as Record<string, unknown> | null | undefined;
  // A package's own number first; an order shipped elsewhere may carry only the order-level number.
  const waybillNo = pkg?.waybillNo ?? order.waybillNo ?? null;
  const carrier = pkg?.carrierCode ?? order.carrierCode;
  const index = pkg ? packages.indexOf(pkg) + 1 : 1;

  return {
    sortCode: str(routing.sortCode) || str(routing.shortAddressName) || str(routing.shortAddressCode),
    waybillNo: waybillNo ?? 'SAMPLE',
    carrierName: carrierName(carrier) || '未分配快递',
    receiver: {
      name: order.receiverName,
      phone: order.receiverPhone,
      address: [order.receiverProvince, order.receiverCity, order.receiverDistrict, order.receiverTown ?? '', order.receiverAddress].join(''),
    },
    sender: sender
      ? { name: str(sender.name), phone: str(sender.mobile), address: [sender.province, sender.city, sender.district, sender.address].map(str).join('') }
      : { name: order.shopName, phone: '', address: '' },
    itemSummary,
    buyerMessage: order.buyerMessage ?? '',
    seq: opts.seq ?? index,
    total: opts.total ?? Math.max(1, packages.length),
    customText: opts.customText ?? '',
    reprint: opts.reprint ?? false,
    // No number yet: the label is a preview and says so, so it never ends up on a parcel.
    sample: waybillNo === null,
    carrierCode: carrier ?? null,
  };
}
