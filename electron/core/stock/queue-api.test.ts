// The 缺货 list through the API (first paid first, with what each order lacks) and 退货入库: units of
// a shipped line back into the warehouse it left, at most what the line had, refilling the queue.
import { afterEach, describe, expect, it } from 'vitest';
import type { MovementResult, ShortOrderView } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { lineItem } from '../../testkit/ingest-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

async function station(): Promise<Fixture> {
  const fx = (f = openFixture());
  ok(await fx.call('warehouses.add', { code: 'WH-A', name: '杭州仓' }));
  ok(await fx.call('warehouses.add', { code: 'WH-B', name: '广州仓' }));
  return fx;
}
const state = (fx: Fixture, id: string) => fx.db.$client.prepare('SELECT stock_state FROM orders WHERE id = ?').pluck().get(id);

describe('stock.short', () => {
  it('lists waiting orders first paid first, each with the SKUs it lacks', async () => {
    const fx = await station();
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-A', quantity: 1 }));
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-B', quantity: 1 }));
    const [a, b] = fx.addOrders([platformOrder(1), platformOrder(2)]);
    const rows = ok<ShortOrderView[]>(await fx.call('stock.short', {}));
    expect(rows.map((r) => [r.id, r.reason, r.missing])).toEqual([
      [a, 'insufficient', [{ sku: 'NZ-2301-BK-M', need: 2, available: 1 }]],
      [b, 'insufficient', [{ sku: 'NZ-2301-BK-M', need: 2, available: 1 }]],
    ]);
    expect(rows[0]).toMatchObject({ platformOrderId: 'P00000001', shopName: '杭州女装旗舰店', platform: 'taobao' });
  });
});

describe('stock.return', () => {
  it('puts a shipped line back where it left, refills the queue, and refuses more than the line had', async () => {
    const fx = await station();
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-B', quantity: 2 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-B', quantity: 5 }));
    const [a, b] = fx.addOrders([platformOrder(1), platformOrder(2)]);
    expect(state(fx, b!)).toBe('short');
    ok(await fx.call('orders.ship', { items: [{ id: a, carrierCode: 'SF', waybillNo: 'SF1234567890' }] }));

    const r = ok<MovementResult>(await fx.call('stock.return', { orderId: a, lineNo: 1, quantity: 2, note: '客户拒收' }));
    expect(r.movements.map((m) => [m.sku, m.warehouse, m.delta, m.reason, m.reference])).toEqual([['NZ-2301-BK-M', 'WH-B', 2, 'return', 'P00000001#1']]);
    expect(state(fx, b!)).toBe('reserved');

    const again = await fx.call('stock.return', { orderId: a, lineNo: 1, quantity: 1 });
    expect(again.ok ? 'ok' : again.error.reason).toBe('stock.return_too_many');
  });

  it('asks for a warehouse when the line never shipped from one, and refuses an unmapped line', async () => {
    const fx = await station();
    const [a] = fx.addOrders([platformOrder(1, { items: [lineItem(1, { outerSkuCode: 'SOCK-01', quantity: 1 }), lineItem(1, { platformItemId: 'X', outerSkuCode: 'UNKNOWN' })] })]);
    const noWh = await fx.call('stock.return', { orderId: a, lineNo: 1, quantity: 1 });
    expect(noWh.ok ? 'ok' : noWh.error.reason).toBe('stock.return_needs_warehouse');
    ok(await fx.call('stock.return', { orderId: a, lineNo: 1, quantity: 1, warehouse: 'WH-A' }));
    const unmapped = await fx.call('stock.return', { orderId: a, lineNo: 2, quantity: 1, warehouse: 'WH-A' });
    expect(unmapped.ok ? 'ok' : unmapped.error.reason).toBe('stock.return_unmapped');
  });
});
