// PDD e-waybills (电子面单取号): pdd.waybill.get with ≤ 10 packages per call, the package id as
// object_id (how the answer's modules are matched back to packages), PDD's encrypted receivers
// passed as their ciphertexts (the platform decrypts them itself) and plaintext for orders that have
// none. Protocol facts: docs/platforms/pdd.md. PDD documents no idempotency for object_id: asking
// again after a lost answer may get a new number, which the allocation flow simply stores (the lost
// one is never printed), and the loopback gateway issues a new one every time.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { WaybillRequest, WaybillResult, WaybillRouting } from '../contract.ts';
import { allocateInCalls } from '../waybill-calls.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { pddBusinessRefusal, type PddCall } from './push.ts';

export const WAYBILL_TYPE = 'pdd.waybill.get';
/** trade_order_info_dtos[≤10] (docs/platforms/pdd.md#waybill-idempotency). */
export const WAYBILL_BATCH = 10;
export const WAYBILL_PARAM = 'param_waybill_cloud_print_apply_new_request';

/**
 * PDD wp_code per carrier. docs/platforms/pdd.md#waybill-idempotency names the field only; every code below
 * is [UNVERIFIED] (the usual PDD 快递公司编码) — check them against the shop's waybill subscriptions before going
 * live.
 */
export const PDD_WP_CODES: Readonly<Record<CarrierCode, string>> = {
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JTSD: 'JTSD',
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'YZXB',
  JD: 'JD',
  DBL: 'DEBANGWULIU',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function pddTradeOrderInfo(r: WaybillRequest): Record<string, unknown> {
  const enc = receiverCipher(r.receiver.cipher, { complete: true });
  return {
    object_id: r.packageId,
    order_info: { order_channels_type: 'PDD', trade_order_list: [r.platformOrderId] },
    package_info: { id: r.packageId, items: r.items.map((i) => ({ name: i.name, count: i.count })), total_packages_count: 1 },
    // Encrypted PDD orders: the ciphertexts go in the plaintext fields [UNVERIFIED:
    // docs/platforms/pdd.md#waybill-idempotency lists recipient{…} without its fields].
    recipient: {
      name: enc?.name ?? r.receiver.name,
      mobile: enc?.phone ?? r.receiver.phone,
      address: { province: r.receiver.province, city: r.receiver.city, district: r.receiver.district, town: r.receiver.town ?? '', detail: enc?.address ?? r.receiver.address, country: '中国' },
    },
    // [UNVERIFIED] default template id; set the account's templateUrl from the shop's PDD templates.
    template_url: r.options.templateUrl || 'https://file-link.pinduoduo.com/yzt_std_template',
    ...(r.options.userId ? { user_id: Number(r.options.userId) } : {}),
  };
}

/** Routing from PDD print_data: clear data (need_encrypt=false) carries routingInfo like Cainiao's [UNVERIFIED keys]. */
function routingOf(printData: string): WaybillRouting {
  try {
    const p: unknown = JSON.parse(printData);
    const data = isRecord(p) && isRecord(p.data) ? p.data : null;
    const routing = data && isRecord(data.routingInfo) ? data.routingInfo : null;
    const sort = routing && isRecord(routing.sortation) ? str(routing.sortation.name) : '';
    return { sortCode: sort || null };
  } catch {
    return { sortCode: null };
  }
}

async function callChunk(call: PddCall, chunk: WaybillRequest[]): Promise<WaybillResult[]> {
  const first = chunk[0] as WaybillRequest;
  const s = first.sender;
  const body = await call(WAYBILL_TYPE, {
    [WAYBILL_PARAM]: {
      wp_code: PDD_WP_CODES[first.carrierCode],
      sender: { name: s.name, mobile: s.mobile, address: { province: s.province, city: s.city, district: s.district, detail: s.address, country: '中国' } },
      trade_order_info_dtos: chunk.map(pddTradeOrderInfo),
      need_encrypt: first.options.needEncrypt !== 'false',
    },
  });
  const r = isRecord(body.pdd_waybill_get_response) ? body.pdd_waybill_get_response : {};
  const byObject = new Map<string, Record<string, unknown>>();
  for (const m of Array.isArray(r.modules) ? r.modules : []) if (isRecord(m) && str(m.object_id)) byObject.set(str(m.object_id), m);
  return chunk.map((req): WaybillResult => {
    const m = byObject.get(req.packageId);
    const waybillNo = m ? str(m.waybill_code) : '';
    if (!m || !waybillNo) return { kind: 'refused', packageId: req.packageId, reason: 'PDD returned no waybill_code for this object_id' };
    const printData = str(m.print_data) || null;
    return { kind: 'allocated', packageId: req.packageId, waybillNo, routing: printData ? routingOf(printData) : { sortCode: null }, printData };
  });
}

/**
 * Allocate through pdd.waybill.get. Requests are grouped by carrier, sender and options (wp_code and
 * sender are per call), 10 per call; a business refusal of a multi-package call (an error_response:
 * no module, so no number was issued) is retried one package at a time. Transport/throttle/auth
 * errors throw.
 */
export function allocatePddWaybills(call: PddCall, requests: WaybillRequest[]): Promise<WaybillResult[]> {
  return allocateInCalls(requests, { batch: WAYBILL_BATCH, call: (chunk) => callChunk(call, chunk), refusal: pddBusinessRefusal });
}
