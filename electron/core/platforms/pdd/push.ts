// PDD push-backs and receiver decryption over a signed PDD call: online send (发货通知) and note/tag
// updates with their outcomes sorted into confirmed / already shipped / rejected / thrown, and
// pdd.open.decrypt.batch — ≤ 100 ciphertexts a call, paced to the app's 1 call / 10 s.
// Spec: docs/platforms/pdd.md#order-pull-list-versus-detail (orders, PII, decrypt),
// docs/platforms/pdd.md#push-backs-and-codes (shipping, memo, errors), docs/platforms/pdd.md#limits.
import { AppError } from '../../../shared/result.ts';
import type { DecryptedReceiver, DecryptRequest, PushOutcome, PushRequest } from '../contract.ts';
import { platformError } from '../gateway.ts';
import { receiverCipher, type ReceiverCipher } from '../receiver-cipher.ts';
import { PDD_LOGISTICS_IDS, pddTag } from './carriers.ts';
import { PDD_BUSINESS_CODES } from './errors.ts';
import { DECRYPT_INTERVAL_MS, type IntervalGate, type Sleep } from './pace.ts';
import type { PddParamValue } from './sign.ts';

/** One signed PDD call returning the whole success body; throws AppError like pullPage does. */
export type PddCall = (type: string, business: Record<string, PddParamValue>) => Promise<Record<string, unknown>>;

export const SHIP_TYPE = 'pdd.logistics.online.send';
export const NOTE_TYPE = 'pdd.order.note.update';
export const DETAIL_TYPE = 'pdd.order.information.get';
export const DECRYPT_TYPE = 'pdd.open.decrypt.batch';
/** "数据列表, 默认列表大小不超过100" (docs/platforms/pdd.md#order-pull-list-versus-detail). */
export const DECRYPT_BATCH = 100;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * The platform refused this push for a business reason (PDD_BUSINESS_CODES: order gone, already
 * shipped, not shippable, bad logistics) — its words for the person, or null. Token, throttling,
 * transient, signature and timestamp errors stay thrown: retrying or re-authorising can fix those.
 */
export function pddBusinessRefusal(err: unknown): string | null {
  if (!(err instanceof AppError) || err.code !== 'PLATFORM_ERROR' || !isRecord(err.details)) return null;
  const d = err.details;
  if (typeof d.code !== 'number' || !PDD_BUSINESS_CODES.has(d.code)) return null;
  return str(d.subMsg) || err.message;
}

/** The order as pdd.order.information.get has it now: shipped or not, and its tracking number. */
async function currentOrder(call: PddCall, orderSn: string): Promise<{ shipped: boolean; trackingNumber: string | null }> {
  const body = await call(DETAIL_TYPE, { order_sn: orderSn });
  const r = isRecord(body.order_info_get_response) ? body.order_info_get_response : {};
  const info = isRecord(r.order_info) ? r.order_info : {};
  // order_status 2 已发货待签收 / 3 已签收 with confirm_status 1 已成交 (docs/platforms/pdd.md#order-pull-list-versus-detail).
  const shipped = info.confirm_status === 1 && (info.order_status === 2 || info.order_status === 3);
  return { shipped, trackingNumber: str(info.tracking_number) || null };
}

async function ship(call: PddCall, req: Extract<PushRequest, { kind: 'ship' }>): Promise<PushOutcome> {
  try {
    const body = await call(SHIP_TYPE, { order_sn: req.platformOrderId, logistics_id: PDD_LOGISTICS_IDS[req.carrierCode], tracking_number: req.waybillNo });
    const r = body.logistics_online_send_response;
    return isRecord(r) && r.is_success === true ? { kind: 'confirmed' } : { kind: 'rejected', reason: 'PDD did not confirm the shipment (is_success is not true)' };
  } catch (err) {
    const refusal = pddBusinessRefusal(err);
    if (refusal === null) throw err;
    // PDD's already-shipped code is [UNVERIFIED] (docs/platforms/pdd.md#push-backs-and-codes), so the order
    // itself decides: one that is already past shipping is "already shipped", with the tracking number it
    // went out with.
    let now: { shipped: boolean; trackingNumber: string | null };
    try {
      now = await currentOrder(call, req.platformOrderId);
    } catch (detailErr) {
      if (pddBusinessRefusal(detailErr) === null) throw detailErr;
      return { kind: 'rejected', reason: refusal };
    }
    return now.shipped ? { kind: 'already_shipped', waybillNo: now.trackingNumber } : { kind: 'rejected', reason: refusal };
  }
}

async function note(call: PddCall, req: Extract<PushRequest, { kind: 'memo' }>): Promise<PushOutcome> {
  const tag = pddTag(req.flag);
  try {
    // A null memo is sent as an empty note: PDD has no separate "clear" switch.
    const body = await call(NOTE_TYPE, { order_sn: req.platformOrderId, note: req.memo ?? '', ...(tag ?? {}) });
    // The response is {response:{success, error_code, error_msg}} (pdd-node-sdk PddOrderNoteUpdate).
    const r = isRecord(body.response) ? body.response : {};
    if (r.success === true) return { kind: 'confirmed' };
    return { kind: 'rejected', reason: str(r.error_msg) || `PDD did not confirm the note (error_code ${str(r.error_code) || 'none'})` };
  } catch (err) {
    const refusal = pddBusinessRefusal(err);
    if (refusal === null) throw err;
    return { kind: 'rejected', reason: refusal };
  }
}

/** Send one push-back through PDD. */
export function pushPdd(call: PddCall, req: PushRequest): Promise<PushOutcome> {
  return req.kind === 'ship' ? ship(call, req) : note(call, req);
}


export interface DecryptPacing {
  gate: IntervalGate;
  now: () => number;
  sleep: Sleep;
}

/**
 * Decrypt receivers: each order's name, phone and address ciphertexts go out as data_list items
 * tagged with the order_sn, ≤ 100 a call, each call waiting its turn at the app's gate. An order is
 * in the map only when every ciphertext it has came back decrypted (error_code 0); the platform's
 * per-item refusals leave it out. A throttled call throws retryable with the 10 s as retryAfterMs.
 */
export async function decryptPdd(call: PddCall, requests: DecryptRequest[], pacing: DecryptPacing): Promise<Map<string, DecryptedReceiver>> {
  const orders = new Map<string, ReceiverCipher>();
  for (const r of requests) {
    // An order without a name or address ciphertext has nothing PDD could give back whole.
    const c = receiverCipher(r.cipher);
    if (c && c.name && c.address) orders.set(r.platformOrderId, c);
  }
  const items: Array<{ data_tag: string; encrypted_data: string }> = [];
  const seen = new Set<string>();
  for (const [sn, c] of orders) {
    for (const encrypted of [c.name, c.phone, c.address]) {
      const key = `${sn}\n${encrypted}`;
      if (encrypted === '' || seen.has(key)) continue;
      seen.add(key);
      items.push({ data_tag: sn, encrypted_data: encrypted });
    }
  }
  const plain = new Map<string, string>();
  for (let i = 0; i < items.length; i += DECRYPT_BATCH) {
    const batch = items.slice(i, i + DECRYPT_BATCH);
    let body: Record<string, unknown>;
    try {
      body = await pacing.gate.run(pacing.now, pacing.sleep, () => call(DECRYPT_TYPE, { data_list: batch }));
    } catch (err) {
      if (err instanceof AppError && isRecord(err.details) && err.details.throttled === true) {
        throw platformError(err.message, { ...(err.details as { code: number; retryable: boolean; throttled: boolean }), retryAfterMs: DECRYPT_INTERVAL_MS });
      }
      throw err;
    }
    const r = isRecord(body.open_decrypt_batch_response) ? body.open_decrypt_batch_response : {};
    for (const d of Array.isArray(r.data_decrypt_list) ? r.data_decrypt_list : []) {
      if (!isRecord(d) || d.error_code !== 0) continue;
      let value = str(d.decrypted_data);
      // A virtual (privacy) number comes with its extension (分机号): the courier needs both.
      if (d.virtual_number_type === 1 && str(d.virtual_identify_number)) value = `${value}-${str(d.virtual_identify_number)}`;
      plain.set(`${str(d.data_tag)}\n${str(d.encrypted_data)}`, value);
    }
  }
  const out = new Map<string, DecryptedReceiver>();
  for (const [sn, c] of orders) {
    const get = (encrypted: string): string | undefined => (encrypted === '' ? '' : plain.get(`${sn}\n${encrypted}`));
    const name = get(c.name);
    const phone = get(c.phone);
    const address = get(c.address);
    if (name === undefined || phone === undefined || address === undefined) continue;
    out.set(sn, { name, phone, address });
  }
  return out;
}
