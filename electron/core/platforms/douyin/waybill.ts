// Douyin 抖店 e-waybills (电子面单取号): logistics.newCreateOrder with the order id and our package id
// as pack_id — doudian returns the old number when the same order_id + pack_id is asked again, which
// makes a retry after a lost answer safe. Per-package refusals come back in err_infos; the routing
// marks (sort code, 集包地, 大头笔) in ebill_infos. No print data is returned: printing uses Douyin's
// templates and print component. Spec: docs/platforms/douyin.md#waybill-idempotency-sourced,
// docs/platforms/common.md#receiver-data-pii-and-native-waybills.
import type { WaybillRequest, WaybillResult, WaybillRouting } from '../contract.ts';
import { allocateInCalls } from '../waybill-calls.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { DOUDIAN_COMPANY_CODES, type DoudianCaller } from './pushback.ts';

export const NEW_CREATE_ORDER = 'logistics.newCreateOrder';
/** order_infos per call: the sources give no limit [UNVERIFIED]; 10 keeps each call (and its loss) small. */
export const WAYBILL_BATCH = 10;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * One order_info (docs/platforms/douyin.md#waybill-idempotency-sourced lists order_id, pack_id,
 * receiver_info{address, contact}, items, total_pack_count). The field names inside address/contact/items are
 * [UNVERIFIED]; a Douyin order's receiver goes as its own ciphertexts
 * (docs/platforms/common.md#receiver-data-pii-and-native-waybills), which the platform decrypts itself.
 */
export function orderInfo(r: WaybillRequest): Record<string, unknown> {
  const enc = receiverCipher(r.receiver.cipher, { complete: true });
  return {
    order_id: r.platformOrderId,
    pack_id: r.packageId,
    receiver_info: {
      address: { province_name: r.receiver.province, city_name: r.receiver.city, district_name: r.receiver.district, street_name: r.receiver.town ?? '', detail_address: enc?.address ?? r.receiver.address, country_code: 'CHN' },
      contact: { name: enc?.name ?? r.receiver.name, mobile: enc?.phone ?? r.receiver.phone },
    },
    items: r.items.map((i) => ({ item_name: i.name, item_count: i.count })),
    total_pack_count: 1,
    ...(r.options.productType ? { product_type: r.options.productType } : {}),
  };
}

function routingOf(e: Record<string, unknown>): WaybillRouting {
  const out: WaybillRouting = { sortCode: str(e.sort_code) || null };
  if (str(e.package_center_code)) out.packageCenterCode = str(e.package_center_code);
  if (str(e.package_center_name)) out.packageCenterName = str(e.package_center_name);
  if (str(e.short_address_code)) out.shortAddressCode = str(e.short_address_code);
  if (str(e.short_address_name)) out.shortAddressName = str(e.short_address_name);
  return out;
}

async function callChunk(call: DoudianCaller, chunk: WaybillRequest[]): Promise<WaybillResult[]> {
  const first = chunk[0] as WaybillRequest;
  const s = first.sender;
  const param: Record<string, unknown> = {
    sender_info: {
      address: { province_name: s.province, city_name: s.city, district_name: s.district, detail_address: s.address, country_code: 'CHN' },
      contact: { name: s.name, mobile: s.mobile },
    },
    logistics_code: DOUDIAN_COMPANY_CODES[first.carrierCode],
    order_infos: chunk.map(orderInfo),
  };
  if (first.options.userId) param.user_id = Number(first.options.userId);
  const data = await call(NEW_CREATE_ORDER, param);
  // Keyed by pack_id: it is our package id, unique even when two packages share an order.
  const ok = new Map<string, Record<string, unknown>>();
  for (const e of Array.isArray(data.ebill_infos) ? data.ebill_infos : []) if (isRecord(e) && str(e.pack_id)) ok.set(str(e.pack_id), e);
  const failed = new Map<string, Record<string, unknown>>();
  for (const e of Array.isArray(data.err_infos) ? data.err_infos : []) if (isRecord(e) && str(e.pack_id)) failed.set(str(e.pack_id), e);
  return chunk.map((req): WaybillResult => {
    const e = ok.get(req.packageId);
    if (e && str(e.track_no)) return { kind: 'allocated', packageId: req.packageId, waybillNo: str(e.track_no), routing: routingOf(e), printData: null };
    const err = failed.get(req.packageId);
    const reason = err ? `${str(err.err_code)} ${str(err.err_msg)}`.trim() : 'doudian returned no track_no for this pack_id';
    return { kind: 'refused', packageId: req.packageId, reason };
  });
}

/** Allocate through logistics.newCreateOrder, 10 per call (waybill-calls.ts); refusals come per pack in err_infos. Transport/throttle/auth errors throw. */
export function allocateDoudianWaybills(call: DoudianCaller, requests: WaybillRequest[]): Promise<WaybillResult[]> {
  return allocateInCalls(requests, { batch: WAYBILL_BATCH, call: (chunk) => callChunk(call, chunk) });
}
