// JD (JOS) push-backs over an authenticated routerjson call: jingdong.pop.order.shipment (SOP 出库发货),
// jingdong.pop.order.modifyVenderRemark (memo + flag) and jingdong.pop.order.enGet (the waybill of an
// already-shipped order), and how their answers become push outcomes (docs/platforms/jd.md#push-backs-and-codes).
// JD has no decrypt API: its receivers are TDE ciphertext for the JOS secret SDK (see jdDecryptRefusal).
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { SellerFlag } from '../../../shared/model.ts';
import { AppError } from '../../../shared/result.ts';
import { reasonError } from '../../../shared/reasons.ts';
import type { PushOutcome, PushRequest } from '../contract.ts';
import { platformError } from '../gateway.ts';
import { JD_BIZ_ERR } from './errors.ts';

/** One signed JD call returning the gateway body (adapter.ts jdCall, bound to a shop). */
export type JdCaller = (method: string, param: Record<string, unknown>) => Promise<Record<string, unknown>>;

export const SHIPMENT = 'jingdong.pop.order.shipment';
export const MODIFY_VENDER_REMARK = 'jingdong.pop.order.modifyVenderRemark';
export const EN_GET = 'jingdong.pop.order.enGet';

/**
 * Response keys. modifyVenderRemark's is sourced (docs/platforms/jd.md#push-backs-and-codes, note
 * "response"); the other two follow enSearch's "responce" spelling [UNVERIFIED].
 */
export const SHIPMENT_KEY = 'jingdong_pop_order_shipment_responce';
export const SHIPMENT_RESULT = 'sopjosshipment_result'; // [UNVERIFIED]
export const REMARK_KEY = 'jingdong_pop_order_modifyVenderRemark_response';
export const REMARK_RESULT = 'modifyvenderremark_result';
export const EN_GET_KEY = 'jingdong_pop_order_enGet_responce'; // [UNVERIFIED]

/**
 * Common carrier → JD logiCoprId. The eight ids are the ones docs/platforms/jd.md#push-backs-and-codes lists from a
 * third-party repo [UNVERIFIED]; 极兔 (JTSD) and 邮政快递包裹 (POSTB) have no sourced id, so a ship
 * with them is rejected with that reason rather than sent with a guess. Real shops should read the
 * ids from JD's vendor carrier API.
 */
export const JD_LOGI_COPR_IDS: Partial<Record<CarrierCode, string>> = {
  ZTO: '1499',
  YUNDA: '1327',
  STO: '470',
  YTO: '463',
  SF: '467',
  EMS: '465',
  DBL: '3046',
  JD: '2087',
};

/**
 * Common flag → modifyVenderRemark `flag` (0–5). Only "0 = GRAY" is (weakly) sourced; JD's seller
 * flags are read here as 0 灰 1 红 2 黄 3 绿 4 蓝 5 紫, which is our numbering one to one [UNVERIFIED].
 * A cleared flag (0) becomes JD's grey, its "no flag".
 */
export const JD_FLAG_OF: Record<SellerFlag, number> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 };

/**
 * venderRemark holds at most 500 characters (docs/platforms/jd.md#order-pull-list-versus-detail "seller memo
 * ≤500").
 */
export const JD_REMARK_MAX = 500;

interface ResultObject {
  success: boolean;
  englishErrCode: string;
  chineseErrCode: string;
}

/** The `{success, englishErrCode, chineseErrCode}` object at body[key][result]; a missing one is a broken answer (retry). */
export function resultOf(body: Record<string, unknown>, key: string, result: string): ResultObject {
  const outer = body[key];
  const r = typeof outer === 'object' && outer !== null ? (outer as Record<string, unknown>)[result] : undefined;
  if (typeof r !== 'object' || r === null || typeof (r as Record<string, unknown>).success !== 'boolean') {
    throw platformError(`jd: response lacks ${key}.${result}.success`, { code: 'BAD_RESPONSE', retryable: true, throttled: false });
  }
  const o = r as Record<string, unknown>;
  return { success: o.success as boolean, englishErrCode: String(o.englishErrCode ?? ''), chineseErrCode: String(o.chineseErrCode ?? '') };
}

/**
 * The waybill JD holds for the order: enGet's orderInfo.waybill ("|" between carriers, "," within
 * one, docs/platforms/jd.md#order-pull-list-versus-detail). Ours among them is a match; otherwise the first;
 * null when JD shows none or cannot say.
 */
async function shippedWaybill(call: JdCaller, orderId: string, ours: string): Promise<string | null> {
  let body: Record<string, unknown>;
  try {
    body = await call(EN_GET, { optional_fields: 'orderId,orderState,waybill,logisticsId', order_id: orderId });
  } catch (e) {
    if (e instanceof AppError && (e.code === 'SHOP_AUTH_EXPIRED' || (e.details as { retryable?: unknown } | undefined)?.retryable === true)) throw e;
    return null;
  }
  const outer = body[EN_GET_KEY] as Record<string, unknown> | undefined;
  const detail = outer?.orderDetailInfo as Record<string, unknown> | undefined;
  const info = detail?.orderInfo as Record<string, unknown> | undefined;
  const waybill = typeof info?.waybill === 'string' ? info.waybill : '';
  const numbers = waybill.split(/[|,]/).map((w) => w.trim()).filter((w) => w !== '');
  return numbers.includes(ours) ? ours : (numbers[0] ?? null);
}

async function ship(call: JdCaller, req: Extract<PushRequest, { kind: 'ship' }>): Promise<PushOutcome> {
  const logiCoprId = JD_LOGI_COPR_IDS[req.carrierCode];
  if (logiCoprId === undefined) return { kind: 'rejected', reason: `京东物流公司编号未知：${req.carrierCode}（请在京东商家后台发货或改用其他快递）` };
  const body = await call(SHIPMENT, { logiCoprId, logiNo: req.waybillNo, orderId: req.platformOrderId });
  const r = resultOf(body, SHIPMENT_KEY, SHIPMENT_RESULT);
  if (r.success) return { kind: 'confirmed' };
  if (r.englishErrCode === JD_BIZ_ERR.alreadyShipped) return { kind: 'already_shipped', waybillNo: await shippedWaybill(call, req.platformOrderId, req.waybillNo) };
  return { kind: 'rejected', reason: `${r.chineseErrCode} (${r.englishErrCode})` };
}

async function memo(call: JdCaller, req: Extract<PushRequest, { kind: 'memo' }>): Promise<PushOutcome> {
  const remark = req.memo ?? '';
  if ([...remark].length > JD_REMARK_MAX) return { kind: 'rejected', reason: `京东卖家备注最多 ${JD_REMARK_MAX} 个字，当前 ${[...remark].length} 个字` };
  // An empty remark clearing the memo is [UNVERIFIED].
  const body = await call(MODIFY_VENDER_REMARK, { flag: JD_FLAG_OF[req.flag], order_id: req.platformOrderId, remark });
  const r = resultOf(body, REMARK_KEY, REMARK_RESULT);
  return r.success ? { kind: 'confirmed' } : { kind: 'rejected', reason: `${r.chineseErrCode} (${r.englishErrCode})` };
}

export function jdPush(call: JdCaller, req: PushRequest): Promise<PushOutcome> {
  return req.kind === 'ship' ? ship(call, req) : memo(call, req);
}

/** Why JD receivers are never decrypted here: there is no decrypt API to call. */
export function jdDecryptRefusal(): AppError {
  return reasonError(
    'order.jd_receiver_encrypted',
    { platform: 'jd' },
    'JD receivers are TDE ciphertext that only the JOS secret SDK decrypts (there is no decrypt API); print JD orders through JD’s own waybill/print flow.',
  );
}
