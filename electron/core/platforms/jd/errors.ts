// JD JOS gateway error codes shared by the loopback server (which sends them) and the adapter (which
// classifies them), so both sides of the simulation agree on one table.
// docs/platforms/jd.md#push-backs-and-codes sources only the error SHAPES (top-level
// error_response{code,zh_desc,en_desc}; business failures as apiResult{success:false,…}); every code number
// below is [UNVERIFIED]: check them against the live JOS error-code page before going live, and change them
// here only.

export const JD_ERR = {
  /** 系统参数/业务参数错误 (missing param, bad date, page_size out of range) [UNVERIFIED]. */
  badParams: '66',
  /** access_token 已过期或无效，请重新授权 [UNVERIFIED]. */
  tokenExpired: '19',
  /** 签名无效 [UNVERIFIED]. */
  badSign: '14',
  /** timestamp 与服务器时间相差过大 [UNVERIFIED]. */
  badTimestamp: '67',
  /** app_key 无效 [UNVERIFIED]. */
  badAppKey: '15',
  /** 调用频率超限 / 限流 [UNVERIFIED]. */
  throttled: '85',
  /** 服务端内部错误 [UNVERIFIED]: transient, retry. */
  serverBusy: '1',
} as const;

/**
 * Business failures reported inside a result object ({success:false, englishErrCode, chineseErrCode})
 * rather than as error_response: enSearch's apiResult, shipment's sopjosshipment_result and
 * modifyVenderRemark's modifyvenderremark_result. Every englishErrCode here is [UNVERIFIED].
 */
export const JD_BIZ_ERR = {
  badDateRange: 'param.date.range.invalid',
  /** The order left WAIT_SELLER_STOCK_OUT already (出库/发货过). */
  alreadyShipped: 'order.already.shipped',
  orderCanceled: 'order.canceled',
  orderFinished: 'order.finished',
  /** LOCKED: the buyer's cancel/refund request is open. */
  orderLocked: 'order.locked',
  orderNotFound: 'order.not.exist',
  badLogiNo: 'logi.no.invalid',
  badLogiCopr: 'logi.copr.invalid',
  remarkTooLong: 'remark.too.long',
} as const;

/** Codes that mean "the shop must re-authorize". */
export const JD_TOKEN_CODES: ReadonlySet<string> = new Set([JD_ERR.tokenExpired]);
/** Codes that mean "slow down and try again". */
export const JD_THROTTLE_CODES: ReadonlySet<string> = new Set([JD_ERR.throttled]);
/** Codes that are transient on the platform side (retry without slowing down). */
export const JD_TRANSIENT_CODES: ReadonlySet<string> = new Set([JD_ERR.serverBusy]);

export interface JdErrorBody {
  error_response: { code: string; zh_desc: string; en_desc: string };
}
