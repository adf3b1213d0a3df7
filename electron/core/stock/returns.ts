// 退货入库: units of an order line back on the shelf. One ledger command (ledger.ts ledgerCommand):
// a 'return' movement per component SKU of the line (a bundle's components × the quantity), its
// reference "<platform order no.>#<line>" so the line's returns add up, into the warehouse the line
// shipped from unless the caller names another; the units go to the 缺货 queue first like any arrival.
import type { ApiParsedInput, MovementResult } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { CoreContext } from '../api/command.ts';
import { componentsOf } from './components.ts';
import { ledgerCommand, type NewMovement } from './ledger.ts';
import { skuByCode, warehouseByCode } from './lookup.ts';

export function returnStock(ctx: CoreContext, input: ApiParsedInput<'stock.return'>): MovementResult {
  return ledgerCommand(ctx, 'stock.return', input, (scope) => {
    const c = scope.tx.$client;
    const order = c.prepare('SELECT id, platform_order_id AS no FROM orders WHERE id = ?').get(input.orderId) as { id: string; no: string } | undefined;
    if (!order) throw reasonError('order.not_found', { id: input.orderId }, `No order with id ${input.orderId}`);
    const line = c
      .prepare('SELECT sku_id AS skuId, quantity FROM order_items WHERE order_id = ? AND line_no = ?')
      .get(order.id, input.lineNo) as { skuId: string | null; quantity: number } | undefined;
    if (!line) throw reasonError('order.no_line', { id: order.id, lineNo: input.lineNo }, `order ${order.no} has no line ${input.lineNo}`);
    if (line.skuId === null) {
      throw reasonError('stock.return_unmapped', { id: order.id, lineNo: input.lineNo }, `line ${input.lineNo} of order ${order.no} maps to no local SKU`);
    }
    const reference = `${order.no}#${input.lineNo}`;
    const components = componentsOf(scope.tx, line.skuId);
    // Units of the line already back: the first component's returns over its units per line unit.
    const first = components[0]!;
    const back = c.prepare("SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = ? AND reason = 'return' AND reference = ?").pluck();
    const returned = Math.floor((back.get(first.skuId, reference) as number) / first.perUnit);
    if (returned + input.quantity > line.quantity) {
      throw reasonError(
        'stock.return_too_many',
        { id: order.id, lineNo: input.lineNo, ordered: line.quantity, returned, quantity: input.quantity },
        `line ${input.lineNo} of order ${order.no} had ${line.quantity}, ${returned} already returned; ${input.quantity} more cannot come back`,
      );
    }
    let warehouseCode = input.warehouse;
    if (warehouseCode === undefined) {
      const shippedFrom = c
        .prepare(
          `SELECT w.code FROM stock_reservations r JOIN warehouses w ON w.id = r.warehouse_id
            WHERE r.order_id = ? AND r.line_no = ? AND r.state = 'shipped' ORDER BY r.settled_at DESC LIMIT 1`,
        )
        .pluck()
        .get(order.id, input.lineNo) as string | undefined;
      if (shippedFrom === undefined) {
        throw reasonError('stock.return_needs_warehouse', { id: order.id, lineNo: input.lineNo }, `line ${input.lineNo} of order ${order.no} never shipped from a known warehouse: name one`);
      }
      warehouseCode = shippedFrom;
    }
    const warehouse = warehouseByCode(scope.tx, warehouseCode);
    const codeOf = c.prepare('SELECT outer_sku_code FROM skus WHERE id = ?').pluck();
    const moves: NewMovement[] = components.map((comp) => ({
      sku: skuByCode(scope.tx, codeOf.get(comp.skuId) as string),
      warehouse,
      delta: comp.perUnit * input.quantity,
      reason: 'return',
      reference,
      note: input.note ?? null,
    }));
    return { moves, audit: { entity: 'order', entityId: order.id, after: { returned: input.quantity, lineNo: input.lineNo, warehouse: warehouse.code } } };
  });
}
