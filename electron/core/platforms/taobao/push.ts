// TOP push-backs and receiver decryption over a signed TOP call: online send (在线发货) and memo/flag
// updates with their outcomes sorted into confirmed / already shipped / rejected / thrown, and
// taobao.top.oaid.decrypt in batches of 20. Spec: docs/platforms/taobao.md#push-backs-and-decrypt,
// docs/platforms/taobao.md#errors.
import { AppError } from '../../../shared/result.ts';
import type { DecryptedReceiver, DecryptRequest, PushOutcome, PushRequest } from '../contract.ts';
import { TOP_COMPANY_CODES, TOP_FLAG } from './carriers.ts';
import { TOP_STATUS } from './status.ts';

/** One signed TOP call returning the `<method>_response` object; throws AppError like pullPage does. */
export type TopCall = (method: string, apiParams: Record<string, string>) => Promise<Record<string, unknown>>;

export const SHIP_METHOD = 'taobao.logistics.online.send';
export const MEMO_METHOD = 'taobao.trade.memo.update';
export const FULLINFO_METHOD = 'taobao.trade.fullinfo.get';
export const DECRYPT_METHOD = 'taobao.top.oaid.decrypt';
/** "解密请求列表，最多支持20个" (docs/platforms/taobao.md#push-backs-and-decrypt, ReceiverQuery). */
export const DECRYPT_BATCH = 20;
/**
 * Decrypt scene sent with each ReceiverQuery (docs/platforms/taobao.md#push-backs-and-decrypt lists
 * 1001–2002). The station decrypts to print a waybill or to answer a person, and the contract does not say
 * which; 1004 (其他电子面单发货) is the default, and a shop's settings.oaidScene overrides it.
 */
export const DEFAULT_DECRYPT_SCENE = '1004';
export const DECRYPT_SCENES: readonly string[] = ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '2001', '2002'];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The platform refused this request for a business reason: code 15 (remote service error) with an
 * isv.* sub_code — TOP's "the caller's request is wrong for this trade" (isp.* is TOP's own side and
 * is retryable; gateway codes such as 25 invalid signature are configuration faults and stay thrown).
 * Returns the platform's words for the person who will read the rejection, or null.
 */
export function topBusinessRefusal(err: unknown): string | null {
  if (!(err instanceof AppError) || err.code !== 'PLATFORM_ERROR' || !isRecord(err.details)) return null;
  const d = err.details;
  if (d.retryable === true || d.throttled === true) return null;
  if (d.code !== 15 || !str(d.subCode).startsWith('isv.')) return null;
  return str(d.subMsg) || err.message;
}

/** A list TOP wraps as {item:[…]} in JSON (`orders.order`, `receiver_list.receiver`), or a bare array. */
function listOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Array.isArray(value[key])) return value[key] as unknown[];
  return [];
}

/**
 * The trade's current status and waybill, from taobao.trade.fullinfo.get
 * (docs/platforms/taobao.md#push-backs-and-decrypt detail API).
 */
async function currentTrade(call: TopCall, tid: string): Promise<{ status: string; waybillNo: string | null }> {
  const r = await call(FULLINFO_METHOD, { fields: 'tid,status,orders.oid,orders.invoice_no,orders.logistics_company', tid });
  const trade = isRecord(r.trade) ? r.trade : {};
  // Order.invoice_no is the line's waybill (docs/platforms/taobao.md#push-backs-and-decrypt Order fields); a
  // whole-order send puts one on every line.
  const waybill = listOf(trade.orders, 'order')
    .map((l) => (isRecord(l) ? str(l.invoice_no) : ''))
    .find((w) => w !== '');
  return { status: str(trade.status), waybillNo: waybill ?? null };
}

async function ship(call: TopCall, req: Extract<PushRequest, { kind: 'ship' }>): Promise<PushOutcome> {
  try {
    const r = await call(SHIP_METHOD, { tid: req.platformOrderId, company_code: TOP_COMPANY_CODES[req.carrierCode], out_sid: req.waybillNo });
    // Response logistics_online_send_response.shipping.is_success (docs/platforms/taobao.md#push-backs-and-decrypt).
    const ok = isRecord(r.shipping) && r.shipping.is_success === true;
    return ok ? { kind: 'confirmed' } : { kind: 'rejected', reason: 'TOP did not confirm the shipment (shipping.is_success is not true)' };
  } catch (err) {
    const refusal = topBusinessRefusal(err);
    if (refusal === null) throw err;
    // The "already shipped" sub_codes are [UNVERIFIED] (docs/platforms/taobao.md#push-backs-and-decrypt:
    // isv.logistics-online-service-error:B04…). As docs/platforms/taobao.md#push-backs-and-decrypt advises,
    // ask the trade itself: a trade already past shipping is "already shipped", whatever the code, and its
    // lines carry the waybill it went out with.
    let trade: { status: string; waybillNo: string | null };
    try {
      trade = await currentTrade(call, req.platformOrderId);
    } catch (detailErr) {
      if (topBusinessRefusal(detailErr) === null) throw detailErr;
      return { kind: 'rejected', reason: refusal };
    }
    const status = TOP_STATUS[trade.status];
    if (status === 'shipped' || status === 'completed') return { kind: 'already_shipped', waybillNo: trade.waybillNo };
    return { kind: 'rejected', reason: refusal };
  }
}

async function memo(call: TopCall, req: Extract<PushRequest, { kind: 'memo' }>): Promise<PushOutcome> {
  const params: Record<string, string> = { tid: req.platformOrderId, flag: String(TOP_FLAG[req.flag]) };
  // reset=true clears the memo (docs/platforms/taobao.md#push-backs-and-decrypt); memo.update also adds one,
  // so no memo.add is ever needed.
  if (req.memo === null) params.reset = 'true';
  else params.memo = req.memo;
  try {
    await call(MEMO_METHOD, params);
    return { kind: 'confirmed' };
  } catch (err) {
    const refusal = topBusinessRefusal(err);
    if (refusal === null) throw err;
    return { kind: 'rejected', reason: refusal };
  }
}

/** Send one push-back through TOP. */
export function pushTop(call: TopCall, req: PushRequest): Promise<PushOutcome> {
  return req.kind === 'ship' ? ship(call, req) : memo(call, req);
}

/** An int64 tid as text: order_id/tid strings as sent, numbers only when exact. */
function tidText(r: Record<string, unknown>): string | null {
  if (str(r.order_id)) return str(r.order_id);
  if (str(r.tid)) return str(r.tid);
  return typeof r.tid === 'number' && Number.isSafeInteger(r.tid) ? String(r.tid) : null;
}

/**
 * Decrypt receivers by oaid, 20 per call (docs/platforms/taobao.md#push-backs-and-decrypt). The cipher stored
 * for a TOP order is its oaid (adapter.ts maps Trade.oaid to receiver.cipher). A receiver TOP does not
 * return, or returns with matched=false (the oaid is no longer the trade's — the address changed since the
 * last pull), is left out of the map: the next pull brings the current oaid.
 */
export async function decryptTop(call: TopCall, requests: DecryptRequest[], scene: string): Promise<Map<string, DecryptedReceiver>> {
  const byTid = new Map<string, string>();
  for (const r of requests) if (r.cipher !== '') byTid.set(r.platformOrderId, r.cipher);
  const pending = [...byTid];
  const out = new Map<string, DecryptedReceiver>();
  for (let i = 0; i < pending.length; i += DECRYPT_BATCH) {
    const chunk = pending.slice(i, i + DECRYPT_BATCH);
    const r = await call(DECRYPT_METHOD, { query_list: JSON.stringify(chunk.map(([tid, oaid]) => ({ tid, oaid, scene }))) });
    for (const item of listOf(r.receiver_list, 'receiver')) {
      if (!isRecord(item) || item.matched === false) continue;
      // Match on the tid when it came back readable, else on the oaid (unique within this chunk or ambiguous).
      let tid = tidText(item);
      if (tid === null) {
        const same = chunk.filter(([, oaid]) => oaid === str(item.oaid));
        tid = same.length === 1 ? (same[0] as [string, string])[0] : null;
      }
      if (tid === null || !byTid.has(tid) || (str(item.oaid) !== '' && byTid.get(tid) !== str(item.oaid))) continue;
      const name = str(item.name);
      const phone = str(item.mobile) || str(item.phone);
      const address = str(item.address_detail);
      if (!name || !address) continue;
      out.set(tid, { name, phone, address });
    }
  }
  return out;
}
