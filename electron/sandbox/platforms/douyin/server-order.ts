// The ShopOrder the loopback doudian gateway answers with (order.searchList's shop_order_list[] and
// order.orderDetail's shop_order_detail), built from a common order the way docs/platforms/douyin.md
// describes Douyin's: 分 amounts and second timestamps as JSON integers, order_status codes, the
// receiver as encrypt_* ciphertexts plus mask_* copies (no plaintext), sku lines with their own
// after_sale_info, and presale phases in the official SDK's field names. Written independently of the
// adapter's payload.ts, so the two only meet on the wire.
import { createHash } from 'node:crypto';
import type { AfterSaleState, OrderStatus, PlatformOrder } from '../../../shared/model.ts';

/** order_status: 1 待支付, 105 已支付, 2 备货中, 101 部分发货, 3 已发货, 4 已取消, 5 已完成. */
const STATUS: Record<OrderStatus, { order_status: number; order_status_desc: string }> = {
  unpaid: { order_status: 1, order_status_desc: '待支付' },
  awaiting_shipment: { order_status: 2, order_status_desc: '备货中' },
  shipped: { order_status: 3, order_status_desc: '已发货' },
  completed: { order_status: 5, order_status_desc: '已完成' },
  closed: { order_status: 4, order_status_desc: '已取消' },
};

/**
 * sku after_sale_info: after_sale_status 0 售后初始化, 6 售后申请, 7 售后退货中, 12 售后成功, 27 拒绝售后申请;
 * refund_status 1 待退款, 3 退款成功, 4 退款失败 (0 while there is none). A state the station could not
 * read is shown as an open application.
 */
const AFTER_SALE: Record<AfterSaleState, { after_sale_status: number; after_sale_type: number; refund_status: number }> = {
  none: { after_sale_status: 0, after_sale_type: 0, refund_status: 0 },
  requested: { after_sale_status: 6, after_sale_type: 2, refund_status: 1 },
  unknown: { after_sale_status: 6, after_sale_type: 2, refund_status: 1 },
  in_progress: { after_sale_status: 7, after_sale_type: 0, refund_status: 1 },
  refunded: { after_sale_status: 12, after_sale_type: 2, refund_status: 3 },
  rejected: { after_sale_status: 27, after_sale_type: 2, refund_status: 4 },
};

/** Our flag (0 none, 1 red, 2 yellow, 3 green, 4 blue, 5 purple) → doudian star (0 灰 1 紫 2 青 3 绿 4 橙 5 红), nearest colour. */
const STAR_OF_FLAG = [0, 5, 4, 3, 2, 1] as const;
/** doudian star → our flag, the same pairs read back. */
export const FLAG_OF_STAR = [0, 5, 4, 3, 2, 1] as const;

/** The platform's stand-in ciphertext in doudian's "#…#…#…##" shape: a keyed digest only this side can match. */
export function doudianCipherText(plain: string, secret: string): string {
  const h = createHash('sha256').update(`${secret}|${plain}`).digest('base64');
  return `#${h.slice(0, 8)}#${h.slice(8)}#*CgYIASAHKAE=##`;
}

function maskName(name: string): string {
  const chars = [...name];
  return chars.length === 0 ? '' : `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}
function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
function maskDetail(detail: string): string {
  const chars = [...detail];
  return chars.length <= 4 ? '****' : `${chars.slice(0, 4).join('')}****`;
}
const sec = (ms: number): number => Math.floor(ms / 1000);
const region = (name: string) => ({ name, id: createHash('md5').update(name).digest('hex').slice(0, 6) });

/** Common order → doudian ShopOrder (logistics_info is the caller's: what was shipped at this gateway). */
export function doudianShopOrder(o: PlatformOrder, secret: string): Record<string, unknown> {
  const r = o.receiver;
  const addr = { province: region(r.province), city: region(r.city), town: region(r.district), street: r.town ? region(r.town) : { name: '', id: '' } };
  const after = AFTER_SALE[o.afterSale];
  // 定金预售: phase 1 the deposit, phase 2 the balance, each with its own amounts (phase_sum_amount).
  const deposit = o.orderType === 'presale' ? o.presaleDepositFen : null;
  const phases =
    deposit === null
      ? []
      : [
          { phase_order_id: `${o.platformOrderId}-1`, total_phase: 2, current_phase: 1, pay_success: true, phase_sum_amount: deposit, phase_pay_amount: deposit },
          {
            phase_order_id: `${o.platformOrderId}-2`,
            total_phase: 2,
            current_phase: 2,
            pay_success: o.presaleBalanceFen !== null,
            phase_sum_amount: o.presaleBalanceFen ?? Math.max(0, o.paidFen - deposit),
            phase_pay_amount: o.presaleBalanceFen ?? 0,
          },
        ];
  return {
    order_id: o.platformOrderId,
    shop_id: 4463798,
    ...STATUS[o.status],
    create_time: sec(o.createdAt),
    update_time: sec(o.platformUpdatedAt),
    pay_time: o.paidAt === null ? 0 : sec(o.paidAt),
    buyer_words: o.buyerMessage ?? '',
    seller_words: o.sellerMemo ?? '',
    seller_remark_stars: STAR_OF_FLAG[o.sellerFlag] ?? 0,
    doudian_open_id: `#${createHash('md5').update(`${secret}|${o.buyerNick}`).digest('base64')}##`,
    order_amount: o.goodsFen + o.shippingFen,
    pay_amount: o.paidFen,
    post_amount: o.shippingFen,
    promotion_amount: o.discountFen,
    // The receiver: ciphertexts and masked copies; the plain post_receiver / post_tel stay empty.
    post_receiver: '',
    post_tel: '',
    encrypt_post_receiver: doudianCipherText(r.name, secret),
    encrypt_post_tel: doudianCipherText(r.phone, secret),
    mask_post_receiver: maskName(r.name),
    mask_post_tel: maskPhone(r.phone),
    post_addr: { ...addr, detail: '', encrypt_detail: doudianCipherText(r.address, secret) },
    mask_post_addr: { ...addr, detail: maskDetail(r.address) },
    order_phase_list: phases,
    sku_order_list: o.items.map((it, i) => ({
      order_id: `${o.platformOrderId}${String(i + 1).padStart(2, '0')}`,
      parent_order_id: o.platformOrderId,
      product_id: it.platformItemId,
      product_name: it.title,
      sku_id: it.platformSkuId,
      out_sku_id: it.outerSkuCode ?? '',
      code: it.outerSkuCode ?? '',
      spec: it.skuName ? [{ name: '规格', value: it.skuName }] : [],
      product_pic: it.imageUrl ?? '',
      item_num: it.quantity,
      origin_amount: it.unitPriceFen,
      pay_amount: it.paidFen,
      // MASTER 主品 / FREE 免费赠品; a line with no gift binding has neither.
      given_product_type: it.isGift ? 'FREE' : '',
      after_sale_info: after,
    })),
  };
}
