// TOP trade and refund statuses → the common model (docs/platforms/taobao.md, "Statuses").
// The Taobao adapter reads them; the sandbox, which speaks TOP-shaped payloads, maps both ways.
import type { AfterSaleState, OrderStatus } from '../../../shared/model.ts';

/** TOP Trade.status → common status. */
export const TOP_STATUS: Record<string, OrderStatus> = {
  TRADE_NO_CREATE_PAY: 'unpaid',
  WAIT_BUYER_PAY: 'unpaid',
  PAY_PENDING: 'unpaid',
  WAIT_PRE_AUTH_CONFIRM: 'unpaid',
  WAIT_SELLER_SEND_GOODS: 'awaiting_shipment',
  PAID_FORBID_CONSIGN: 'awaiting_shipment',
  // Partly shipped still has lines to ship: it stays in the shipping queues.
  SELLER_CONSIGNED_PART: 'awaiting_shipment',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_BUYER_SIGNED: 'completed',
  TRADE_FINISHED: 'completed',
  TRADE_CLOSED: 'closed',
  TRADE_CLOSED_BY_TAOBAO: 'closed',
};

/**
 * Order-level refund_status → after-sale state, per the common refund table: CLOSED means the refund
 * was withdrawn or closed. A value not listed here is an 'unknown' after-sale (adapter.ts warns).
 */
export const TOP_REFUND: Record<string, AfterSaleState> = {
  NO_REFUND: 'none',
  CLOSED: 'none',
  WAIT_SELLER_AGREE: 'requested',
  WAIT_BUYER_RETURN_GOODS: 'in_progress',
  WAIT_SELLER_CONFIRM_GOODS: 'in_progress',
  SELLER_REFUSE_BUYER: 'rejected',
  SUCCESS: 'refunded',
};

