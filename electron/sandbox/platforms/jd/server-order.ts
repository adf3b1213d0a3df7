// The orderInfo the loopback JD gateway answers with (enSearch's orderInfoList[] and enGet's
// orderInfo), built from a common order the way docs/platforms/jd.md describes JD's: 元 amounts and
// ids as strings, "yyyy-MM-dd HH:mm:ss" GMT+8 times, an English orderState, consigneeInfo whose plain
// fields are masked beside TDE-style encrypt_* ciphertexts. The server keeps only the keys a caller
// names in optional_fields. Written independently of the adapter's payload.ts.
import { createHash } from 'node:crypto';
import type { PlatformOrder } from '../../../shared/model.ts';
import { fenToYuan } from '../../../shared/money.ts';
import { formatGmt8 } from '../gmt8.ts';
import type { JdState } from './server-protocol.ts';

/** The orderState JD shows for a common order; enSearch lists paid orders only, so unpaid has none. */
export function jdOrderState(o: PlatformOrder): JdState {
  switch (o.status) {
    case 'awaiting_shipment':
      // LOCKED is how JD holds an order while the buyer's cancel/refund request is open.
      return o.afterSale === 'requested' || o.afterSale === 'in_progress' ? 'LOCKED' : 'WAIT_SELLER_STOCK_OUT';
    case 'shipped':
      return 'WAIT_GOODS_RECEIVE_CONFIRM';
    case 'completed':
      return 'FINISHED_L';
    case 'closed':
      return 'TRADE_CANCELED';
    case 'unpaid':
      throw new Error(`jdOrderState: ${o.platformOrderId} is unpaid; enSearch lists paid orders only`);
  }
}

function maskName(name: string): string {
  const chars = [...name];
  return chars.length === 0 ? '' : `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}
/** JD masks phone numbers whole (`****`), unlike the platforms that keep the first three and last four. */
const maskPhone = (phone: string): string => (phone === '' ? '' : '****');
function maskDetail(detail: string): string {
  const chars = [...detail];
  return chars.length <= 4 ? '****' : `${chars.slice(0, 4).join('')}****`;
}
/** A stand-in TDE ciphertext (base64); only the platform, holding the plaintext, can match it. */
export function jdCipherText(plain: string, secret: string): string {
  return createHash('sha256').update(`${secret}|${plain}`).digest('base64');
}

/** Common order → every orderInfo field the sandbox knows; the caller filters by optional_fields. */
export function jdOrderInfo(o: PlatformOrder, secret: string): Record<string, unknown> {
  const r = o.receiver;
  const region = `${r.province}${r.city}${r.district}${r.town ?? ''}`;
  return {
    orderId: o.platformOrderId,
    venderId: '10086',
    orderType: '22', // SOP
    payType: '4-在线支付',
    orderTotalPrice: fenToYuan(o.goodsFen),
    orderSellerPrice: fenToYuan(o.goodsFen - o.discountFen),
    orderPayment: fenToYuan(o.paidFen),
    freightPrice: fenToYuan(o.shippingFen),
    sellerDiscount: fenToYuan(o.discountFen),
    orderState: jdOrderState(o),
    orderStateRemark: '',
    orderStartTime: formatGmt8(o.createdAt),
    paymentConfirmTime: o.paidAt === null ? '' : formatGmt8(o.paidAt),
    modified: formatGmt8(o.platformUpdatedAt),
    orderRemark: o.buyerMessage ?? '',
    venderRemark: o.sellerMemo ?? '',
    pin: o.buyerNick,
    consigneeInfo: {
      fullname: maskName(r.name),
      mobile: maskPhone(r.phone),
      telephone: maskPhone(r.phone),
      fullAddress: `${region}${maskDetail(r.address)}`,
      province: r.province,
      city: r.city,
      county: r.district,
      town: r.town ?? '',
      encrypt_fullname: jdCipherText(r.name, secret),
      encrypt_mobile: jdCipherText(r.phone, secret),
      encrypt_telephone: jdCipherText(r.phone, secret),
      encrypt_fullAddress: jdCipherText(`${region}${r.address}`, secret),
    },
    itemInfoList: o.items.map((it) => ({
      skuId: it.platformSkuId ?? it.platformItemId,
      outerSkuId: it.outerSkuCode ?? '',
      skuName: it.skuName ? `${it.title} ${it.skuName}` : it.title, // JD's skuName carries the spec
      jdPrice: fenToYuan(it.unitPriceFen),
      itemTotal: String(it.quantity),
      wareId: it.platformItemId,
    })),
  };
}
