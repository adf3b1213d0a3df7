// Douyin 抖店 push-backs and receiver decryption over an authenticated doudian call: order.logisticsAdd
// (online send), order.addOrderRemark (memo + star), order.batchDecrypt — and how the platform's answers
// become push outcomes (docs/platforms/douyin.md#decrypt-push-backs-and-codes: decrypt, shipping + error
// sub_codes, memo).
import type { CarrierCode } from '../../../shared/carriers.ts';
import { AppError } from '../../../shared/result.ts';
import type { DecryptRequest, DecryptedReceiver, PushOutcome, PushRequest } from '../contract.ts';
import { pacedBatches, platformError, type Pacing, type PlatformErrorDetails } from '../gateway.ts';
import { receiverCipher } from '../receiver-cipher.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { FLAG_TO_STAR } from './payload.ts';

/** One signed doudian call returning the envelope's data (adapter.ts doudianCall, bound to a shop). */
export type DoudianCaller = (method: string, param: Record<string, unknown>) => Promise<Record<string, unknown>>;

export const LOGISTICS_ADD = 'order.logisticsAdd';
export const ADD_ORDER_REMARK = 'order.addOrderRemark';
export const ORDER_DETAIL = 'order.orderDetail';
export const BATCH_DECRYPT = 'order.batchDecrypt';

/**
 * Common carrier → doudian company_code. The real list comes from order.logisticsCompanyList; only
 * "zhongtong" appears in the signing vector DD2
 * (docs/platforms/douyin.md#signing-sourced-the-sdks-sign_utilgo). The rest follow the same pinyin naming and
 * are [UNVERIFIED]: check them against logisticsCompanyList for the shop before relying on them.
 */
export const DOUDIAN_COMPANY_CODES: Record<CarrierCode, string> = {
  ZTO: 'zhongtong',
  YTO: 'yuantong',
  STO: 'shentong',
  YUNDA: 'yunda',
  JTSD: 'jtexpress',
  SF: 'shunfeng',
  EMS: 'ems',
  POSTB: 'youzhengguonei',
  JD: 'jd',
  DBL: 'debangkuaidi',
};

/**
 * order.addOrderRemark takes at most 60 characters of remark
 * (docs/platforms/douyin.md#decrypt-push-backs-and-codes).
 */
export const DOUDIAN_REMARK_MAX = 60;
/**
 * order.batchDecrypt takes at most 50 cipher_infos per call
 * (docs/platforms/douyin.md#order-pull-list-versus-detail).
 */
export const DOUDIAN_DECRYPT_BATCH = 50;

/**
 * 50002 sub_codes (docs/platforms/douyin.md#decrypt-push-backs-and-codes) by what they mean for a push. 60110
 * is "already shipped"; 60109 (风控审核中) clears by itself, so it is retried; every other listed one is a refusal
 * retrying will not fix.
 */
const ALREADY_SHIPPED = '60110';
const RETRY_LATER = new Set(['60109']);

interface PlatformErrorView {
  code: unknown;
  subCode: string;
  subMsg: string;
}

function platformErrorOf(e: unknown): PlatformErrorView | null {
  if (!(e instanceof AppError) || e.code !== 'PLATFORM_ERROR' || typeof e.details !== 'object' || e.details === null) return null;
  const d = e.details as Record<string, unknown>;
  return { code: d.code, subCode: typeof d.subCode === 'string' ? d.subCode : '', subMsg: typeof d.subMsg === 'string' && d.subMsg ? d.subMsg : e.message };
}

/** "isv.business-failed:60110" → "60110". */
const businessCode = (subCode: string): string => subCode.slice(subCode.lastIndexOf(':') + 1);

/** The waybill doudian holds for an order, read from order.orderDetail's logistics_info (null when it has none). */
async function shippedWaybill(call: DoudianCaller, orderId: string, ours: string): Promise<string | null> {
  let data: Record<string, unknown>;
  try {
    data = await call(ORDER_DETAIL, { shop_order_id: orderId });
  } catch (e) {
    // A transient failure is retried by the outbox; a refusal leaves the waybill unknown (a person decides).
    if (e instanceof AppError && e.code === 'PLATFORM_ERROR' && (e.details as { retryable?: unknown } | undefined)?.retryable === true) throw e;
    if (e instanceof AppError && e.code === 'SHOP_AUTH_EXPIRED') throw e;
    return null;
  }
  const detail = data.shop_order_detail as { logistics_info?: unknown } | undefined;
  const infos = Array.isArray(detail?.logistics_info) ? (detail.logistics_info as Record<string, unknown>[]) : [];
  const numbers = infos.map((i) => i.tracking_no).filter((t): t is string => typeof t === 'string' && t !== '');
  // Several packages: ours among them is a match; otherwise report the first, which differs.
  return numbers.includes(ours) ? ours : (numbers[0] ?? null);
}

async function ship(call: DoudianCaller, req: Extract<PushRequest, { kind: 'ship' }>): Promise<PushOutcome> {
  const companyCode = DOUDIAN_COMPANY_CODES[req.carrierCode];
  if (!companyCode) return { kind: 'rejected', reason: `抖店不支持的快递公司 ${req.carrierCode}` };
  try {
    // Whole-order shipment of the parent order (docs/platforms/douyin.md#decrypt-push-backs-and-codes); split
    // shipping would be logisticsAddMultiPack.
    await call(LOGISTICS_ADD, { company_code: companyCode, logistics_code: req.waybillNo, order_id: req.platformOrderId });
    return { kind: 'confirmed' };
  } catch (e) {
    const pe = platformErrorOf(e);
    if (!pe || pe.code !== DOUDIAN_ERR.business) throw e;
    const biz = businessCode(pe.subCode);
    if (biz === ALREADY_SHIPPED) return { kind: 'already_shipped', waybillNo: await shippedWaybill(call, req.platformOrderId, req.waybillNo) };
    if (RETRY_LATER.has(biz)) throw platformError((e as AppError).message, { ...((e as AppError).details as PlatformErrorDetails), retryable: true, throttled: false });
    return { kind: 'rejected', reason: `${pe.subMsg} (${pe.subCode})` };
  }
}

async function memo(call: DoudianCaller, req: Extract<PushRequest, { kind: 'memo' }>): Promise<PushOutcome> {
  const remark = req.memo ?? '';
  // Counted in characters as a person sees them (code points), not UTF-16 units.
  if ([...remark].length > DOUDIAN_REMARK_MAX) {
    return { kind: 'rejected', reason: `抖店卖家备注最多 ${DOUDIAN_REMARK_MAX} 个字，当前 ${[...remark].length} 个字` };
  }
  try {
    // Always set the star: star 0 (灰) is doudian's "no flag", so a cleared flag is sent as 0.
    // An empty remark clearing the memo is [UNVERIFIED]: the docs found say only "remark".
    await call(ADD_ORDER_REMARK, { is_add_star: 'true', order_id: req.platformOrderId, remark, star: FLAG_TO_STAR[req.flag] });
    return { kind: 'confirmed' };
  } catch (e) {
    const pe = platformErrorOf(e);
    if (pe && pe.code === DOUDIAN_ERR.business) return { kind: 'rejected', reason: `${pe.subMsg} (${pe.subCode})` };
    throw e;
  }
}

/** One push-back; transport, throttling and token failures propagate from the caller as thrown AppErrors. */
export function doudianPush(call: DoudianCaller, req: PushRequest): Promise<PushOutcome> {
  return req.kind === 'ship' ? ship(call, req) : memo(call, req);
}


/**
 * order.batchDecrypt in batches of ≤50 cipher_infos (whole orders per batch: 16 orders × 3 fields),
 * paced. An order is returned only when all three fields decrypted; per-item failures (err_no ≠ 0,
 * the 300008 partial-failure case) leave it out of the map, as the adapter contract asks.
 */
export async function doudianDecrypt(call: DoudianCaller, requests: DecryptRequest[], pacing: Pacing): Promise<Map<string, DecryptedReceiver>> {
  const out = new Map<string, DecryptedReceiver>();
  const parsed = requests.flatMap((r) => {
    const c = receiverCipher(r.cipher);
    return c ? [{ id: r.platformOrderId, c }] : [];
  });
  await pacedBatches(parsed, Math.floor(DOUDIAN_DECRYPT_BATCH / 3), pacing, async (batch) => {
    const cipherInfos = batch.flatMap(({ id, c }) => [c.name, c.phone, c.address].filter((t) => t !== '').map((cipher_text) => ({ auth_id: id, cipher_text })));
    const data = cipherInfos.length > 0 ? await call(BATCH_DECRYPT, { cipher_infos: cipherInfos }) : {};
    const infos = Array.isArray(data.decrypt_infos) ? (data.decrypt_infos as Record<string, unknown>[]) : [];
    const plain = new Map<string, string>(); // `${auth_id}\n${cipher_text}` → decrypt_text
    for (const info of infos) {
      if (Number(info.err_no ?? 0) !== 0 || typeof info.decrypt_text !== 'string') continue;
      plain.set(`${String(info.auth_id)}\n${String(info.cipher_text)}`, info.decrypt_text);
    }
    for (const { id, c } of batch) {
      const get = (cipher: string): string | undefined => (cipher === '' ? '' : plain.get(`${id}\n${cipher}`));
      const name = get(c.name);
      const phone = get(c.phone);
      const address = get(c.address);
      if (name !== undefined && phone !== undefined && address !== undefined) out.set(id, { name, phone, address });
    }
  });
  return out;
}
