// PDD gateway error codes shared by the loopback server (which sends them) and the adapter (which
// classifies them), so both sides of the simulation agree on one table.
// Only 20004 (签名校验失败) is sourced (docs/platforms/pdd.md#push-backs-and-codes, secondary). The token and
// throttling codes are [UNVERIFIED] (no source gives the throttling error code): check them against
// the live error-code page before going live, and change them here only.

export const PDD_ERR = {
  /** 公共参数错误 / 业务参数错误: bad window, page size, unknown type. Not worth retrying. */
  badParams: 10000,
  /** access_token 已过期或无效 [UNVERIFIED]. */
  tokenExpired: 10019,
  /** 签名校验失败 [public file, secondary]. */
  badSign: 20004,
  /** timestamp 超出允许范围 (±10 min) [UNVERIFIED code]. */
  badTimestamp: 20032,
  /** 调用过于频繁 / 限流 [UNVERIFIED]. */
  throttled: 70031,
  /** 服务端内部错误 [UNVERIFIED]: transient, retry. */
  serverBusy: 50000,
  /** 订单不存在 [UNVERIFIED]. */
  orderNotFound: 52001,
  /** 订单已发货，不能重复发货 [UNVERIFIED: no source gives the already-shipped error code]. */
  orderShipped: 52101,
  /** 订单状态不允许发货 (已取消 / 售后中 / 未成交) [UNVERIFIED]. */
  orderNotShippable: 52102,
  /** logistics_id 不存在 or tracking_number 不合法 [UNVERIFIED]. */
  badLogistics: 52103,
  /** Per-item error_code in data_decrypt_list: 密文无法解密 [UNVERIFIED; the SDK only says 0 = 成功]. */
  decryptFailed: 60001,
} as const;

/** Codes that mean "the shop must re-authorize". */
export const PDD_TOKEN_CODES: ReadonlySet<number> = new Set([PDD_ERR.tokenExpired]);
/** Codes that mean "slow down and try again". */
export const PDD_THROTTLE_CODES: ReadonlySet<number> = new Set([PDD_ERR.throttled]);
/** Business refusals of one push: retrying the same request gets the same answer, so it is rejected. */
export const PDD_BUSINESS_CODES: ReadonlySet<number> = new Set([PDD_ERR.orderNotFound, PDD_ERR.orderShipped, PDD_ERR.orderNotShippable, PDD_ERR.badLogistics]);
/** Codes that are transient on the platform side (retry without slowing down). */
export const PDD_TRANSIENT_CODES: ReadonlySet<number> = new Set([PDD_ERR.serverBusy]);

export interface PddErrorBody {
  error_response: { error_code: number; error_msg: string; sub_code: string; sub_msg: string; request_id: string };
}
