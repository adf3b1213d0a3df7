// Where a SKU's stock went: stock.reservations lists the SKU's reservations in every state with
// their orders, newest first, and only that SKU's.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReservationView } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

describe('stock.reservations', () => {
  it("lists one SKU's reservations in every state with their orders, newest first", async () => {
    const fx = (f = openFixture());
    ok(await fx.call('warehouses.add', { code: 'WH-A', name: '仓库 A' }));
    fx.addOrders([platformOrder(1), platformOrder(2)]);
    const c = fx.db.$client;
    // Only the rows written here: whatever the ingest reserved itself is cleared first.
    c.exec('DELETE FROM stock_reservations');
    const ins = c.prepare(
      `INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at, settled_at)
       VALUES (?, ?, ?, (SELECT id FROM skus WHERE outer_sku_code = ?), (SELECT id FROM warehouses WHERE code = 'WH-A'), ?, ?, ?, ?)`,
    );
    ins.run('r1', fx.idOf(1), 1, 'SOCK-01', 2, 'shipped', 100, 150);
    ins.run('r2', fx.idOf(2), 1, 'SOCK-01', 1, 'held', 200, null);
    ins.run('r3', fx.idOf(2), 2, 'SOCK-01', 4, 'released', 300, 350);
    ins.run('r4', fx.idOf(2), 3, 'NZ-2301-BK-M', 9, 'held', 400, null);
    const rows: ReservationView[] = ok(await fx.call('stock.reservations', { sku: 'SOCK-01' }));
    expect(rows.map((r) => [r.id, r.state, r.quantity, r.warehouse])).toEqual([
      ['r3', 'released', 4, 'WH-A'],
      ['r2', 'held', 1, 'WH-A'],
      ['r1', 'shipped', 2, 'WH-A'],
    ]);
    expect(rows[2]).toMatchObject({ platformOrderId: platformOrder(1).platformOrderId, shopName: '杭州女装旗舰店', settledAt: 150 });
    expect((ok(await fx.call('stock.reservations', { sku: 'SOCK-01', state: 'held' })) as ReservationView[]).map((r) => r.id)).toEqual(['r2']);
    const unknown = await fx.call('stock.reservations', { sku: 'NOPE' });
    expect(unknown.ok).toBe(false);
  });
});
