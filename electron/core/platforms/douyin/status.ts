// Doudian statuses → the common model. After-sale codes follow docs/platforms/refund-status.md
// (from docs/platforms/refund-status.md#douyin); a code not listed there is 'unknown' with a
// warning, never a quarantined order.
import type { AfterSaleState, OrderStatus } from '../../../shared/model.ts';
import type { Warn } from '../lenient.ts';

/**
 * order_status (docs/platforms/douyin.md#order-pull-list-versus-detail) → common status; 101 部分发货 still has
 * goods to ship, as Taobao's SELLER_CONSIGNED_PART.
 */
export const DOUDIAN_STATUS: Record<number, OrderStatus> = { 1: 'unpaid', 105: 'awaiting_shipment', 2: 'awaiting_shipment', 101: 'awaiting_shipment', 3: 'shipped', 4: 'closed', 5: 'completed' };

/**
 * after_sale_status on a sku line → after-sale state. The order payload's after_sale_info fields are
 * not named in the notes; the codes are afterSale.List's standard_aftersale_status
 * (docs/platforms/refund-status.md#douyin) plus afterSale.Detail's 51/53. 0 is what a line that never had an
 * after-sale carries.
 */
export const DOUDIAN_AFTER_SALE: Record<number, AfterSaleState> = {
  0: 'none',
  6: 'requested', // 待商家同意
  7: 'in_progress', // 待买家退货
  8: 'in_progress', // 待商家发货 (exchange / resend)
  11: 'in_progress', // 待商家二次同意 (returned, waiting for the seller)
  12: 'refunded', // 售后成功
  13: 'in_progress', // 换货/补寄/维修待买家收货
  14: 'none', // 换货/补寄/维修成功: finished without money back
  27: 'rejected', // 商家一次拒绝
  28: 'none', // 售后失败: closed
  29: 'rejected', // 商家二次拒绝
  51: 'refunded', // 订单取消成功 (afterSale.Detail)
  53: 'refunded', // 逆向交易已完成 (afterSale.Detail)
};

/** after_sale_info.refund_status (docs/platforms/refund-status.md#douyin): 1 待退款, 2 退款中, 3 退款成功, 4 退款失败, 5 追缴成功. */
const REFUND_STATUSES = new Set([0, 1, 2, 3, 4, 5]);

/** An order shows its most pressing line: a state that needs a person beats one that is settled. */
export const AFTER_SALE_RANK: readonly AfterSaleState[] = ['none', 'refunded', 'rejected', 'requested', 'in_progress', 'unknown'];

/**
 * One sku line's after_sale_info → after-sale state. Absent means no after-sale; present but
 * unreadable, or a code the table does not list, is 'unknown' (an after-sale exists, its stage is not
 * known) and is said through `warn`.
 */
export function lineAfterSale(info: unknown, at: string, warn: Warn): AfterSaleState {
  if (info === undefined || info === null) return 'none';
  const rec = typeof info === 'object' && !Array.isArray(info) ? (info as Record<string, unknown>) : null;
  const code = rec?.after_sale_status;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    warn(`${at} has no recognisable after_sale_status; after-sale state unknown, kept raw`);
    return 'unknown';
  }
  let state = DOUDIAN_AFTER_SALE[code];
  if (state === undefined) {
    warn(`${at}.after_sale_status ${code} is not in the documented table; after-sale state unknown, kept raw`);
    return 'unknown';
  }
  const refund = rec?.refund_status;
  if (refund !== undefined && refund !== null) {
    if (typeof refund !== 'number' || !REFUND_STATUSES.has(refund)) {
      warn(`${at}.refund_status ${JSON.stringify(refund)} is not in the documented table; ignored, kept raw`);
    } else if (refund === 3 && (state === 'requested' || state === 'in_progress')) {
      state = 'refunded'; // docs/platforms/refund-status.md#douyin: refund_status 3 = 售后成功
    } else if (refund === 2 && state === 'requested') {
      // docs/platforms/refund-status.md#douyin reads refund_status 1/2 as "agreed, refund executing"; 1 (待退款)
      // also fits a request the seller has not answered yet, so only 2 (退款中) moves a request on.
      state = 'in_progress';
    }
  }
  return state;
}
