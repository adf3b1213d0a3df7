// What the loopback doudian (抖店) gateway knows of Douyin's protocol, written from
// docs/platforms/douyin.md and kept apart from the adapter on purpose: the signature it checks, the
// methods it serves, the envelope codes and sub_codes it answers with, the limits it enforces and the
// carrier codes it accepts. Nothing here comes from the adapter's modules (sign.ts, errors.ts,
// payload.ts, pushback.ts, waybill.ts, trace.ts), so an adapter that drifts from the protocol fails.
import { createHash, createHmac } from 'node:crypto';

export const DOUDIAN_METHOD = {
  searchList: 'order.searchList',
  orderDetail: 'order.orderDetail',
  logisticsAdd: 'order.logisticsAdd',
  addOrderRemark: 'order.addOrderRemark',
  batchDecrypt: 'order.batchDecrypt',
  newCreateOrder: 'logistics.newCreateOrder',
  trackNoRouteDetail: 'logistics.trackNoRouteDetail',
} as const;

/**
 * Envelope codes. Sourced: 10000 success, 20000 system, 40002 missing param, 40004 bad param, 50002
 * business failure, and searchList's 20022 / 20013 / 20008 / 10035. The token, signature, timestamp
 * and throttling codes are not in any source read; these are the values docs/platforms/douyin.md records.
 */
export const DOUDIAN_CODES = {
  success: 10000,
  system: 20000,
  pageTooDeep: 20013,
  sizeTooLarge: 20008,
  horizon: 20022,
  pageNegative: 10035,
  missingParam: 40002,
  badParam: 40004,
  business: 50002,
  tokenExpired: 30002,
  badSign: 30001,
  badTimestamp: 30003,
  throttled: 30004,
} as const;

/** A refusal in doudian's envelope terms (code, sub_code, sub_msg); server.ts renders it. */
export class DoudianFault extends Error {
  constructor(
    readonly code: number,
    readonly subCode: string,
    readonly subMsg: string,
  ) {
    super(subMsg);
  }
}

/** The one envelope doudian uses for success and error alike; success = code 10000. */
export interface DoudianEnvelopeBody {
  code: number;
  msg: string;
  sub_code: string;
  sub_msg: string;
  log_id: string;
  data: unknown;
}

/** ±10 minutes around the gateway's clock (no source gives doudian's own). */
export const TIMESTAMP_SKEW_S = 600;
/** searchList: only the last 90 days; size ≤ 100; page from 0; page × size ≤ 50,000. */
export const HORIZON_S = 90 * 86_400;
export const MAX_SIZE = 100;
export const MAX_DEPTH = 50_000;
/** addOrderRemark: remark of at most 60 characters. */
export const REMARK_MAX = 60;
/** batchDecrypt: at most 50 cipher_infos per call. */
export const DECRYPT_MAX_ITEMS = 50;

/**
 * The signature doudian checks. P = "app_key"+key+"method"+method+"param_json"+body+"timestamp"+ts+"v2"
 * in that fixed order; hmac-sha256 → lower-hex HMAC-SHA256(key = secret, secret + P + secret), legacy
 * md5 → lower-hex MD5(secret + P + secret). The body is signed byte for byte as it arrived.
 */
export function expectedSign(p: { appKey: string; method: string; body: string; timestamp: string }, secret: string, signMethod: 'hmac-sha256' | 'md5'): string {
  const wrapped = `${secret}app_key${p.appKey}method${p.method}param_json${p.body}timestamp${p.timestamp}v2${secret}`;
  return signMethod === 'md5' ? createHash('md5').update(wrapped, 'utf8').digest('hex') : createHmac('sha256', secret).update(wrapped, 'utf8').digest('hex');
}

/** company_code (logisticsCompanyList) per carrier for the sandbox shop; only "zhongtong" has a source. */
export const SANDBOX_COMPANY_CODES: Readonly<Record<string, string>> = {
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
