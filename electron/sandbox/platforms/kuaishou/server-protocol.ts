// What the loopback Kuaishou gateway knows of Kuaishou's protocol, written from
// docs/platforms/kuaishou.md and kept apart from the adapter on purpose: the signature it checks, the
// methods (and their HTTP verbs) it serves, its result codes and subCodes, its limits and the carrier
// codes it accepts. Nothing here comes from the adapter's modules (sign.ts, errors.ts, payload.ts,
// pushback.ts, waybill.ts), so an adapter that drifts from the protocol fails the tests.
import { createHash, createHmac } from 'node:crypto';

export const KS_METHOD = {
  cursorList: 'open.order.cursor.list',
  detail: 'open.order.detail',
  deliver: 'open.seller.order.goods.deliver',
  noteAdd: 'open.seller.order.note.add',
  decrypt: 'open.order.decrypt.batch',
  ebillGet: 'open.express.ebill.get',
} as const;

/**
 * `result` codes. 1 is success; 2001 is the one sourced param error ("endTime无效"); the families
 * (21/24 auth, 22 permission, 27/28 signature, 802000 rate limit) come from the PHP SDK's parser and
 * which code means which case is the sandbox's reading, recorded in docs/platforms/kuaishou.md.
 */
export const KS_CODES = {
  ok: 1,
  badParams: 2001,
  tokenInvalid: 21,
  tokenExpired: 24,
  noPermission: 22,
  badTimestamp: 27,
  badSign: 28,
  throttled: 802000,
  business: 2002,
} as const;

/** subCodes of a business refusal (result 2002), named by this sandbox: no source gives Kuaishou's. */
export const KS_SUBCODES = {
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

/** The error body: `result` the code, `error_msg` the words, `subCode`/`subMsg` the detail. */
export interface KsErrorBody {
  result: number;
  error_msg: string;
  subCode: string;
  subMsg: string;
  requestId: string;
}

/** The cursor value that ends paging. */
export const NO_MORE = 'nomore';
/** ±10 minutes of the gateway's clock; windows of at most 30 minutes; 90 days back; pageSize ≤ 100. */
export const TIMESTAMP_SKEW_MS = 10 * 60_000;
export const MAX_WINDOW_MS = 30 * 60_000;
export const HORIZON_MS = 90 * 86_400_000;
export const MAX_PAGE_SIZE = 100;
/** note.add: at most 500 characters; decrypt.batch: at most 100 items; ebill.get: at most 10 requests. */
export const NOTE_MAX = 500;
export const DECRYPT_MAX_ITEMS = 100;
export const EBILL_MAX_REQUESTS = 10;

/**
 * The signature Kuaishou checks: S = "k=v&…" over access_token, appkey, method, param, signMethod,
 * timestamp, version (sorted, raw values) + "&signSecret=" + signSecret; MD5 → lower hex, HMAC_SHA256
 * (key = signSecret) → Base64.
 */
export function expectedSign(params: Readonly<Record<string, string>>, signSecret: string, signMethod: 'MD5' | 'HMAC_SHA256'): string {
  const keys = ['access_token', 'appkey', 'method', 'param', 'signMethod', 'timestamp', 'version'].filter((k) => params[k] !== undefined);
  const s = `${keys.map((k) => `${k}=${params[k]}`).join('&')}&signSecret=${signSecret}`;
  return signMethod === 'MD5' ? createHash('md5').update(s, 'utf8').digest('hex') : createHmac('sha256', signSecret).update(s, 'utf8').digest('base64');
}

/** goods.deliver expressCode per carrier for the sandbox shop (Kuaishou's list would give the real ones). */
export const SANDBOX_EXPRESS_CODES: Readonly<Record<string, number>> = {
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

/** ebill.get expressCompanyCode per carrier the sandbox shop has a waybill subscription with. */
export const SANDBOX_EBILL_CODES: Readonly<Record<string, string>> = {
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JTSD: 'JT',
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'POSTB',
  JD: 'JD',
  DBL: 'DBKD',
};
