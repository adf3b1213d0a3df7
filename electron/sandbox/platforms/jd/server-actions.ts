// The loopback JD gateway's write and detail APIs: jingdong.pop.order.shipment ships an order of the
// mutable `orders` array and remembers logiCoprId + logiNo, modifyVenderRemark sets memo + flag, and
// jingdong.pop.order.enGet shows an order with its waybill. Business refusals come back inside the
// result object ({success:false, englishErrCode, chineseErrCode}), as JD reports them
// (docs/platforms/jd.md).
import type { PlatformOrder, SellerFlag } from '../../../shared/model.ts';
import { jdOrderInfo, jdOrderState } from './server-order.ts';
import { JD_CODES as JD_ERR, JD_KEYS, JD_METHOD, JD_REFUSALS as JD_BIZ_ERR, REMARK_MAX as JD_REMARK_MAX, SANDBOX_LOGI_COPR_IDS } from './server-protocol.ts';

const { enGet: EN_GET_KEY, shipment: SHIPMENT_KEY, shipmentResult: SHIPMENT_RESULT, remark: REMARK_KEY, remarkResult: REMARK_RESULT } = JD_KEYS;

/** A gateway-level refusal (error_response); server.ts renders it. */
export class JdGatewayFault extends Error {
  constructor(
    readonly code: string,
    readonly zhDesc: string,
  ) {
    super(zhDesc);
  }
}

export interface Shipment {
  logiCoprId: string;
  logiNo: string;
  shippedAt: number;
}

const KNOWN_COPR = new Set(Object.values(SANDBOX_LOGI_COPR_IDS));
/** modifyVenderRemark `flag` 0–5 (0 grey = no flag) → the seller flag it shows as. */
const FLAG_BACK = new Map<number, SellerFlag>([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]);
const LOGI_NO = /^[A-Za-z0-9]{8,32}$/; // real per-carrier rules are stricter [UNVERIFIED]

class Refusal extends Error {
  constructor(
    readonly englishErrCode: string,
    readonly chineseErrCode: string,
  ) {
    super(chineseErrCode);
  }
}

const text = (p: Record<string, unknown>, key: string): string => {
  const v = p[key];
  if (v === undefined || v === null || v === '') throw new JdGatewayFault(JD_ERR.badParams, `缺少参数 ${key}`);
  if (typeof v !== 'string' && typeof v !== 'number') throw new JdGatewayFault(JD_ERR.badParams, `${key} 类型错误`);
  return String(v);
};

export function createJdActions(state: { orders: PlatformOrder[] }, now: () => number, secret: string) {
  const shipments = new Map<string, Shipment>();

  function find(id: string): { index: number; order: PlatformOrder } {
    const index = state.orders.findIndex((o) => o.platformOrderId === id);
    const order = state.orders[index];
    // enSearch lists paid orders only; an unpaid one does not exist for the POP APIs either.
    if (index < 0 || !order || order.status === 'unpaid') throw new Refusal(JD_BIZ_ERR.orderNotFound, '订单不存在');
    return { index, order };
  }

  /** Runs a write, answering JD's result object: success, or the refusal inside it. */
  function result(key: string, resultKey: string, run: () => void): unknown {
    try {
      run();
      return { [key]: { code: '0', [resultKey]: { success: true, englishErrCode: 'success', chineseErrCode: '成功' } } };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      return { [key]: { code: '0', [resultKey]: { success: false, englishErrCode: e.englishErrCode, chineseErrCode: e.chineseErrCode } } };
    }
  }

  function shipment(p: Record<string, unknown>): unknown {
    return result(SHIPMENT_KEY, SHIPMENT_RESULT, () => {
      const orderId = text(p, 'orderId');
      const logiCoprId = text(p, 'logiCoprId');
      const logiNo = text(p, 'logiNo');
      const { index, order } = find(orderId);
      const st = jdOrderState(order);
      if (st === 'WAIT_GOODS_RECEIVE_CONFIRM') throw new Refusal(JD_BIZ_ERR.alreadyShipped, '订单已出库，不能重复发货');
      if (st === 'FINISHED_L') throw new Refusal(JD_BIZ_ERR.orderFinished, '订单已完成');
      if (st === 'TRADE_CANCELED') throw new Refusal(JD_BIZ_ERR.orderCanceled, '订单已取消');
      if (st === 'LOCKED') throw new Refusal(JD_BIZ_ERR.orderLocked, '订单已锁定（买家申请了取消/退款），不能出库');
      if (order.afterSale === 'refunded') throw new Refusal(JD_BIZ_ERR.orderCanceled, '订单已退款，不能出库');
      if (!KNOWN_COPR.has(logiCoprId)) throw new Refusal(JD_BIZ_ERR.badLogiCopr, '不支持的物流公司');
      if (!LOGI_NO.test(logiNo)) throw new Refusal(JD_BIZ_ERR.badLogiNo, '运单号不符合规则');
      const at = now();
      shipments.set(orderId, { logiCoprId, logiNo, shippedAt: at });
      state.orders[index] = { ...order, status: 'shipped', platformUpdatedAt: at };
    });
  }

  function modifyVenderRemark(p: Record<string, unknown>): unknown {
    return result(REMARK_KEY, REMARK_RESULT, () => {
      const { index, order } = find(text(p, 'order_id'));
      const remark = typeof p.remark === 'string' ? p.remark : '';
      if ([...remark].length > JD_REMARK_MAX) throw new Refusal(JD_BIZ_ERR.remarkTooLong, `备注不能超过${JD_REMARK_MAX}字`);
      const flag = p.flag === undefined || p.flag === null || p.flag === '' ? order.sellerFlag : FLAG_BACK.get(Number(p.flag));
      if (flag === undefined) throw new JdGatewayFault(JD_ERR.badParams, 'flag 取值 0..5');
      state.orders[index] = { ...order, sellerMemo: remark === '' ? null : remark, sellerFlag: flag, platformUpdatedAt: now() };
    });
  }

  function enGet(p: Record<string, unknown>): unknown {
    const id = text(p, 'order_id');
    const fields = new Set(text(p, 'optional_fields').split(','));
    let order: PlatformOrder;
    try {
      order = find(id).order;
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      return { [EN_GET_KEY]: { code: '0', orderDetailInfo: { apiResult: { success: false, englishErrCode: e.englishErrCode, chineseErrCode: e.chineseErrCode } } } };
    }
    const s = shipments.get(id);
    const full: Record<string, unknown> = { ...jdOrderInfo(order, secret), waybill: s?.logiNo ?? '', logisticsId: s?.logiCoprId ?? '' };
    const orderInfo = Object.fromEntries(Object.entries(full).filter(([k]) => fields.has(k)));
    return { [EN_GET_KEY]: { code: '0', orderDetailInfo: { orderInfo, apiResult: { success: true, englishErrCode: 'success', chineseErrCode: '成功' } } } };
  }

  const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
    [JD_METHOD.shipment]: shipment,
    [JD_METHOD.modifyVenderRemark]: modifyVenderRemark,
    [JD_METHOD.enGet]: enGet,
  };
  return { handlers, shipments: shipments as ReadonlyMap<string, Shipment> };
}
