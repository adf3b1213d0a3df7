// Kuaishou push-backs and receiver decryption over an authenticated gateway call:
// open.seller.order.goods.deliver (online send), open.seller.order.note.add (memo + flag),
// open.order.detail (the waybill of an already-shipped order) and open.order.decrypt.batch.
// docs/platforms/kuaishou.md#decrypt-push-backs-and-codes sources the API names and HTTP methods only; every
// parameter and response field here is [UNVERIFIED] — taken from third-party SDKs (a Go client and a Python
// SDK that says it mirrors the official Java SDK) — and kept in this one file so a live check changes one
// place.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { SellerFlag } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import type { DecryptRequest, DecryptedReceiver, PushOutcome, PushRequest } from '../contract.ts';
import { pacedBatches, type Pacing } from '../gateway.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { KS_BIZ, KS_ERR } from './errors.ts';

/** One signed Kuaishou call returning the success body (adapter.ts ksCall, bound to a shop). */
export type KsCaller = (method: string, param: Record<string, unknown>, httpMethod: 'GET' | 'POST') => Promise<Record<string, unknown>>;

export const GOODS_DELIVER = 'open.seller.order.goods.deliver';
export const NOTE_ADD = 'open.seller.order.note.add';
export const ORDER_DETAIL = 'open.order.detail';
export const DECRYPT_BATCH = 'open.order.decrypt.batch';

/**
 * Common carrier → Kuaishou expressCode (an integer from Kuaishou's logistics company list).
 * [UNVERIFIED]: no source for the numbers was found; these are placeholders in one table, to be
 * replaced from Kuaishou's express company list before going live. The sandbox accepts exactly these.
 */
export const KS_EXPRESS_CODES: Record<CarrierCode, number> = {
  ZTO: 4,
  YTO: 2,
  STO: 1,
  YUNDA: 3,
  JTSD: 11,
  SF: 5,
  EMS: 6,
  POSTB: 7,
  JD: 8,
  DBL: 9,
};

/**
 * Common flag → note.add `flag`. The list payload carries the flag as orderBaseInfo.flagTagCode
 * 0–5, mapped one to one (payload.ts); the same numbering is assumed here [UNVERIFIED].
 */
export const KS_FLAG_OF: Record<SellerFlag, number> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 };

/** note.add takes at most 500 characters (Python SDK max_length=500) [UNVERIFIED]. */
export const KS_NOTE_MAX = 500;
/** decrypt.batch takes at most 100 items per call ("每次请求，报文条数不超过100条") [UNVERIFIED]. */
export const KS_DECRYPT_BATCH = 100;

/** Order ids go out as numbers when they fit exactly (the SDKs type orderId as int64). */
export const ksId = (id: string): number | string => (/^\d{1,15}$/.test(id) ? Number(id) : id);

interface BusinessError {
  subCode: string;
  subMsg: string;
}

function businessErrorOf(e: unknown): BusinessError | null {
  if (!(e instanceof AppError) || e.code !== 'PLATFORM_ERROR' || typeof e.details !== 'object' || e.details === null) return null;
  const d = e.details as Record<string, unknown>;
  if (d.code !== KS_ERR.business) return null;
  return { subCode: String(d.subCode ?? ''), subMsg: typeof d.subMsg === 'string' && d.subMsg ? d.subMsg : e.message };
}

/** A business refusal's words (a whole call refused for its content, not its transport), else null. */
export function ksBusinessRefusal(e: unknown): string | null {
  const b = businessErrorOf(e);
  return b ? `${b.subCode} ${b.subMsg}`.trim() : null;
}

/** The waybill Kuaishou holds for the order (open.order.detail → data.logisticsInfo[].expressNo); null when unreadable. */
async function shippedWaybill(call: KsCaller, orderId: string, ours: string): Promise<string | null> {
  let body: Record<string, unknown>;
  try {
    body = await call(ORDER_DETAIL, { oid: ksId(orderId) }, 'GET');
  } catch (e) {
    // Transient failures and token loss go back to the outbox; any other refusal leaves the waybill unknown.
    if (e instanceof AppError && (e.code === 'SHOP_AUTH_EXPIRED' || (e.details as { retryable?: unknown } | undefined)?.retryable === true)) throw e;
    return null;
  }
  const data = (body.data ?? {}) as Record<string, unknown>;
  const infos = Array.isArray(data.logisticsInfo) ? (data.logisticsInfo as Record<string, unknown>[]) : [];
  const numbers = infos.map((i) => i.expressNo).filter((t): t is string => typeof t === 'string' && t !== '');
  return numbers.includes(ours) ? ours : (numbers[0] ?? null);
}

async function ship(call: KsCaller, req: Extract<PushRequest, { kind: 'ship' }>): Promise<PushOutcome> {
  try {
    // The same waybill sent again answers success (Kuaishou's doc note: "使用相同快递单号重复调用…会幂等返回发货成功").
    await call(GOODS_DELIVER, { expressCode: KS_EXPRESS_CODES[req.carrierCode], expressNo: req.waybillNo, orderId: ksId(req.platformOrderId) }, 'POST');
    return { kind: 'confirmed' };
  } catch (e) {
    const be = businessErrorOf(e);
    if (!be) throw e;
    if (be.subCode === KS_BIZ.alreadyDelivered) return { kind: 'already_shipped', waybillNo: await shippedWaybill(call, req.platformOrderId, req.waybillNo) };
    return { kind: 'rejected', reason: `${be.subMsg} (${be.subCode})` };
  }
}

async function memo(call: KsCaller, req: Extract<PushRequest, { kind: 'memo' }>): Promise<PushOutcome> {
  const note = req.memo ?? '';
  if ([...note].length > KS_NOTE_MAX) return { kind: 'rejected', reason: `快手卖家备注最多 ${KS_NOTE_MAX} 个字，当前 ${[...note].length} 个字` };
  try {
    // One call sets note and flag; an empty note clearing the memo is [UNVERIFIED].
    await call(NOTE_ADD, { flag: KS_FLAG_OF[req.flag], note, orderId: ksId(req.platformOrderId) }, 'POST');
    return { kind: 'confirmed' };
  } catch (e) {
    const be = businessErrorOf(e);
    if (be) return { kind: 'rejected', reason: `${be.subMsg} (${be.subCode})` };
    throw e;
  }
}

export function ksPush(call: KsCaller, req: PushRequest): Promise<PushOutcome> {
  return req.kind === 'ship' ? ship(call, req) : memo(call, req);
}


/**
 * open.order.decrypt.batch in batches of ≤100 items (33 whole orders × 3 fields), paced. An order
 * comes back only when every field decrypted; items with a non-zero errorCode leave it out.
 */
export async function ksDecrypt(call: KsCaller, requests: DecryptRequest[], pacing: Pacing): Promise<Map<string, DecryptedReceiver>> {
  const out = new Map<string, DecryptedReceiver>();
  const parsed = requests.flatMap((r) => {
    const c = receiverCipher(r.cipher);
    return c ? [{ id: r.platformOrderId, c }] : [];
  });
  await pacedBatches(parsed, Math.floor(KS_DECRYPT_BATCH / 3), pacing, async (batch) => {
    const list = batch.flatMap(({ id, c }) => [c.name, c.phone, c.address].filter((t) => t !== '').map((encryptedData) => ({ bizId: id, encryptedData })));
    const body = list.length > 0 ? await call(DECRYPT_BATCH, { batchDecryptList: list }, 'POST') : {};
    const data = (body.data ?? {}) as Record<string, unknown>;
    const items = Array.isArray(data.decryptList) ? (data.decryptList as Record<string, unknown>[]) : [];
    const plain = new Map<string, string>();
    for (const item of items) {
      if (Number(item.errorCode ?? 0) !== 0 || typeof item.decryptedData !== 'string') continue;
      plain.set(`${String(item.bizId)}\n${String(item.encryptedData)}`, item.decryptedData);
    }
    for (const { id, c } of batch) {
      const get = (cipher: string): string | undefined => (cipher === '' ? '' : plain.get(`${id}\n${cipher}`));
      const [name, phone, address] = [get(c.name), get(c.phone), get(c.address)];
      if (name !== undefined && phone !== undefined && address !== undefined) out.set(id, { name, phone, address });
    }
  });
  return out;
}
