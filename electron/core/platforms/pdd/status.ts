// PDD statuses → the common model. The order's refund_status codes and how they relate to the
// after-sale list's after_sales_status are in docs/platforms/refund-status.md; a code not listed there
// is 'unknown' with a warning, never a quarantined order.
import type { AfterSaleState, OrderStatus } from '../../../shared/model.ts';
import type { Warn } from '../lenient.ts';

/** Order refund_status (docs/platforms/refund-status.md#pdd): 1 无售后或售后关闭, 2 售后处理中, 3 退款中, 4 退款成功. */
export const PDD_REFUND: Record<number, AfterSaleState> = { 1: 'none', 2: 'requested', 3: 'in_progress', 4: 'refunded' };

/** order_status + confirm_status → common status (docs/platforms/common.md#common-status-mapping). */
export function pddStatusOf(orderStatus: number, confirmStatus: number): OrderStatus | null {
  if (confirmStatus === 2) return 'closed'; // 已取消 wins over the shipping stage
  if (confirmStatus === 0) return 'unpaid'; // 未成交: not a deal yet, nothing to ship
  if (confirmStatus !== 1) return null;
  return ({ 1: 'awaiting_shipment', 2: 'shipped', 3: 'completed' } as Record<number, OrderStatus>)[orderStatus] ?? null;
}

/** refund_status → after-sale state; unreadable or unlisted is 'unknown', said through `warn`. */
export function pddAfterSaleOf(code: unknown, warn: Warn): AfterSaleState {
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    warn(`refund_status ${code === undefined ? 'missing' : JSON.stringify(code)} is not readable; after-sale state unknown, kept raw`);
    return 'unknown';
  }
  const state = PDD_REFUND[code];
  if (state === undefined) {
    warn(`refund_status ${code} is not in the documented table; after-sale state unknown, kept raw`);
    return 'unknown';
  }
  return state;
}
