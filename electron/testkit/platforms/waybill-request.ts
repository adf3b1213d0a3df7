// Test support for the platforms' e-waybill tests: the request the allocation flow builds for one
// order (its receiver as stored, its items by title) and the one result a test expects to be
// allocated. Tests only.
import type { PlatformOrder } from '../../shared/model.ts';
import type { WaybillRequest, WaybillResult, WaybillSender } from '../../core/platforms/contract.ts';

/** The warehouse the tests ship from. */
export const WAREHOUSE_SENDER: WaybillSender = { name: '王仓管', mobile: '13900001111', province: '浙江省', city: '杭州市', district: '余杭区', address: '仓前街道 88 号' };

/** A 中通 waybill request for `o` as package `packageId` from the warehouse; `over` changes any field. */
export function waybillRequest(o: PlatformOrder, packageId: string, over: Partial<WaybillRequest> = {}): WaybillRequest {
  return {
    packageId,
    platformOrderId: o.platformOrderId,
    carrierCode: 'ZTO',
    sender: WAREHOUSE_SENDER,
    receiver: { ...o.receiver },
    items: o.items.map((i) => ({ name: i.title, count: i.quantity })),
    options: {},
    ...over,
  };
}

/** The result when it is an allocated number; anything else fails the test with what came back. */
export const allocated = (r: WaybillResult | undefined) => {
  if (r?.kind !== 'allocated') throw new Error(`expected allocated, got ${JSON.stringify(r)}`);
  return r;
};
