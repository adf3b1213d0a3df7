// Kuaishou statuses → the common model. Refund codes follow docs/platforms/refund-status.md (from
// docs/platforms/refund-status.md#kuaishou); a code not listed there is 'unknown' with a warning,
// never a quarantined order.
import type { AfterSaleState, OrderStatus } from '../../../shared/model.ts';

/**
 * orderBaseInfo.status → common status (docs/platforms/common.md#common-status-mapping, Kuaishou column
 * [UNVERIFIED]).
 */
export const KS_STATUS: Record<number, OrderStatus> = {
  10: 'unpaid', // 待付款
  30: 'awaiting_shipment', // 已付款
  40: 'shipped', // 已发货
  50: 'completed', // 已签收
  70: 'completed', // 订单成功
  80: 'closed', // 订单失败
};

/**
 * Refund status (open.seller.order.refund.pcursor.list `status`, docs/platforms/refund-status.md#kuaishou) →
 * after-sale state.
 */
export const KS_REFUND: Record<number, AfterSaleState> = {
  10: 'requested', // 买家已经申请退款，等待卖家同意
  11: 'requested', // 买家退货退款申请 (secondary source)
  12: 'rejected', // 卖家已拒绝，等待买家处理
  20: 'in_progress', // 协商纠纷，等待平台处理
  21: 'in_progress', // 平台介入-买家退货退款申请 (secondary source)
  22: 'in_progress', // 平台介入-已确认退货退款 (secondary source)
  30: 'in_progress', // 卖家已经同意退款，等待买家退货
  40: 'in_progress', // 买家已经退货，等待卖家确认收货
  45: 'in_progress', // 卖家已经发货，等待买家确认收货 (exchange)
  50: 'in_progress', // 卖家已经同意退款，等待系统执行退款
  60: 'refunded', // 退款成功
  70: 'none', // 退款关闭
};
