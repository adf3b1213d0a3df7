// Order rows carry where the order stands with stock: `stock` (reserved / short / null, a shipped
// order holds nothing), why it waits, and per line the warehouse its units are held in or left
// from; the 缺货 filter reads the partial index orders_stock_short_idx, never the whole table.
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRow } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';
import { buildOrderWhere } from './query.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const list = async (fx: Fixture, filter: object = {}) =>
  ok<{ rows: OrderRow[] }>(await fx.call('orders.list', { filter, sort: { field: 'paidAt', dir: 'asc' } })).rows;

describe('stock on order rows', () => {
  it('reserved, short with its reason, per-line warehouses, and the 缺货 filter', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('warehouses.add', { code: 'WH-HZ', name: '杭州仓' }));
    ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH-HZ', quantity: 2 }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-HZ', quantity: 5 }));
    const [a, b] = fx.addOrders([platformOrder(1), platformOrder(2)]);
    const rows = await list(fx);
    expect(rows.map((r) => [r.id, r.stock, r.stockShortReason, r.lineWarehouses])).toEqual([
      [a, 'reserved', null, [{ lineNo: 1, warehouse: 'WH-HZ' }, { lineNo: 2, warehouse: 'WH-HZ' }]],
      [b, 'short', 'insufficient', [{ lineNo: 1, warehouse: null }, { lineNo: 2, warehouse: null }]],
    ]);
    expect((await list(fx, { stock: 'short' })).map((r) => r.id)).toEqual([b]);
    expect((await list(fx, { stock: 'reserved' })).map((r) => r.id)).toEqual([a]);

    ok(await fx.call('orders.ship', { items: [{ id: a, carrierCode: 'SF', waybillNo: 'SF1234567890' }] }));
    const [shipped] = (await list(fx)).filter((r) => r.id === a);
    expect(shipped).toMatchObject({ stock: null, stockShortReason: null, lineWarehouses: [{ lineNo: 1, warehouse: 'WH-HZ' }, { lineNo: 2, warehouse: 'WH-HZ' }] });
  });

  it('the 缺货 filter is answered from orders_stock_short_idx', () => {
    const fx = (f = openFixture());
    const w = buildOrderWhere({ stock: 'short' });
    const plan = fx.db.$client
      .prepare(`EXPLAIN QUERY PLAN SELECT o.seq FROM orders o WHERE ${w.sql} ORDER BY o.paid_at DESC, o.seq DESC LIMIT 100`)
      .all(...w.params) as { detail: string }[];
    const text = plan.map((p) => p.detail).join('\n');
    expect(text).toContain('orders_stock_short_idx');
    expect(text).not.toContain('TEMP B-TREE');
  });
});
