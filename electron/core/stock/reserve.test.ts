// settleOrders and refillShort on a real SQLite database: an order holds its lines' component units
// in the chosen warehouse, all or none; shipping turns held rows into ship movements; cancelling,
// a refund before shipping or a local close release them and the 缺货 queue is refilled first-paid
// first; settling again changes nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { ingestInto, lineItem, order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { BY_WAREHOUSE_SQL, figuresByWarehouse, figuresIn, figuresOf } from './available.ts';
import { OfflineQuotas } from './quotas.ts';
import { QUOTA_WAITING_SQL, settleOrders } from './reserve.ts';
import { refillShort } from './short-queue.ts';

let db: Db;
let seq = 0;
beforeEach(() => {
  db = setupDb();
  const c = db.$client;
  c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('sku-2', 'p1', 'SOCK-01', '袜', 500), ('set-1', 'p1', 'SET-01', '套装', 2999)").run();
  c.prepare("INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES ('set-1', 'sku-1', 1, 0), ('set-1', 'sku-2', 2, 0)").run();
});
afterEach(() => db.$client.close());

function warehouse(code: string, regions: string[] = [], priority = 0): void {
  db.$client
    .prepare('INSERT INTO warehouses (id, code, name, address, regions, priority, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?, 0, 0)')
    .run(`wh-${code}`, code, code, JSON.stringify(regions), priority);
}
function receive(sku: string, code: string, n: number): void {
  seq += 1;
  db.$client
    .prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, ?, ?, ?, 'receive', 't', ?, 'op')")
    .run(`m-${seq}`, sku, `wh-${code}`, n, T0 + seq);
}
const idOf = (n: number, shop = 'shop-a'): string =>
  db.$client.prepare('SELECT id FROM orders WHERE shop_id = ? AND platform_order_id = ?').pluck().get(shop, order(n).platformOrderId) as string;
const stateOf = (id: string) => db.$client.prepare('SELECT stock_state AS state, stock_short_reason AS reason FROM orders WHERE id = ?').get(id);
const held = (id: string) =>
  db.$client
    .prepare("SELECT line_no AS line, sku_id AS sku, warehouse_id AS wh, quantity AS q FROM stock_reservations WHERE order_id = ? AND state = 'held' ORDER BY line_no, sku_id")
    .all(id);
const settle = (ids: string[], at = T0 + 1e6) => writeTx(db, (tx) => settleOrders(tx, ids, at));
const put = (o: PlatformOrder[], shop: 'shop-a' | 'shop-b' = 'shop-a') => ingestInto(db, shop, o);
const dirty = () => db.$client.prepare('SELECT sku_id FROM stock_dirty ORDER BY sku_id').pluck().all();
const total = (sku: string) => db.$client.prepare('SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = ?').pluck().get(sku);

describe('settleOrders', () => {
  it('reserves a paid order whole in one warehouse, and settling again changes nothing', () => {
    warehouse('A');
    receive('sku-1', 'A', 5);
    put([order(1)]);
    const id = idOf(1);
    settle([id]);
    expect(stateOf(id)).toEqual({ state: 'reserved', reason: null });
    expect(held(id)).toEqual([{ line: 1, sku: 'sku-1', wh: 'wh-A', q: 2 }]);
    expect(figuresIn(db, 'sku-1', 'wh-A')).toMatchObject({ onHand: 5, reserved: 2, available: 3 });
    expect(dirty()).toEqual(['sku-1']);
    const changes = db.$client.prepare('SELECT total_changes()').pluck();
    const before = changes.get();
    settle([id]);
    settle([id]);
    expect(changes.get()).toBe(before);
    expect(db.$client.prepare('SELECT count(*) FROM stock_reservations').pluck().get()).toBe(1);
  });

  it('holds nothing and leaves stock_state null for unpaid orders, unmapped lines, or a station without warehouses', () => {
    put([order(1), order(2, { status: 'unpaid', paidAt: null }), order(3, { items: [lineItem(3, { outerSkuCode: 'NOPE' })] })]);
    settle([idOf(1), idOf(2), idOf(3)]);
    expect(stateOf(idOf(1))).toEqual({ state: null, reason: null }); // no warehouse yet
    warehouse('A');
    receive('sku-1', 'A', 10);
    settle([idOf(1), idOf(2), idOf(3)]);
    expect(stateOf(idOf(1))).toMatchObject({ state: 'reserved' });
    expect(stateOf(idOf(2))).toMatchObject({ state: null });
    expect(stateOf(idOf(3))).toMatchObject({ state: null });
  });

  it('reserves a bundle line as its components and a gift line like any line', () => {
    warehouse('A');
    receive('sku-1', 'A', 5);
    receive('sku-2', 'A', 10);
    put([order(1, { items: [lineItem(1, { outerSkuCode: 'SET-01', quantity: 2, isBundle: true }), lineItem(1, { platformItemId: 'G', outerSkuCode: 'SOCK-01', quantity: 1, isGift: true, paidFen: 0 })] })]);
    const id = idOf(1);
    settle([id]);
    expect(held(id)).toEqual([
      { line: 1, sku: 'sku-1', wh: 'wh-A', q: 2 },
      { line: 1, sku: 'sku-2', wh: 'wh-A', q: 4 },
      { line: 2, sku: 'sku-2', wh: 'wh-A', q: 1 },
    ]);
  });

  it('an order that cannot be filled waits whole in 缺货 with the reason, holding nothing', () => {
    warehouse('A');
    receive('sku-1', 'A', 1);
    receive('sku-2', 'A', 5);
    put([order(1, { items: [lineItem(1), lineItem(1, { platformItemId: 'X', outerSkuCode: 'SOCK-01', quantity: 1 })] })]);
    settle([idOf(1)]);
    expect(stateOf(idOf(1))).toEqual({ state: 'short', reason: 'insufficient' });
    expect(held(idOf(1))).toEqual([]);
    expect(figuresIn(db, 'sku-2', 'wh-A').reserved).toBe(0);
  });

  it('splits by line across warehouses for Taobao but not for PDD', () => {
    warehouse('A');
    warehouse('B');
    receive('sku-1', 'A', 2);
    receive('sku-2', 'B', 1);
    const two = (n: number) => order(n, { items: [lineItem(n), lineItem(n, { platformItemId: 'X', outerSkuCode: 'SOCK-01', quantity: 1 })] });
    put([two(1)], 'shop-a');
    put([two(2)], 'shop-b');
    settle([idOf(1, 'shop-a'), idOf(2, 'shop-b')]);
    expect(held(idOf(1, 'shop-a'))).toEqual([
      { line: 1, sku: 'sku-1', wh: 'wh-A', q: 2 },
      { line: 2, sku: 'sku-2', wh: 'wh-B', q: 1 },
    ]);
    expect(stateOf(idOf(2, 'shop-b'))).toEqual({ state: 'short', reason: 'insufficient' });
    receive('sku-1', 'A', 2);
    receive('sku-2', 'B', 1);
    writeTx(db, (tx) => refillShort(tx, ['sku-1', 'sku-2'], T0 + 2e6));
    expect(stateOf(idOf(2, 'shop-b'))).toEqual({ state: 'short', reason: 'no_single_warehouse' });
    receive('sku-2', 'A', 1);
    writeTx(db, (tx) => refillShort(tx, ['sku-2'], T0 + 3e6));
    expect(stateOf(idOf(2, 'shop-b'))).toEqual({ state: 'reserved', reason: null });
    expect(held(idOf(2, 'shop-b')).map((r) => (r as { wh: string }).wh)).toEqual(['wh-A', 'wh-A']);
  });

  it('shipping turns held rows into ship movements referencing the order; available does not move', () => {
    warehouse('A');
    receive('sku-1', 'A', 5);
    put([order(1)]);
    const id = idOf(1);
    settle([id]);
    db.$client.prepare("UPDATE orders SET stage = 'shipped' WHERE id = ?").run(id);
    settle([id]);
    settle([id]);
    expect(stateOf(id)).toEqual({ state: 'shipped', reason: null });
    expect(figuresIn(db, 'sku-1', 'wh-A')).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    const m = db.$client.prepare("SELECT delta, reference FROM stock_movements WHERE reason = 'ship'").all();
    expect(m).toEqual([{ delta: -2, reference: order(1).platformOrderId }]);
    const r = db.$client.prepare('SELECT state, movement_id IS NOT NULL AS linked FROM stock_reservations WHERE order_id = ?').all(id);
    expect(r).toEqual([{ state: 'shipped', linked: 1 }]);
  });

  it('a cancel, a refund request before shipping and a local close release, and the queue is refilled first-paid first', () => {
    warehouse('A');
    receive('sku-1', 'A', 2);
    put([order(1), order(2), order(3)]);
    settle([idOf(1), idOf(2), idOf(3)]);
    expect([stateOf(idOf(1)), stateOf(idOf(2)), stateOf(idOf(3))].map((s) => (s as { state: string }).state)).toEqual(['reserved', 'short', 'short']);

    put([order(1, { status: 'closed', platformUpdatedAt: T0 + 9e6 })]);
    settle([idOf(1)]);
    expect(stateOf(idOf(1))).toEqual({ state: null, reason: null });
    expect(stateOf(idOf(2))).toMatchObject({ state: 'reserved' });
    expect(stateOf(idOf(3))).toMatchObject({ state: 'short' });

    put([order(2, { afterSale: 'requested', platformUpdatedAt: T0 + 9e6 })]);
    settle([idOf(2)]);
    expect(stateOf(idOf(2))).toEqual({ state: null, reason: null });
    expect(stateOf(idOf(3))).toMatchObject({ state: 'reserved' });

    db.$client.prepare("UPDATE orders SET status = 'closed', close_reason = 'dup' WHERE id = ?").run(idOf(3));
    settle([idOf(3)]);
    expect(figuresIn(db, 'sku-1', 'wh-A')).toMatchObject({ onHand: 2, reserved: 0 });
    expect(db.$client.prepare("SELECT count(*) FROM stock_reservations WHERE state = 'released'").pluck().get()).toBe(3);
  });

  it('a hold does not release', () => {
    warehouse('A');
    receive('sku-1', 'A', 2);
    put([order(1)]);
    settle([idOf(1)]);
    db.$client.prepare("UPDATE orders SET hold_reason = '等通知' WHERE id = ?").run(idOf(1));
    settle([idOf(1)]);
    expect(stateOf(idOf(1))).toMatchObject({ state: 'reserved' });
  });

  it('a short order that no longer should hold leaves the queue', () => {
    warehouse('A');
    put([order(1)]);
    settle([idOf(1)]);
    expect(stateOf(idOf(1))).toMatchObject({ state: 'short' });
    put([order(1, { status: 'closed', platformUpdatedAt: T0 + 9e6 })]);
    settle([idOf(1)]);
    expect(stateOf(idOf(1))).toEqual({ state: null, reason: null });
    const shortRows = db.$client.prepare("SELECT count(*) FROM orders INDEXED BY orders_stock_short_idx WHERE stock_state = 'short'").pluck().get();
    expect(shortRows).toBe(0);
  });

  it('lines changed after reserving are held afresh', () => {
    warehouse('A');
    receive('sku-1', 'A', 10);
    put([order(1)]);
    settle([idOf(1)]);
    put([order(1, { items: [lineItem(1, { quantity: 5 })], platformUpdatedAt: T0 + 9e6 })]);
    settle([idOf(1)]);
    expect(held(idOf(1))).toEqual([{ line: 1, sku: 'sku-1', wh: 'wh-A', q: 5 }]);
    expect(figuresIn(db, 'sku-1', 'wh-A').reserved).toBe(5);
  });
});

describe('settling a batch', () => {
  it('reads the offline quotas once per batch, also when nothing limits the station', () => {
    warehouse('A');
    receive('sku-1', 'A', 100);
    const read = vi.spyOn(OfflineQuotas, 'of');
    try {
      put([order(1), order(2), order(3)]);
      expect(read).toHaveBeenCalledTimes(1);
      read.mockClear();
      settle([idOf(1), idOf(2), idOf(3)]);
      expect(read).toHaveBeenCalledTimes(1);
    } finally {
      read.mockRestore();
    }
    expect([1, 2, 3].map((n) => stateOf(idOf(n)))).toEqual([1, 2, 3].map(() => ({ state: 'reserved', reason: null })));
  });
});

describe('what a batch reads', () => {
  it("reads a SKU's figures in every warehouse at once, the same as figuresIn and figuresOf", () => {
    warehouse('A');
    warehouse('B');
    warehouse('C');
    receive('sku-1', 'A', 3);
    receive('sku-1', 'B', 7);
    receive('sku-1', 'B', -1);
    db.$client.prepare("UPDATE skus SET safety_stock = 2 WHERE id = 'sku-1'").run();
    put([order(1), order(2, { items: [lineItem(2, { quantity: 5 })] })]);
    expect(db.$client.prepare("SELECT count(*) FROM stock_reservations WHERE state = 'held'").pluck().get()).toBe(2);
    const f = figuresByWarehouse(db, 'sku-1');
    for (const w of ['wh-A', 'wh-B', 'wh-C']) expect(f.free.get(w) ?? 0).toBe(figuresIn(db, 'sku-1', w).available);
    expect(f.available).toBe(figuresOf(db, 'sku-1').available);
    expect(f.available).toBe(9 - 7 - 2);
    for (const sql of Object.values(BY_WAREHOUSE_SQL)) {
      const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('sku-1') as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(/SEARCH \w+ USING (COVERING INDEX stock_movements_balance_idx|INDEX sqlite_autoindex_stock_held_totals_1) \(sku_id=\?\)/);
      expect(plan).not.toContain('TEMP B-TREE');
    }
  });

  it('at its end, finds orders waiting for an offline quota through their own index, not by reading every short order', () => {
    const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${QUOTA_WAITING_SQL}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SCAN o USING (COVERING )?INDEX orders_stock_quota_wait_idx/);
    expect(plan).toContain('USING INDEX order_items_order_line_uq (order_id=?)');
  });
});

describe('held rows written together', () => {
  it('a batch of orders writes its held rows with their types, and each row is captured for the hub', () => {
    warehouse('A');
    receive('sku-1', 'A', 100);
    receive('sku-2', 'A', 100);
    db.$client.prepare("INSERT INTO meta (key, value) VALUES ('hub.capture', '1')").run();
    const orders = Array.from({ length: 30 }, (_, i) => order(i + 1, { items: [lineItem(i + 1), lineItem(i + 1, { outerSkuCode: 'SET-01', quantity: 1 })] }));
    put(orders);
    const rows = db.$client
      .prepare("SELECT typeof(line_no) AS line, typeof(quantity) AS q, typeof(order_id) AS o, state, count(*) AS n FROM stock_reservations GROUP BY 1, 2, 3, 4")
      .all();
    // Per order: line 1 holds sku-1, the bundle line its two components.
    expect(rows).toEqual([{ line: 'integer', q: 'integer', o: 'text', state: 'held', n: 90 }]);
    expect(held(idOf(7))).toEqual([
      { line: 1, sku: 'sku-1', wh: 'wh-A', q: 2 },
      { line: 2, sku: 'sku-1', wh: 'wh-A', q: 1 },
      { line: 2, sku: 'sku-2', wh: 'wh-A', q: 2 },
    ]);
    expect(figuresIn(db, 'sku-1', 'wh-A')).toMatchObject({ reserved: 90, available: 10 });
    const captured = db.$client.prepare("SELECT count(*) FROM op_effects WHERE tbl = 'stock_reservations' AND kind = 'i'").pluck().get();
    expect(captured).toBe(90);
  });

  it('an order listed twice in one batch settles its second version against the rows its first one queued', () => {
    warehouse('A');
    receive('sku-1', 'A', 10);
    receive('sku-2', 'A', 10);
    const later = (n: number, o: Partial<PlatformOrder>) => order(n, { platformUpdatedAt: order(n).platformUpdatedAt + 1000, ...o });
    // Paid, then cancelled; paid, then its line changed to another SKU; and one paid after both.
    put([order(1), later(1, { status: 'closed' }), order(2), later(2, { items: [lineItem(2, { outerSkuCode: 'SOCK-01', quantity: 3 })] }), order(3)]);
    expect(stateOf(idOf(1))).toEqual({ state: null, reason: null });
    expect(held(idOf(1))).toEqual([]);
    expect(stateOf(idOf(2))).toEqual({ state: 'reserved', reason: null });
    expect(held(idOf(2))).toEqual([{ line: 1, sku: 'sku-2', wh: 'wh-A', q: 3 }]);
    expect(held(idOf(3))).toEqual([{ line: 1, sku: 'sku-1', wh: 'wh-A', q: 2 }]);
    const states = db.$client.prepare('SELECT state, count(*) AS n FROM stock_reservations GROUP BY state ORDER BY state').all();
    expect(states).toEqual([{ state: 'held', n: 2 }, { state: 'released', n: 2 }]);
    expect(figuresIn(db, 'sku-1', 'wh-A')).toMatchObject({ reserved: 2, available: 8 });
    expect(figuresIn(db, 'sku-2', 'wh-A')).toMatchObject({ reserved: 3, available: 7 });
  });
});

describe('refillShort', () => {
  it('fills short orders in paid-time order; a first order that still does not fit keeps a smaller later one waiting', () => {
    warehouse('A');
    put([order(1, { items: [lineItem(1, { quantity: 3 })] }), order(2, { items: [lineItem(2, { quantity: 1 })] }), order(3, { items: [lineItem(3, { quantity: 1 })] })]);
    settle([idOf(3), idOf(2), idOf(1)]);
    receive('sku-1', 'A', 2);
    writeTx(db, (tx) => refillShort(tx, ['sku-1'], T0 + 2e6));
    expect([1, 2, 3].map((n) => (stateOf(idOf(n)) as { state: string }).state)).toEqual(['short', 'short', 'short']);
    receive('sku-1', 'A', 2);
    writeTx(db, (tx) => refillShort(tx, ['sku-1'], T0 + 3e6));
    expect([1, 2, 3].map((n) => (stateOf(idOf(n)) as { state: string }).state)).toEqual(['reserved', 'reserved', 'short']);
    expect(total('sku-1')).toBe(4);
  });

  it('when the first waiting order leaves the queue, the next one gets the units it was kept from', () => {
    warehouse('A');
    receive('sku-1', 'A', 2);
    put([order(1, { items: [lineItem(1, { quantity: 3 })] }), order(2, { items: [lineItem(2, { quantity: 1 })] })]);
    settle([idOf(1), idOf(2)]);
    expect([stateOf(idOf(1)), stateOf(idOf(2))].map((s) => (s as { state: string }).state)).toEqual(['short', 'reserved']);
    put([order(3, { items: [lineItem(3, { quantity: 1 })] })]);
    settle([idOf(3)]);
    // Order 3 takes the last unit; now order 4 waits behind order 1.
    put([order(4, { items: [lineItem(4, { quantity: 1 })] })]);
    settle([idOf(4)]);
    receive('sku-1', 'A', 1);
    writeTx(db, (tx) => refillShort(tx, ['sku-1'], T0 + 2e6));
    expect([stateOf(idOf(1)), stateOf(idOf(4))].map((s) => (s as { state: string }).state)).toEqual(['short', 'short']);
    put([order(1, { items: [lineItem(1, { quantity: 3 })], status: 'closed', platformUpdatedAt: T0 + 9e6 })]);
    settle([idOf(1)]);
    expect([stateOf(idOf(1)), stateOf(idOf(4))].map((s) => (s as { state: string | null }).state)).toEqual([null, 'reserved']);
  });

  it('finds orders waiting for a SKU through a bundle of it', () => {
    warehouse('A');
    put([order(1, { items: [lineItem(1, { outerSkuCode: 'SET-01', quantity: 1 })] })]);
    settle([idOf(1)]);
    expect(stateOf(idOf(1))).toMatchObject({ state: 'short' });
    receive('sku-1', 'A', 1);
    receive('sku-2', 'A', 2);
    writeTx(db, (tx) => refillShort(tx, ['sku-2'], T0 + 2e6));
    expect(stateOf(idOf(1))).toMatchObject({ state: 'reserved' });
  });
});
