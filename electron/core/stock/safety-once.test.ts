// Safety stock is the SKU's, counted once over all warehouses, by reservation as by the figures the
// stock list, alerts and pushes show: an order waits exactly when the SKU's available figure is
// below what it needs (or no warehouse's free units can place it); and one ingest batch hands units
// out in paid-time order, whatever order its orders arrived in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { ingestInto, lineItem, order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { evaluateAlerts } from './alerts.ts';
import { figuresIn, figuresOf } from './available.ts';
import { shortQueue } from './short-queue.ts';

let db: Db;
let seq = 0;
beforeEach(() => {
  db = setupDb();
  for (const code of ['A', 'B'])
    db.$client
      .prepare("INSERT INTO warehouses (id, code, name, address, regions, priority, created_at, updated_at) VALUES (?, ?, ?, NULL, '[]', 0, 0, 0)")
      .run(`wh-${code}`, code, code);
});
afterEach(() => db.$client.close());

function receive(code: string, n: number): void {
  seq += 1;
  db.$client
    .prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, 'sku-1', ?, ?, 'receive', 't', ?, 'op')")
    .run(`m-${seq}`, `wh-${code}`, n, T0 + seq);
}
const safety = (n: number) => db.$client.prepare("UPDATE skus SET safety_stock = ? WHERE id = 'sku-1'").run(n);
const stateOf = (n: number) =>
  db.$client.prepare("SELECT stock_state FROM orders WHERE shop_id = 'shop-a' AND platform_order_id = ?").pluck().get(order(n).platformOrderId);
const qty = (n: number, q: number) => order(n, { items: [lineItem(n, { quantity: q })] });

describe('safety stock counted once per SKU', () => {
  it('reserves what the SKU total allows even when one warehouse alone is below the safety stock', () => {
    safety(2);
    receive('A', 5);
    receive('B', 1);
    // Available: 6 − 0 − 2 = 4. Warehouse A has 5 free units: an order of 4 fits there.
    ingestInto(db, 'shop-a', [qty(1, 4)]);
    expect(stateOf(1)).toBe('reserved');
    expect(figuresOf(db, 'sku-1')).toMatchObject({ onHand: 6, reserved: 4, safety: 2, available: 0 });
    expect(figuresIn(db, 'sku-1', 'wh-A')).toMatchObject({ onHand: 5, reserved: 4, available: 1 });
  });

  it('an order waits exactly when the shown available figure is below its need, and the alert says so', () => {
    safety(2);
    receive('A', 5);
    receive('B', 1);
    ingestInto(db, 'shop-a', [qty(1, 2)]);
    ingestInto(db, 'shop-a', [qty(2, 2)]);
    // Both fit the SKU's 4 available units; nothing is left for a third.
    expect([stateOf(1), stateOf(2)]).toEqual(['reserved', 'reserved']);
    expect(figuresOf(db, 'sku-1').available).toBe(0);
    ingestInto(db, 'shop-a', [qty(3, 1)]);
    expect(stateOf(3)).toBe('short');
    // The safety stock is held back from orders: the 2 units left on hand stay.
    expect(figuresOf(db, 'sku-1')).toMatchObject({ onHand: 6, reserved: 4, available: 0 });
    const [waiting] = shortQueue(db, { limit: 10, offset: 0 });
    expect(waiting!.missing).toEqual([{ sku: 'NZ-2301-BK-M', need: 1, available: 0 }]);
    const alerts = writeTx(db, (tx) => evaluateAlerts(tx, ['sku-1'], T0 + 1e6));
    expect(alerts.raised.map((a) => a.kind)).toContain('out');
  });

  it('takes the safety stock from the total once, not from every warehouse', () => {
    safety(3);
    receive('A', 4);
    receive('B', 4);
    // Per warehouse less safety would be 1 + 1; the SKU has 8 − 3 = 5 available, and A 4 free units.
    ingestInto(db, 'shop-a', [qty(1, 4)]);
    expect(stateOf(1)).toBe('reserved');
    ingestInto(db, 'shop-a', [qty(2, 2)]);
    expect(stateOf(2)).toBe('short');
    expect(figuresOf(db, 'sku-1').available).toBe(1);
  });
});

describe('one ingest batch settles in paid-time order', () => {
  it('gives the units to the earlier-paid order when a later-paid one arrives first in the batch', () => {
    receive('A', 2);
    const later = order(2, { paidAt: T0 + 500_000 });
    const earlier = order(1, { paidAt: T0 + 100_000 });
    ingestInto(db, 'shop-a', [later, earlier]);
    expect(stateOf(1)).toBe('reserved');
    expect(stateOf(2)).toBe('short');
  });

  it('an order already here that becomes paid in the batch competes by its paid time too', () => {
    receive('A', 2);
    ingestInto(db, 'shop-a', [order(1, { status: 'unpaid', paidAt: null })]);
    expect(stateOf(1)).toBe(null);
    const newer = order(2, { paidAt: T0 + 500_000 });
    const paidNow = order(1, { paidAt: T0 + 100_000, platformUpdatedAt: T0 + 600_000 });
    ingestInto(db, 'shop-a', [newer, paidNow]);
    expect(stateOf(1)).toBe('reserved');
    expect(stateOf(2)).toBe('short');
  });
});
