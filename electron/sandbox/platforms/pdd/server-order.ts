// The order object the loopback PDD gateway answers with (increment.get's order_sn_list[] and
// information.get's order_info), built from a common order the way docs/platforms/pdd.md describes
// PDD's: 元 amounts as JSON numbers, "yyyy-MM-dd HH:mm:ss" GMT+8 times, order_status +
// confirm_status + refund_status codes, receiver ciphertexts only while 待发货 (empty strings
// otherwise) beside masked copies, and no field the notes do not list. Written independently of the
// adapter's payload.ts, so the two only meet on the wire.
import { createHash } from 'node:crypto';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';
import { fenToYuan } from '../../../shared/money.ts';
import { formatGmt8 } from '../gmt8.ts';

export interface PddItemPayload {
  goods_id: number | string;
  sku_id: number | string | null;
  outer_id: string;
  outer_goods_id: string;
  goods_name: string;
  goods_spec: string;
  goods_count: number;
  goods_price: number;
}

/** One PDD order as the list and detail APIs send it. */
export interface PddOrderPayload {
  order_sn: string;
  order_status: number;
  confirm_status: number;
  refund_status: number;
  group_status: number;
  risk_control_status: number;
  trade_type: number;
  step_order_info: { step_trade_status: number; step_paid_fee: number } | null;
  created_time: string;
  confirm_time: string;
  pay_time: string;
  updated_at: string;
  goods_amount: number;
  discount_amount: number;
  seller_discount: number;
  platform_discount: number;
  postage: number;
  pay_amount: number;
  buyer_memo: string;
  remark: string;
  remark_tag: number | null;
  receiver_name: string;
  receiver_phone: string;
  receiver_address: string;
  receiver_name_mask: string;
  receiver_phone_mask: string;
  receiver_address_mask: string;
  province: string;
  city: string;
  town: string;
  item_list: PddItemPayload[];
}

/** order_status (1 待发货, 2 已发货待签收, 3 已签收) + confirm_status (1 已成交, 2 已取消). */
const STAGE: Record<Exclude<OrderStatus, 'unpaid'>, { order_status: number; confirm_status: number }> = {
  awaiting_shipment: { order_status: 1, confirm_status: 1 },
  shipped: { order_status: 2, confirm_status: 1 },
  completed: { order_status: 3, confirm_status: 1 },
  closed: { order_status: 1, confirm_status: 2 },
};

/**
 * refund_status: 1 无售后或售后关闭, 2 售后处理中, 3 退款中, 4 退款成功. A refused after-sale is closed;
 * one whose state the station could not read is still being handled as far as PDD says.
 */
const REFUND_STATUS: Record<AfterSaleState, number> = { none: 1, rejected: 1, requested: 2, unknown: 2, in_progress: 3, refunded: 4 };

/** The platform's stand-in ciphertext in PDD's "~base64~version~" shape: a keyed digest only this side can match. */
export function pddCipherText(plain: string, secret: string): string {
  return `~${createHash('sha256').update(`${secret}|${plain}`).digest('base64')}~1~`;
}

const yuan = (fen: number): number => Number(fenToYuan(fen));
const numericId = (s: string): number | string => (/^\d{1,15}$/.test(s) ? Number(s) : s);

function maskName(name: string): string {
  const chars = [...name];
  return chars.length === 0 ? '' : `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}
function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
function maskAddress(address: string): string {
  const chars = [...address];
  return chars.length <= 6 ? '****' : `${chars.slice(0, 6).join('')}****`;
}

/** Common order → PDD order. The list APIs return paid orders only, so an unpaid one is a caller's mistake. */
export function pddOrderPayload(o: PlatformOrder, secret: string): PddOrderPayload {
  if (o.status === 'unpaid') throw new Error(`pddOrderPayload: ${o.platformOrderId} is unpaid; PDD lists paid orders only`);
  const stage = STAGE[o.status];
  // Receiver ciphertexts only while 待发货; afterwards the fields are empty strings.
  const cipher = o.status === 'awaiting_shipment';
  const r = o.receiver;
  const deposit = o.orderType === 'presale' ? o.presaleDepositFen : null;
  return {
    order_sn: o.platformOrderId,
    ...stage,
    refund_status: REFUND_STATUS[o.afterSale],
    group_status: 1,
    risk_control_status: 0,
    trade_type: o.orderType === 'presale' ? 1 : 0,
    step_order_info: deposit === null ? null : { step_trade_status: o.presaleBalanceFen !== null && o.paidAt !== null ? 2 : 1, step_paid_fee: yuan(deposit) },
    created_time: formatGmt8(o.createdAt),
    confirm_time: o.paidAt === null ? '' : formatGmt8(o.paidAt),
    pay_time: o.paidAt === null ? '' : formatGmt8(o.paidAt),
    updated_at: formatGmt8(o.platformUpdatedAt),
    goods_amount: yuan(o.goodsFen),
    discount_amount: yuan(o.discountFen),
    seller_discount: yuan(o.discountFen),
    platform_discount: 0,
    postage: yuan(o.shippingFen),
    pay_amount: yuan(o.paidFen),
    buyer_memo: o.buyerMessage ?? '',
    remark: o.sellerMemo ?? '',
    remark_tag: o.sellerFlag === 0 ? null : o.sellerFlag,
    receiver_name: cipher ? pddCipherText(r.name, secret) : '',
    receiver_phone: cipher ? pddCipherText(r.phone, secret) : '',
    // The street line, as province/city/town travel in clear beside it.
    receiver_address: cipher ? pddCipherText(r.address, secret) : '',
    receiver_name_mask: maskName(r.name),
    receiver_phone_mask: maskPhone(r.phone),
    receiver_address_mask: maskAddress(r.address),
    province: r.province,
    city: r.city,
    // PDD's `town` is the 区/县 level.
    town: r.district,
    item_list: o.items.map((it) => ({
      goods_id: numericId(it.platformItemId),
      sku_id: it.platformSkuId === null ? null : numericId(it.platformSkuId),
      outer_id: it.outerSkuCode ?? '',
      outer_goods_id: '',
      goods_name: it.title,
      goods_spec: it.skuName ?? '',
      goods_count: it.quantity,
      goods_price: yuan(it.unitPriceFen),
    })),
  };
}

/** The plaintext the gateway holds behind each ciphertext it hands out, with decrypt.batch's data_type. */
export function pddPlainFields(o: PlatformOrder): Array<{ dataType: number; plain: string }> {
  // data_type: 5 收件人, 6 手机号, 8 详细地址.
  return [
    { dataType: 5, plain: o.receiver.name },
    { dataType: 6, plain: o.receiver.phone },
    { dataType: 8, plain: o.receiver.address },
  ];
}
