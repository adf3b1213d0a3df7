// The loopback doudian server's write and decrypt APIs: order.logisticsAdd (ships an order of the
// mutable `orders` array and remembers carrier + waybill), order.addOrderRemark, order.orderDetail (with
// logistics_info), order.batchDecrypt (plaintext held server-side, batch size and a call rate
// enforced) and logistics.trackNoRouteDetail for what it shipped. Business refusals use the 50002
// sub_codes docs/platforms/douyin.md lists.
import type { PlatformOrder } from '../../../shared/model.ts';
import { routeSoFar, type RouteStep } from '../server-trace-route.ts';
import { FLAG_OF_STAR, doudianCipherText as encrypt, doudianShopOrder } from './server-order.ts';
import { DECRYPT_MAX_ITEMS as DOUDIAN_DECRYPT_BATCH, DOUDIAN_CODES as DOUDIAN_ERR, DOUDIAN_METHOD, DoudianFault, REMARK_MAX as DOUDIAN_REMARK_MAX, SANDBOX_COMPANY_CODES } from './server-protocol.ts';

export { DoudianFault };

/**
 * Decrypt calls allowed per rolling second. doudian's real quota is in no source (docs/platforms/douyin.md);
 * 5/s is this sandbox's choice, counted on the wall clock (not the server's `now`, which tests freeze).
 */
export const DECRYPT_CALLS_PER_SECOND = 5;

export interface Shipment {
  companyCode: string;
  trackingNo: string;
  shippedAt: number;
}

export interface ActionState {
  orders: PlatformOrder[];
}

const business = (code: number, msg: string): DoudianFault => new DoudianFault(DOUDIAN_ERR.business, `isv.business-failed:${code}`, msg);
const badParam = (msg: string): DoudianFault => new DoudianFault(DOUDIAN_ERR.badParam, 'isv.parameter-invalid', msg);

function text(param: Record<string, unknown>, key: string): string {
  const v = param[key];
  if (v === undefined || v === null || v === '') throw new DoudianFault(DOUDIAN_ERR.missingParam, `isv.missing-parameter:${key}`, `缺少必选参数 ${key}`);
  if (typeof v !== 'string' && typeof v !== 'number') throw badParam(`${key} must be a string`);
  return String(v);
}

const KNOWN_COMPANIES = new Set(Object.values(SANDBOX_COMPANY_CODES));
// Waybill numbers are letters and digits; real per-carrier rules are stricter (60017) [UNVERIFIED].
const WAYBILL = /^[A-Za-z0-9]{8,32}$/;

/** Route steps as a state code and its words. The codes are this sandbox's own [UNVERIFIED]: the adapter reads the words. */
const ROUTE_STATES: Record<RouteStep, [string, string]> = {
  collected: ['collect', '已揽收'],
  departed: ['transport', '运输中'],
  arrived: ['transport', '运输中'],
  delivering: ['delivering', '派送中'],
  signed: ['sign', '已签收'],
  signed_at_locker: ['sign', '已签收'],
};

export function createDoudianActions(state: ActionState, now: () => number, secret: string) {
  const shipments = new Map<string, Shipment>();
  const decryptCalls: number[] = [];

  function find(orderId: string): { index: number; order: PlatformOrder } {
    const index = state.orders.findIndex((o) => o.platformOrderId === orderId);
    const order = state.orders[index];
    if (index < 0 || !order) throw business(60033, '订单不存在');
    return { index, order };
  }

  /** The ShopOrder as searchList and orderDetail send it, with the waybill once shipped here. */
  function payload(o: PlatformOrder): Record<string, unknown> {
    const s = shipments.get(o.platformOrderId);
    const logistics = s ? [{ tracking_no: s.trackingNo, company: s.companyCode, company_name: s.companyCode, ship_time: Math.floor(s.shippedAt / 1000) }] : [];
    return { ...doudianShopOrder(o, secret), logistics_info: logistics };
  }

  function logisticsAdd(param: Record<string, unknown>): unknown {
    const orderId = text(param, 'order_id');
    const companyCode = text(param, 'company_code');
    const trackingNo = text(param, 'logistics_code');
    const { index, order } = find(orderId);
    if (order.status === 'shipped') throw business(60110, '订单已发货，不允许再次执行发货');
    if (order.status === 'completed') throw business(60113, '订单已完结');
    if (order.status === 'closed') throw business(60021, '订单已取消');
    if (order.status === 'unpaid') throw business(60033, '订单未支付，不能发货'); // [UNVERIFIED] sub_code for unpaid
    if (order.afterSale === 'requested') throw business(60040, '有退款申请需要处理');
    if (order.afterSale === 'in_progress') throw business(60120, '售后中');
    if (order.afterSale === 'refunded') throw business(60068, '已售前退款成功');
    if (!KNOWN_COMPANIES.has(companyCode)) throw business(60018, '不支持该物流公司');
    if (!WAYBILL.test(trackingNo)) throw business(60017, '物流单号不符合规则');
    const at = now();
    shipments.set(orderId, { companyCode, trackingNo, shippedAt: at });
    state.orders[index] = { ...order, status: 'shipped', platformUpdatedAt: at };
    return {};
  }

  function addOrderRemark(param: Record<string, unknown>): unknown {
    const orderId = text(param, 'order_id');
    const remark = typeof param.remark === 'string' ? param.remark : '';
    if ([...remark].length > DOUDIAN_REMARK_MAX) throw badParam(`remark 不能超过${DOUDIAN_REMARK_MAX}个字`);
    const { index, order } = find(orderId);
    let flag = order.sellerFlag;
    if (param.is_add_star === 'true' || param.is_add_star === true) {
      const star = Number(param.star);
      if (!Number.isInteger(star) || star < 0 || star > 5) throw badParam('star 取值 0..5');
      flag = FLAG_OF_STAR[star as 0 | 1 | 2 | 3 | 4 | 5];
    }
    state.orders[index] = { ...order, sellerMemo: remark === '' ? null : remark, sellerFlag: flag, platformUpdatedAt: now() };
    return {};
  }

  function orderDetail(param: Record<string, unknown>): unknown {
    return { shop_order_detail: payload(find(text(param, 'shop_order_id')).order) };
  }

  function batchDecrypt(param: Record<string, unknown>): unknown {
    const infos = param.cipher_infos;
    if (!Array.isArray(infos) || infos.length === 0) throw new DoudianFault(DOUDIAN_ERR.missingParam, 'isv.missing-parameter:cipher_infos', '缺少必选参数 cipher_infos');
    if (infos.length > DOUDIAN_DECRYPT_BATCH) throw badParam(`cipher_infos 最多 ${DOUDIAN_DECRYPT_BATCH} 条`);
    const wall = Date.now();
    while (decryptCalls.length > 0 && (decryptCalls[0] as number) <= wall - 1000) decryptCalls.shift();
    if (decryptCalls.length >= DECRYPT_CALLS_PER_SECOND) throw new DoudianFault(DOUDIAN_ERR.throttled, 'isv.frequency-limited', '解密调用频率超限，请稍后再试');
    decryptCalls.push(wall);
    let failed = 0;
    const decrypt_infos = infos.map((raw: unknown) => {
      const info = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const authId = String(info.auth_id ?? '');
      const cipherText = String(info.cipher_text ?? '');
      const o = state.orders.find((x) => x.platformOrderId === authId);
      const fields: [string, number][] = o ? [[o.receiver.address, 1], [o.receiver.name, 2], [o.receiver.phone, 3]] : [];
      // The sandbox's ciphertext is a keyed hash of the plaintext, so "decrypting" is finding the field it hashes.
      const hit = fields.find(([plain]) => encrypt(plain, secret) === cipherText);
      if (!hit) {
        failed += 1;
        return { auth_id: authId, cipher_text: cipherText, decrypt_text: '', err_no: 300003, err_msg: o ? '密文与订单不匹配' : '订单不存在', data_type: 0, is_virtual_tel: false };
      }
      return { auth_id: authId, cipher_text: cipherText, decrypt_text: hit[0], err_no: 0, err_msg: '', data_type: hit[1], is_virtual_tel: false };
    });
    // Partial failure: the call succeeds, the failed items carry err_no and custom_err says so (300008).
    return { decrypt_infos, custom_err: failed > 0 ? { err_code: 300008, err_msg: `${failed} 条解密失败` } : { err_code: 0, err_msg: '' } };
  }

  /** logistics.trackNoRouteDetail: the scripted route (server-trace-route.ts) of a waybill shipped here; none yet for others. */
  function trackNoRouteDetail(param: Record<string, unknown>): unknown {
    const companyCode = text(param, 'logistics_code');
    const trackNo = text(param, 'track_no');
    if (!KNOWN_COMPANIES.has(companyCode)) throw business(60018, '不支持该物流公司');
    const shipped = [...shipments.entries()].find(([, s]) => s.trackingNo === trackNo && s.companyCode === companyCode);
    const order = shipped ? state.orders.find((o) => o.platformOrderId === shipped[0]) : undefined;
    const nodes =
      shipped && order
        ? routeSoFar(order.platformOrderId, order.receiver.city || order.receiver.province, shipped[1].shippedAt, now()).map((n) => ({
            content: n.description,
            timestamp: String(Math.floor(n.at / 1000)),
            state: ROUTE_STATES[n.step][0],
            state_description: ROUTE_STATES[n.step][1],
            site_name: n.site,
          }))
        : [];
    return { track_info: { track_no: trackNo, express: companyCode }, route_node_list: nodes };
  }

  const handlers: Record<string, (param: Record<string, unknown>) => unknown> = {
    [DOUDIAN_METHOD.trackNoRouteDetail]: trackNoRouteDetail,
    [DOUDIAN_METHOD.logisticsAdd]: logisticsAdd,
    [DOUDIAN_METHOD.addOrderRemark]: addOrderRemark,
    [DOUDIAN_METHOD.orderDetail]: orderDetail,
    [DOUDIAN_METHOD.batchDecrypt]: batchDecrypt,
  };

  return {
    handlers,
    payload,
    /** What was shipped here, by order id (tests and the demo read it). */
    shipments: shipments as ReadonlyMap<string, Shipment>,
  };
}
