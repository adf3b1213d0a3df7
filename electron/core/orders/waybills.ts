// The carrier and waybill number(s) (快递 / 面单号) each order row shows: the numbers of its parcels
// that have one, and the number the platform was told at shipping when no parcel here carries it
// (an order shipped from the platform's back office, or before this station).
import type { OrderWaybill } from '../../shared/contract.ts';
import { chunked, ID_CHUNK, sqlIn } from '../db/chunk.ts';
import type { Db } from '../db/open.ts';

export function waybillsOf(db: Db, orderIds: readonly string[]): Map<string, OrderWaybill[]> {
  const out = new Map<string, OrderWaybill[]>();
  const add = (orderId: string, w: OrderWaybill) => {
    const list = out.get(orderId) ?? [];
    if (!list.some((x) => x.waybillNo === w.waybillNo && x.carrierCode === w.carrierCode)) list.push(w);
    out.set(orderId, list);
  };
  for (const chunk of chunked(orderIds, ID_CHUNK)) {
    const ofPackages = sqlIn('order_id', chunk);
    // A cancelled parcel's number was given back; it is not where the goods are.
    const parcels = db.$client
      .prepare(
        `SELECT order_id, carrier_code, waybill_no FROM packages
          WHERE ${ofPackages.sql} AND waybill_no IS NOT NULL AND state <> 'cancelled' ORDER BY order_id, seq`,
      )
      .all(...ofPackages.params) as { order_id: string; carrier_code: string; waybill_no: string }[];
    for (const p of parcels) add(p.order_id, { carrierCode: p.carrier_code, waybillNo: p.waybill_no });
    const ofOrders = sqlIn('id', chunk);
    const shipped = db.$client
      .prepare(`SELECT id, carrier_code, waybill_no FROM orders WHERE ${ofOrders.sql} AND waybill_no IS NOT NULL`)
      .all(...ofOrders.params) as { id: string; carrier_code: string | null; waybill_no: string }[];
    for (const o of shipped) {
      const known = out.get(o.id)?.some((w) => w.waybillNo === o.waybill_no);
      if (!known) add(o.id, { carrierCode: o.carrier_code, waybillNo: o.waybill_no });
    }
  }
  return out;
}
