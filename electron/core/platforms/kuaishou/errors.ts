// Kuaishou gateway error codes shared by the loopback server (which sends them) and the adapter
// (which classifies them), so both sides of the simulation agree on one table.
// Families are from the PHP SDK's ResponseParser (docs/platforms/kuaishou.md#decrypt-push-backs-and-codes:
// 21/24 auth, 22/25/26 authorization, 27/28 signature, 15/16/17/1016/1017/802000 rate limit); which exact
// code means which case is [UNVERIFIED]. 2001 is the one sourced param error ("endTime无效"). Check against the
// live error-code page before going live, and change them here only.

export const KS_ERR = {
  /** Success envelope: `result == 1`. */
  ok: 1,
  /** 参数错误 (window, page size, cursor): "endTime无效" sample. Not worth retrying. */
  badParams: 2001,
  /** access_token 无效 [UNVERIFIED which of 21/24]. */
  tokenInvalid: 21,
  /** access_token 已过期 [UNVERIFIED]. */
  tokenExpired: 24,
  /** appkey 无权限 / 未授权 [UNVERIFIED]. */
  noPermission: 22,
  /** 签名参数缺失 / 时间戳无效 [UNVERIFIED]. */
  badTimestamp: 27,
  /** 签名校验失败 [UNVERIFIED]. */
  badSign: 28,
  /** 调用频率超限 [UNVERIFIED which of the rate-limit family]. */
  throttled: 802000,
  /**
   * 业务校验失败 for write APIs (deliver, note) [UNVERIFIED code: none is sourced]. The case is in
   * `subCode` (KS_BIZ below), which the adapter reads to tell "already shipped" from a refusal.
   */
  business: 2002,
} as const;

/** subCodes of KS_ERR.business, as this code base names them [UNVERIFIED: invented, one table]. */
export const KS_BIZ = {
  alreadyDelivered: 'ORDER_ALREADY_DELIVERED',
  orderClosed: 'ORDER_STATUS_CLOSED',
  orderFinished: 'ORDER_STATUS_FINISHED',
  notPaid: 'ORDER_NOT_PAID',
  refunding: 'ORDER_REFUNDING',
  badExpressNo: 'EXPRESS_NO_INVALID',
  badExpressCode: 'EXPRESS_CODE_INVALID',
  notFound: 'ORDER_NOT_EXIST',
  noteTooLong: 'NOTE_TOO_LONG',
} as const;

/** Codes that mean "the shop must re-authorize". */
export const KS_TOKEN_CODES: ReadonlySet<number> = new Set([KS_ERR.tokenInvalid, KS_ERR.tokenExpired]);
/**
 * Codes that mean "slow down and try again" (the whole rate-limit family of
 * docs/platforms/kuaishou.md#decrypt-push-backs-and-codes).
 */
export const KS_THROTTLE_CODES: ReadonlySet<number> = new Set([15, 16, 17, 1016, 1017, 802000]);

/**
 * The error envelope: `result` carries the code, `error_msg` the text, `subCode` the detail
 * (docs/platforms/kuaishou.md#decrypt-push-backs-and-codes).
 */
export interface KsErrorBody {
  result: number;
  error_msg: string;
  subCode: string;
  subMsg: string;
  requestId: string;
}
