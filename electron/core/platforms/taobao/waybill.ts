// Cainiao e-waybills (电子面单取号) through TOP: cainiao.waybill.ii.get, signed like any TOP call, ≤ 10
// packages per call, the package id as object_id (the idempotency key), Taobao's encrypted receivers
// passed as oaid + tid instead of plaintext. Spec:
// docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget,
// docs/platforms/common.md#receiver-data-pii-and-native-waybills. That the same object_id gets the same
// number again is not documented for Cainiao (the sources give it for Douyin's pack_id only,
// docs/platforms/douyin.md#waybill-idempotency-sourced), so nothing relies on it: a retry after a lost
// answer stores the new number, and the loopback gateway issues a new one on every call.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { WaybillRequest, WaybillResult, WaybillRouting } from '../contract.ts';
import { TOP_COMPANY_CODES } from './carriers.ts';
import { allocateInCalls } from '../waybill-calls.ts';
import { topBusinessRefusal, type TopCall } from './push.ts';

export const WAYBILL_METHOD = 'cainiao.waybill.ii.get';
/** trade_order_info_dtos[≤10] (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget). */
export const WAYBILL_BATCH = 10;
/**
 * The request's one param, a JSON string
 * (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget).
 */
export const WAYBILL_PARAM = 'param_waybill_cloud_print_apply_new_request';
/**
 * Standard template when the account names none:
 * docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget gives the shape
 * http://cloudprint.cainiao.com/template/standard/${id}; the id 101 is [UNVERIFIED] — set the account's
 * templateUrl from cainiao.cloudprint.stdtemplates.get.
 */
export const DEFAULT_TEMPLATE_URL = 'http://cloudprint.cainiao.com/template/standard/101';

/**
 * cp_code per carrier: Cainiao's cp_codes are TOP's company codes
 * (docs/platforms/taobao.md#push-backs-and-decrypt,
 * docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget; the codes themselves are
 * [UNVERIFIED], see carriers.ts).
 */
export const cpCodeOf = (c: CarrierCode): string => TOP_COMPANY_CODES[c];

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A TOP JSON list: a bare array, or wrapped as {<item key>: [...]} (TOP's JSON wraps lists; the key is [UNVERIFIED] for modules). */
function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) for (const v of Object.values(value)) if (Array.isArray(v)) return v;
  return [];
}

/**
 * The trade_order_info_dto for one package
 * (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget).
 */
export function tradeOrderInfo(r: WaybillRequest, channel: string): Record<string, unknown> {
  const recipient: Record<string, unknown> = {
    address: { province: r.receiver.province, city: r.receiver.city, district: r.receiver.district, town: r.receiver.town ?? '', detail: r.receiver.address },
  };
  // Encrypted Taobao orders: oaid + tid instead of plaintext ("淘宝订单加密情况用于解密",
  // docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget,
  // docs/platforms/common.md#receiver-data-pii-and-native-waybills).
  if (r.receiver.cipher) {
    recipient.oaid = r.receiver.cipher;
    recipient.tid = r.platformOrderId;
  } else {
    recipient.name = r.receiver.name;
    recipient.mobile = r.receiver.phone;
  }
  const dto: Record<string, unknown> = {
    object_id: r.packageId,
    template_url: r.options.templateUrl || DEFAULT_TEMPLATE_URL,
    order_info: { order_channels_type: channel, trade_order_list: [r.platformOrderId] },
    package_info: { id: r.packageId, items: r.items.map((i) => ({ name: i.name, count: i.count })) },
    recipient,
  };
  if (r.options.userId) dto.user_id = r.options.userId;
  return dto;
}

/**
 * Routing from print_data. With need_encrypt=false the print data carries `data` in clear and its
 * routingInfo (sortation = 三段码) — key names [UNVERIFIED]; with need_encrypt=true the sort code is
 * inside encryptedData, rendered by the print component only, so it stays null here.
 */
export function routingFromPrintData(printData: string): WaybillRouting {
  try {
    const parsed: unknown = JSON.parse(printData);
    const data = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : null;
    const routing = data && isRecord(data.routingInfo) ? data.routingInfo : null;
    const sortation = routing && isRecord(routing.sortation) ? str(routing.sortation.name) : '';
    const out: WaybillRouting = { sortCode: sortation || null };
    const consolidation = routing && isRecord(routing.consolidation) ? routing.consolidation : null;
    if (consolidation) {
      if (str(consolidation.code)) out.packageCenterCode = str(consolidation.code);
      if (str(consolidation.name)) out.packageCenterName = str(consolidation.name);
    }
    return out;
  } catch {
    return { sortCode: null };
  }
}

/** Requests that can share one call: same carrier, sender and options (cp_code and sender are per call). */
async function callChunk(call: TopCall, chunk: WaybillRequest[], channel: string): Promise<WaybillResult[]> {
  const first = chunk[0] as WaybillRequest;
  const s = first.sender;
  const request = {
    cp_code: cpCodeOf(first.carrierCode),
    sender: { name: s.name, mobile: s.mobile, address: { province: s.province, city: s.city, district: s.district, detail: s.address } },
    // Encrypted print data unless the account asks for clear data (self-rendered labels,
    // docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget).
    need_encrypt: first.options.needEncrypt !== 'false',
    trade_order_info_dtos: chunk.map((r) => tradeOrderInfo(r, channel)),
  };
  const r = await call(WAYBILL_METHOD, { [WAYBILL_PARAM]: JSON.stringify(request) });
  const byObject = new Map<string, Record<string, unknown>>();
  for (const m of listOf(r.modules)) if (isRecord(m) && str(m.object_id)) byObject.set(str(m.object_id), m);
  return chunk.map((req): WaybillResult => {
    const m = byObject.get(req.packageId);
    const waybillNo = m ? str(m.waybill_code) : '';
    if (!m || !waybillNo) return { kind: 'refused', packageId: req.packageId, reason: 'Cainiao returned no waybill_code for this object_id' };
    const printData = str(m.print_data) || null;
    return { kind: 'allocated', packageId: req.packageId, waybillNo, routing: printData ? routingFromPrintData(printData) : { sortCode: null }, printData };
  });
}

/**
 * Allocate through cainiao.waybill.ii.get. A business refusal (isv.*) of a multi-package call is
 * retried one package at a time, so one bad receiver does not refuse its nine neighbours — safe,
 * since object_id makes each request idempotent. Transport/throttle/auth errors throw.
 */
export function allocateTopWaybills(call: TopCall, requests: WaybillRequest[], platform: 'taobao' | 'tmall'): Promise<WaybillResult[]> {
  // order_channels_type: TB / TM [UNVERIFIED values;
  // docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget names the field,
  // docs/platforms/pdd.md#waybill-idempotency lists PDD/TB/TM/JD/KS/DY for PDD's twin].
  const channel = platform === 'tmall' ? 'TM' : 'TB';
  return allocateInCalls(requests, { batch: WAYBILL_BATCH, call: (chunk) => callChunk(call, chunk, channel), refusal: topBusinessRefusal });
}
