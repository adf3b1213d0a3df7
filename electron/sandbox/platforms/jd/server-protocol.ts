// What the loopback JD JOS gateway knows of JD's routerjson protocol, written from
// docs/platforms/jd.md and kept apart from the adapter on purpose: the signature it checks, the
// method names and response keys it answers with, the order states and limits it enforces, its error
// codes and the carrier ids it accepts. Nothing here comes from the adapter's modules (sign.ts,
// errors.ts, payload.ts, pushback.ts), so an adapter that drifts from JD's protocol fails the tests.
import { createHash } from 'node:crypto';

export const JD_METHOD = {
  enSearch: 'jingdong.pop.order.enSearch',
  enGet: 'jingdong.pop.order.enGet',
  shipment: 'jingdong.pop.order.shipment',
  modifyVenderRemark: 'jingdong.pop.order.modifyVenderRemark',
} as const;

/** Response keys: enSearch's "responce" is JD's own spelling; the others follow it where no source says. */
export const JD_KEYS = {
  enSearch: 'jingdong_pop_order_enSearch_responce',
  enGet: 'jingdong_pop_order_enGet_responce',
  shipment: 'jingdong_pop_order_shipment_responce',
  shipmentResult: 'sopjosshipment_result',
  remark: 'jingdong_pop_order_modifyVenderRemark_response',
  remarkResult: 'modifyvenderremark_result',
} as const;

/** Every orderState the POP order APIs know. */
export const JD_STATES = [
  'WAIT_SELLER_STOCK_OUT',
  'WAIT_SELLER_DELIVERY',
  'WAIT_SEND_CODE',
  'WAIT_GOODS_RECEIVE_CONFIRM',
  'FINISHED_L',
  'TRADE_CANCELED',
  'LOCKED',
  'PAUSE',
  'POP_ORDER_PAUSE',
] as const;
export type JdState = (typeof JD_STATES)[number];

/** error_response codes (the shape is sourced, the numbers are not; docs/platforms/jd.md). */
export const JD_CODES = {
  badParams: '66',
  tokenExpired: '19',
  badSign: '14',
  badTimestamp: '67',
  badAppKey: '15',
  throttled: '85',
  serverBusy: '1',
} as const;

/** englishErrCode of a business failure reported inside the result object (apiResult / *_result). */
export const JD_REFUSALS = {
  badDateRange: 'param.date.range.invalid',
  alreadyShipped: 'order.already.shipped',
  orderCanceled: 'order.canceled',
  orderFinished: 'order.finished',
  orderLocked: 'order.locked',
  orderNotFound: 'order.not.exist',
  badLogiNo: 'logi.no.invalid',
  badLogiCopr: 'logi.copr.invalid',
  remarkTooLong: 'remark.too.long',
} as const;

export interface JdErrorBody {
  error_response: { code: string; zh_desc: string; en_desc: string };
}

/** ±10 minutes around the gateway's clock. */
export const TIMESTAMP_SKEW_MS = 10 * 60_000;
/** enSearch: page_size at most 100. */
export const MAX_PAGE_SIZE = 100;
/** venderRemark holds at most 500 characters. */
export const REMARK_MAX = 500;

/** The params the official SDK's TreeMap signs (system params + 360buy_param_json). */
const SIGNED = ['360buy_param_json', 'access_token', 'app_key', 'method', 'timestamp', 'v', 'sign_method', 'jos_result_fuzz', 'reserveParams'];

/** The signature JD checks: upper-hex MD5(secret + k1v1… + secret) over the signed params that are present and non-empty, sorted. */
export function expectedSign(params: Readonly<Record<string, string>>, secret: string): string {
  const keys = SIGNED.filter((k) => (params[k] ?? '') !== '').sort();
  let s = secret;
  for (const k of keys) s += k + params[k];
  s += secret;
  return createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();
}

/** logiCoprId per carrier the sandbox shop has (JD's vendor carrier list would name them); 极兔 and 邮政 have none. */
export const SANDBOX_LOGI_COPR_IDS: Readonly<Record<string, string>> = {
  ZTO: '1499',
  YUNDA: '1327',
  STO: '470',
  YTO: '463',
  SF: '467',
  EMS: '465',
  DBL: '3046',
  JD: '2087',
};
