// The order the loopback Kuaishou gateway answers with (open.order.cursor.list's orderList[] and
// open.order.detail's data), built from a common order the way docs/platforms/kuaishou.md records
// it: orderBaseInfo / orderItemInfo / orderAddress / orderRefundList, integer 分 amounts, epoch-ms
// times, masked receiver fields beside encryptedConsignee / encryptedMobile / encryptedAddress, and
// refund statuses from the after-sale table (10 待商家处理, 30 待买家退货, 12 商家拒绝, 60 退款成功…).
// Written independently of the adapter's payload.ts, so the two only meet on the wire.
import { createHash } from 'node:crypto';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';

/** orderBaseInfo.status: 10 待付款, 30 已付款, 40 已发货, 50 已签收, 70 订单成功, 80 订单失败. */
const STATUS: Record<OrderStatus, number> = { unpaid: 10, awaiting_shipment: 30, shipped: 40, completed: 70, closed: 80 };

/**
 * refundStatus of the order's refund: 10 买家申请·待商家处理, 30 待买家退货, 60 退款成功, 12 商家拒绝,
 * and 20 平台介入 for a state the station could not read. No refund → an empty list.
 */
const REFUND_STATUS: Record<Exclude<AfterSaleState, 'none'>, number> = { requested: 10, in_progress: 30, refunded: 60, rejected: 12, unknown: 20 };

/** The platform's stand-in ciphertext: a keyed digest only this side can match (decrypt.batch, ebill.get). */
export function ksCipherText(plain: string, secret: string): string {
  return createHash('sha256').update(`${secret}|${plain}`).digest('base64');
}

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
/** Ids are 64-bit: numbers while they fit a JSON number exactly, digit strings beyond. */
const idOut = (s: string): number | string => (/^\d{1,15}$/.test(s) ? Number(s) : s);

/** Common order → Kuaishou order. Kuaishou sells one SKU per order (一单一品). */
export function ksOrderPayload(o: PlatformOrder, secret: string): Record<string, unknown> {
  if (o.items.length !== 1) throw new Error(`ksOrderPayload: ${o.platformOrderId} has ${o.items.length} lines; Kuaishou orders are one SKU each`);
  const it = o.items[0] as PlatformOrder['items'][number];
  const r = o.receiver;
  return {
    orderBaseInfo: {
      oid: idOut(o.platformOrderId),
      status: STATUS[o.status],
      createTime: o.createdAt,
      payTime: o.paidAt ?? 0,
      updateTime: o.platformUpdatedAt,
      totalFee: o.paidFen,
      expressFee: o.shippingFen,
      discountFee: o.discountFen,
      buyerNick: o.buyerNick,
      remark: o.buyerMessage ?? '',
      sellerNote: o.sellerMemo ?? '',
      flagTagCode: o.sellerFlag,
      preSale: o.orderType === 'presale' ? 1 : 0,
      depositFee: o.presaleDepositFen,
    },
    orderItemInfo: {
      itemId: idOut(it.platformItemId),
      skuId: it.platformSkuId === null ? null : idOut(it.platformSkuId),
      skuNick: it.outerSkuCode ?? '',
      itemTitle: it.title,
      skuDesc: it.skuName ?? '',
      num: it.quantity,
      price: it.unitPriceFen,
      itemPicUrl: it.imageUrl ?? '',
    },
    orderAddress: {
      consignee: maskName(r.name),
      mobile: maskPhone(r.phone),
      province: r.province,
      city: r.city,
      district: r.district,
      town: r.town ?? '',
      address: maskAddress(r.address),
      encryptedConsignee: ksCipherText(r.name, secret),
      encryptedMobile: ksCipherText(r.phone, secret),
      // The street line's ciphertext, as province/city/district travel in clear beside it.
      encryptedAddress: ksCipherText(r.address, secret),
    },
    orderRefundList:
      o.afterSale === 'none'
        ? []
        : [{ refundId: idOut(`9${o.platformOrderId.replace(/\D/g, '').slice(-12)}`), refundStatus: REFUND_STATUS[o.afterSale], refundFee: o.paidFen }],
  };
}

/**
 * A generated (multi-line) order reshaped the way Kuaishou sells: one SKU per order, amounts
 * recomputed so goods + shipping − discount = paid still holds. Stocks the loopback gateway.
 */
export function asSingleSkuOrder(o: PlatformOrder): PlatformOrder {
  const first = o.items[0] as PlatformOrder['items'][number];
  const goodsFen = first.unitPriceFen * first.quantity;
  const discountFen = Math.min(o.discountFen, goodsFen);
  const paidFen = goodsFen + o.shippingFen - discountFen;
  const deposit = o.presaleDepositFen === null ? null : Math.min(o.presaleDepositFen, paidFen);
  return {
    ...o,
    items: [{ ...first, paidFen: goodsFen - discountFen }],
    goodsFen,
    discountFen,
    paidFen,
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : paidFen - deposit,
  };
}
