// Packing slips (发货单): one per order, built from the order as stored — the receiver stays as the
// platform sent it (masked unless someone revealed it), so a slip never shows more than the workbench.
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredOrderItem, StoredShop } from '../db/rows.ts';
import type { PickKind } from './picklist.ts';
import { resolveOrderIds } from './picklist.ts';

export interface SlipItem {
  title: string;
  skuName: string | null;
  outerSkuCode: string | null;
  kind: PickKind;
  quantity: number;
  unitPriceFen: number;
  paidFen: number;
}

export interface PackingSlip {
  orderId: string;
  platformOrderId: string;
  shopName: string;
  buyerNick: string;
  receiver: { name: string; phone: string; address: string };
  paidAt: number | null;
  carrierCode: string | null;
  waybillNo: string | null;
  items: SlipItem[];
  buyerMessage: string | null;
  sellerMemo: string | null;
  goodsFen: number;
  shippingFen: number;
  discountFen: number;
  paidFen: number;
}

type OrderRow = Pick<
  StoredOrder,
  | 'id'
  | 'platformOrderId'
  | 'buyerNick'
  | 'receiverName'
  | 'receiverPhone'
  | 'receiverProvince'
  | 'receiverCity'
  | 'receiverDistrict'
  | 'receiverTown'
  | 'receiverAddress'
  | 'paidAt'
  | 'carrierCode'
  | 'waybillNo'
  | 'buyerMessage'
  | 'sellerMemo'
  | 'goodsFen'
  | 'shippingFen'
  | 'discountFen'
  | 'paidFen'
> & { shopName: StoredShop['name'] };

type ItemRow = Pick<
  StoredOrderItem,
  'orderId' | 'title' | 'skuName' | 'outerSkuCode' | 'quantity' | 'unitPriceFen' | 'paidFen' | 'isGift' | 'isBundle'
>;

/** Province, city, district, town and street run together, as Chinese addresses are written. */
export function fullAddress(r: Pick<OrderRow, 'receiverProvince' | 'receiverCity' | 'receiverDistrict' | 'receiverTown' | 'receiverAddress'>): string {
  return [r.receiverProvince, r.receiverCity, r.receiverDistrict, r.receiverTown ?? '', r.receiverAddress].join('');
}

/** The slips in the order the ids were given (the batch's print order); duplicates once. */
export function buildPackingSlips(db: Db, ids: readonly string[]): PackingSlip[] {
  const orderIds = resolveOrderIds(db, ids);
  const json = JSON.stringify(orderIds);
  const c = db.$client;
  // The order's own waybill (told to the platform) or else its first allocated package's.
  const orders = c
    .prepare(
      `SELECT o.id, o.platform_order_id AS platformOrderId, s.name AS shopName, o.buyer_nick AS buyerNick,
              o.receiver_name AS receiverName, o.receiver_phone AS receiverPhone, o.receiver_province AS receiverProvince,
              o.receiver_city AS receiverCity, o.receiver_district AS receiverDistrict, o.receiver_town AS receiverTown,
              o.receiver_address AS receiverAddress, o.paid_at AS paidAt,
              COALESCE(o.carrier_code, (SELECT p.carrier_code FROM packages p WHERE p.order_id = o.id AND p.waybill_no IS NOT NULL ORDER BY p.seq LIMIT 1)) AS carrierCode,
              COALESCE(o.waybill_no, (SELECT p.waybill_no FROM packages p WHERE p.order_id = o.id AND p.waybill_no IS NOT NULL ORDER BY p.seq LIMIT 1)) AS waybillNo,
              o.buyer_message AS buyerMessage, o.seller_memo AS sellerMemo,
              o.goods_fen AS goodsFen, o.shipping_fen AS shippingFen, o.discount_fen AS discountFen, o.paid_fen AS paidFen
         FROM orders o JOIN shops s ON s.id = o.shop_id
        WHERE o.id IN (SELECT value FROM json_each(?))`,
    )
    .all(json) as OrderRow[];
  const items = c
    .prepare(
      `SELECT order_id AS orderId, title, sku_name AS skuName, outer_sku_code AS outerSkuCode, quantity,
              unit_price_fen AS unitPriceFen, paid_fen AS paidFen, is_gift AS isGift, is_bundle AS isBundle
         FROM order_items WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, line_no`,
    )
    .all(json) as ItemRow[];
  const itemsByOrder = new Map<string, SlipItem[]>();
  for (const i of items) {
    let list = itemsByOrder.get(i.orderId);
    if (!list) itemsByOrder.set(i.orderId, (list = []));
    list.push({
      title: i.title,
      skuName: i.skuName,
      outerSkuCode: i.outerSkuCode,
      kind: i.isGift === 1 ? 'gift' : i.isBundle === 1 ? 'bundle' : 'normal',
      quantity: i.quantity,
      unitPriceFen: i.unitPriceFen,
      paidFen: i.paidFen,
    });
  }
  const byId = new Map(orders.map((o) => [o.id, o]));
  return orderIds.map((id) => {
    const o = byId.get(id) as OrderRow;
    return {
      orderId: o.id,
      platformOrderId: o.platformOrderId,
      shopName: o.shopName,
      buyerNick: o.buyerNick,
      receiver: { name: o.receiverName, phone: o.receiverPhone, address: fullAddress(o) },
      paidAt: o.paidAt,
      carrierCode: o.carrierCode,
      waybillNo: o.waybillNo,
      items: itemsByOrder.get(id) ?? [],
      buyerMessage: o.buyerMessage?.trim() || null,
      sellerMemo: o.sellerMemo?.trim() || null,
      goodsFen: o.goodsFen,
      shippingFen: o.shippingFen,
      discountFen: o.discountFen,
      paidFen: o.paidFen,
    };
  });
}
