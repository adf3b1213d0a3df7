// What the loopback TOP gateway knows of Taobao's protocol, written from docs/platforms/taobao.md and
// docs/platforms/common.md and kept apart from the adapter on purpose: the signature it checks, the
// error_response it answers with, the API names it serves, the limits it enforces and the carrier
// codes it accepts. Nothing here is imported from the adapter's modules (sign.ts, push.ts, waybill.ts,
// trace.ts, carriers.ts, …): a sandbox that borrowed the adapter's tables agreed with the adapter
// while TOP did not, so a change on the adapter side that TOP would refuse must fail the tests here.
import { createHash, createHmac } from 'node:crypto';

/** API names (the `method` system param) this gateway serves besides the item listing (server-products.ts). */
export const TOP_METHOD = {
  incrementGet: 'taobao.trades.sold.increment.get',
  fullinfo: 'taobao.trade.fullinfo.get',
  ship: 'taobao.logistics.online.send',
  memo: 'taobao.trade.memo.update',
  decrypt: 'taobao.top.oaid.decrypt',
  /** docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget: Cainiao's waybill API, called through TOP. */
  waybill: 'cainiao.waybill.ii.get',
  /** No public source documents a TOP trace API; the name is the public TOP API model's [UNVERIFIED]. */
  trace: 'taobao.logistics.trace.search',
} as const;

/** "淘宝API服务端允许客户端请求最大时间误差为10分钟". */
export const MAX_SKEW_MS = 10 * 60_000;
/** increment.get: end_modified − start_modified ≤ 1 day. */
export const MAX_WINDOW_MS = 86_400_000;
/** increment.get: "Only trades from the last three months can be fetched". */
export const HORIZON_MS = 90 * 86_400_000;
/** increment.get: page_size 1–100, default 40. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 40;
/** oaid.decrypt: "解密请求列表，最多支持20个" ReceiverQuery per query_list. */
export const DECRYPT_MAX_QUERIES = 20;
/** oaid.decrypt scenes: 1001–1007 (waybills by carrier family, store, manual, consignment), 2001 after-sale, 2002 care. */
export const DECRYPT_SCENES: readonly string[] = ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '2001', '2002'];
/** memo.update: memo ≤ 1000 bytes. */
export const MEMO_MAX_BYTES = 1000;
/** cainiao.waybill.ii.get: the single JSON param and at most 10 trade_order_info_dtos per call. */
export const WAYBILL_REQUEST_PARAM = 'param_waybill_cloud_print_apply_new_request';
export const WAYBILL_MAX_DTOS = 10;

export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';
export const SIGN_METHODS: readonly TopSignMethod[] = ['md5', 'hmac', 'hmac-sha256'];

/**
 * The `sign` TOP checks (TaobaoUtils.signTopRequest): S = key+value of every param but `sign` whose key
 * and value are non-empty, keys in byte order, no separators; `md5` = MD5(secret + S + secret),
 * `hmac` = HMAC-MD5(key secret, S), `hmac-sha256` = HMAC-SHA256(key secret, S); upper-case hex.
 * Values are taken exactly as they arrived (query and form alike). The Qimen JSON-body variant is not
 * served here.
 */
export function expectedSign(params: Readonly<Record<string, string>>, secret: string, method: TopSignMethod): string {
  const keys = Object.keys(params)
    .filter((k) => k !== '' && k !== 'sign' && params[k] !== '')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  let s = '';
  for (const k of keys) s += k + params[k];
  const digest = method === 'md5' ? createHash('md5').update(secret + s + secret, 'utf8') : createHmac(method === 'hmac' ? 'md5' : 'sha256', secret).update(s, 'utf8');
  return digest.digest('hex').toUpperCase();
}

/**
 * An error_response to answer with. Codes 7 (throttled), 15 (remote service error, `isp.*` on TOP's
 * side, `isv.*` for a request wrong for this trade) and 27 (invalid session) have sources; 25 and 26
 * are [UNVERIFIED], and the rest follow TOP's public code table [UNVERIFIED].
 */
export class TopError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(msg);
  }
}

/** TOP's error envelope: `{"error_response":{"code","msg","sub_code","sub_msg","request_id"}}`, sent with HTTP 200. */
export interface TopErrorBody {
  error_response: { code: number; msg: string; sub_code?: string; sub_msg?: string; request_id: string };
}

/** The envelope for one refusal; sub_code/sub_msg only when the refusal has them. */
export function topErrorBody(e: { code: number; msg: string; subCode?: string | undefined; subMsg?: string | undefined }, requestId: string): TopErrorBody {
  const error_response: TopErrorBody['error_response'] = { code: e.code, msg: e.msg, request_id: requestId };
  if (e.subCode !== undefined) error_response.sub_code = e.subCode;
  if (e.subMsg !== undefined) error_response.sub_msg = e.subMsg;
  return { error_response };
}

/** code 15 + isv.invalid-parameter:<name>: the request named a bad value. */
export const invalidParam = (name: string, subMsg: string): TopError => new TopError(15, 'Remote service error', `isv.invalid-parameter:${name}`, subMsg);

/** code 40 + isv.missing-parameter:<name>. */
export const missingParam = (name: string): TopError => new TopError(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`, `${name} is required`);

/**
 * company_code (online.send) and cp_code (cainiao.waybill.ii.get) per carrier, as
 * taobao.logistics.companies.get would list them for the sandbox shop. The notes only quote `POST` and
 * `ZJS`; the values below are the carriers' usual Cainiao codes [UNVERIFIED]. The common carrier codes
 * are the keys because that is what the station stores.
 */
export const SANDBOX_COMPANY_CODES: Readonly<Record<string, string>> = {
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JTSD: 'JTSD',
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'POSTB',
  JD: 'JD',
  DBL: 'DBKD',
};

/** The two company_codes the online.send documentation itself quotes (no carrier of ours maps to them). */
export const QUOTED_COMPANY_CODES: readonly string[] = ['POST', 'ZJS'];
