// Doudian gateway error codes shared by the loopback server (which sends them) and the adapter (which
// classifies them), so both sides of the simulation agree on one table.
// Sourced (docs/platforms/douyin.md#decrypt-push-backs-and-codes): 10000 success, 20000 系统错误 (isp.*, retry),
// 20004/20005 系统繁忙 (retry), 40002 缺少必选参数, 40004 非法的参数, 50002 业务处理失败, and the order.searchList
// codes 20022 (90-day horizon), 20013 (page×size > 50,000), 20008 (size > 100), 10035 (page < 0).
// The token, signature and throttling codes are [UNVERIFIED] ("Token/permission/throttle codes were
// not found in sources"): check them against the live error-code page and change them here only.

export const DOUDIAN_ERR = {
  success: 10000,
  /** 系统错误 isp.service-error:*: transient, retry. */
  system: 20000,
  /** 系统繁忙: "retry 3–5 times within 30 s". */
  busy: 20004,
  busy2: 20005,
  /** page × size > 50,000. */
  pageTooDeep: 20013,
  /** size > 100. */
  sizeTooLarge: 20008,
  /** Only the last 90 days. */
  horizon: 20022,
  /** page < 0. */
  pageNegative: 10035,
  missingParam: 40002,
  badParam: 40004,
  business: 50002,
  /** access_token 已过期 / 无效 [UNVERIFIED code]. */
  tokenExpired: 30002,
  /** 签名校验失败 [UNVERIFIED code; sub_code isv.signature-invalid]. */
  badSign: 30001,
  /** timestamp 超出允许范围 [UNVERIFIED: code and the ±10 min skew]. */
  badTimestamp: 30003,
  /** 调用频率超限 [UNVERIFIED]. */
  throttled: 30004,
} as const;

/** Codes that mean "the shop must re-authorize". */
export const DOUDIAN_TOKEN_CODES: ReadonlySet<number> = new Set([DOUDIAN_ERR.tokenExpired]);
/** Codes that mean "slow down and try again". */
export const DOUDIAN_THROTTLE_CODES: ReadonlySet<number> = new Set([DOUDIAN_ERR.throttled]);
/** Codes that are transient on the platform side (retry without slowing down). */
export const DOUDIAN_TRANSIENT_CODES: ReadonlySet<number> = new Set([DOUDIAN_ERR.system, DOUDIAN_ERR.busy, DOUDIAN_ERR.busy2]);

/**
 * The one envelope doudian uses for success and error alike
 * (docs/platforms/douyin.md#decrypt-push-backs-and-codes); success = code 10000.
 */
export interface DoudianEnvelope<T = unknown> {
  code: number;
  msg: string;
  sub_code: string;
  sub_msg: string;
  log_id: string;
  data: T;
}
