// Orders and stock meeting: the 缺货 queue (orders that wait for stock, first paid first, with what
// they lack) and 退货入库 (units of an order line put back to stock). Reservations themselves have no
// method: they follow the orders and the ledger inside their own transactions (docs/stock.md#reservations).
// Handlers: electron/core/stock/queue-api.ts.
import { z } from 'zod';
import { ALL_ROLES, STOCK_KEEPERS } from '../roles.ts';
import { lineText } from '../text-guard.ts';
import { id } from './common.ts';
import { type MethodDecl, out } from './define.ts';
import { MAX_STOCK_UNITS, type MovementResult, type ShortReason, stockCode } from './stock.ts';

/** One order waiting in 缺货. */
export interface ShortOrderView {
  id: string;
  platformOrderId: string;
  shopId: string;
  shopName: string;
  platform: string;
  paidAt: number | null;
  reason: ShortReason | null;
  /** The SKUs the team has too few of for this order: what it needs and what is available over every warehouse. */
  missing: { sku: string; need: number; available: number }[];
}

export const stockQueueMethods = {
  /** 缺货: the orders that wait for stock, in paid-time order (the order they are filled in). */
  'stock.short': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['orders', 'order_items', 'shops', 'skus', 'bundle_components', 'stock_movements', 'stock_reservations', 'warehouses'],
    input: z
      .object({
        limit: z.number().int().min(1).max(10_000).default(500),
        offset: z.number().int().min(0).max(10_000_000).default(0),
      })
      .strict(),
    output: out<ShortOrderView[]>(),
  },
  /**
   * 退货入库: units of an order line back to stock (a bundle line: its components), reason 'return',
   * into the warehouse the line shipped from unless another is named; at most what the line had.
   */
  'stock.return': {
    kind: 'command',
    roles: STOCK_KEEPERS,
    input: z
      .object({
        orderId: id,
        lineNo: z.number().int().min(1).max(10_000),
        quantity: z.number().int().min(1).max(MAX_STOCK_UNITS),
        warehouse: stockCode.optional(),
        note: lineText(z.string().trim().max(200, 'at most 200 characters')).optional(),
        requestId: lineText(z.string().trim().min(1).max(100)).optional(),
      })
      .strict(),
    output: out<MovementResult>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type StockQueueMethod = keyof typeof stockQueueMethods;
