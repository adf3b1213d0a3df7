// What the loopback PDD gateway knows of PDD's protocol, written from docs/platforms/pdd.md and kept
// apart from the adapter on purpose: the signature it checks, the API names it serves, the limits it
// enforces, the error codes it answers with and the carrier codes it accepts. Nothing here is
// imported from the adapter's modules (sign.ts, errors.ts, carriers.ts, push.ts, waybill.ts, …), so
// a change on the adapter side that PDD would not accept fails the tests instead of travelling along.
import { createHash } from 'node:crypto';

/** API names (the `type` common param) this gateway serves. */
export const PDD_API = {
  incrementGet: 'pdd.order.number.list.increment.get',
  detail: 'pdd.order.information.get',
  ship: 'pdd.logistics.online.send',
  note: 'pdd.order.note.update',
  decrypt: 'pdd.open.decrypt.batch',
  waybill: 'pdd.waybill.get',
  trace: 'pdd.logistics.ordertrace.get',
} as const;

/**
 * error_response codes. Only 20004 签名校验失败 has a (secondary) source; the others are the values
 * this sandbox and docs/platforms/pdd.md agree on until the live error-code page is checked.
 */
export const PDD_CODES = {
  badParams: 10000,
  tokenExpired: 10019,
  badSign: 20004,
  badTimestamp: 20032,
  throttled: 70031,
  serverBusy: 50000,
  orderNotFound: 52001,
  orderShipped: 52101,
  orderNotShippable: 52102,
  badLogistics: 52103,
  /** Per-item error_code inside data_decrypt_list (0 = success). */
  decryptFailed: 60001,
} as const;

/** An error_response to answer with (server.ts renders it). */
export class PddGatewayError extends Error {
  constructor(
    readonly code: number,
    readonly subMsg: string,
  ) {
    super(subMsg);
  }
}

export interface PddErrorBody {
  error_response: { error_code: number; error_msg: string; sub_code: string; sub_msg: string; request_id: string };
}

/** ±10 minutes around the gateway's clock. */
export const TIMESTAMP_SKEW_S = 600;
/** increment.get: start/end_updated_at at most 30 minutes apart. */
export const MAX_WINDOW_S = 30 * 60;
/** increment.get: only the last 3 months. */
export const HORIZON_S = 90 * 86_400;
/** increment.get: page_size 1..100. */
export const MAX_PAGE_SIZE = 100;
/** decrypt.batch: data_list of at most 100 items, one call per 10 s per app outside 多多云. */
export const DECRYPT_MAX_ITEMS = 100;
export const DECRYPT_EVERY_MS = 10_000;
/** waybill.get: the request object's param name and at most 10 trade_order_info_dtos. */
export const WAYBILL_REQUEST_PARAM = 'param_waybill_cloud_print_apply_new_request';
export const WAYBILL_MAX_DTOS = 10;

/**
 * The signature PDD checks: upper-hex MD5(secret + k1v1k2v2… + secret) over every param but `sign`,
 * keys in byte order, values exactly as received (an object value is its JSON text already).
 */
export function expectedSign(params: Readonly<Record<string, string>>, secret: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  let s = secret;
  for (const k of keys) s += k + params[k];
  s += secret;
  return createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();
}

/**
 * logistics_id per carrier, as pdd.logistics.companies.get would list them for the sandbox shop.
 * The common carrier codes are the keys because that is what the station stores.
 */
export const SANDBOX_LOGISTICS_IDS: Readonly<Record<string, number>> = {
  ZTO: 115,
  YTO: 85,
  STO: 1,
  YUNDA: 121,
  JTSD: 384,
  SF: 44,
  EMS: 118,
  POSTB: 132,
  JD: 120,
  DBL: 131,
};

/** wp_code (快递公司编码) per carrier, for waybill.get and ordertrace.get. */
export const SANDBOX_WP_CODES: Readonly<Record<string, string>> = {
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JTSD: 'JTSD',
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'YZXB',
  JD: 'JD',
  DBL: 'DEBANGWULIU',
};
