// 离线配额 on a real SQLite station joined to a hub: while the hub cannot be reached, the station
// holds at most its quota of a SKU — counting what earlier ops the hub has not acknowledged hold
// (found through their recorded effects) and what the same batch takes — and an order the stock
// could fill but the quota cannot waits with reason offline_quota; reachable again, it is held;
// online, or with no quota, nothing changes; a warehouse quota bounds that warehouse only; and
// orders.ship offline skips an order whose units, held while online, would leave past the quota.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { patchHubSettings, setCapture, writeHubSettings } from '../hub/settings.ts';
import { joinedSettings } from '../../testkit/hub-settings.ts';
import { ingestInto, lineItem, order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { shipOrders } from '../orders/ship.ts';
import { actorNamed } from '../session.ts';
import { createStationClock } from '../station/clock.ts';
import { hubUnreachable, OfflineQuotas } from './quotas.ts';
import { settleOrders } from './reserve.ts';

let db: Db;
beforeEach(() => {
  db = setupDb();
  const c = db.$client;
  for (const code of ['A', 'B']) {
    c.prepare("INSERT INTO warehouses (id, code, name, address, regions, priority, created_at, updated_at) VALUES (?, ?, ?, NULL, '[]', ?, 0, 0)").run(`wh-${code}`, code, code, code === 'A' ? 2 : 1);
    c.prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, 'sku-1', ?, 10, 'receive', 't', 0, 'op-0')").run(`m-${code}`, `wh-${code}`);
  }
  writeTx(db, (tx) => {
    writeHubSettings(tx, joinedSettings({ cursor: 1, joinedAt: T0, lastPushAt: T0, lastPullAt: T0 }));
    setCapture(tx, true);
  });
});
afterEach(() => db.$client.close());

const quota = (quantity: number, warehouseId = '', stationId = 'st-1') =>
  db.$client
    .prepare("INSERT OR REPLACE INTO stock_quotas (station_id, sku_id, warehouse_id, quantity, set_by, updated_at) VALUES (?, 'sku-1', ?, ?, 'boss', 0)")
    .run(stationId, warehouseId, quantity);
const offline = () => writeTx(db, (tx) => patchHubSettings(tx, { lastError: { at: T0 + 10, message: 'connect ECONNREFUSED', code: null } }));
const online = () => writeTx(db, (tx) => patchHubSettings(tx, { lastPushAt: T0 + 20, lastPullAt: T0 + 20 }));
const idOf = (n: number): string => db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'shop-a' AND platform_order_id = ?").pluck().get(order(n).platformOrderId) as string;
const stateOf = (n: number) => db.$client.prepare('SELECT stock_state AS state, stock_short_reason AS reason FROM orders WHERE id = ?').get(idOf(n));
const heldUnits = () => db.$client.prepare("SELECT coalesce(sum(quantity), 0) FROM stock_reservations WHERE state = 'held'").pluck().get();

describe('offline quotas', () => {
  it('offline, a station holds at most its quota (earlier unacknowledged ops and this batch counted); reachable again, the waiting order is held', () => {
    quota(5);
    offline();
    expect(hubUnreachable(db)).toBe(true);
    // Two units each: the first batch holds 2 and 2 (4 of 5), the third order does not fit the quota.
    ingestInto(db, 'shop-a', [order(1), order(2)]);
    expect([stateOf(1), stateOf(2)]).toEqual([
      { state: 'reserved', reason: null },
      { state: 'reserved', reason: null },
    ]);
    // A later batch: the held rows of the first one are known only through its op's recorded effects.
    expect(db.$client.prepare("SELECT count(*) FROM ops o JOIN op_effects e ON e.op_id = o.id WHERE e.tbl = 'stock_reservations' AND o.hub_state = 'pending'").pluck().get()).toBe(2);
    ingestInto(db, 'shop-a', [order(3)]);
    expect(stateOf(3)).toEqual({ state: 'short', reason: 'offline_quota' });
    expect(heldUnits()).toBe(4);
    // The hub answers again: the next settle (any batch or command) retries the waiting order.
    online();
    writeTx(db, (tx) => settleOrders(tx, [], T0 + 30));
    expect(stateOf(3)).toEqual({ state: 'reserved', reason: null });
    expect(heldUnits()).toBe(6);
  });

  it('what the hub has acknowledged no longer counts against the quota', () => {
    quota(3);
    offline();
    ingestInto(db, 'shop-a', [order(1)]);
    db.$client.prepare("UPDATE ops SET hub_state = 'acked'").run();
    ingestInto(db, 'shop-a', [order(2)]);
    expect(stateOf(2)).toEqual({ state: 'reserved', reason: null });
  });

  it('online, or without a quota for this station, nothing is limited; stock short of the order stays insufficient', () => {
    quota(1);
    ingestInto(db, 'shop-a', [order(1)]);
    expect(stateOf(1)).toEqual({ state: 'reserved', reason: null });
    offline();
    quota(0, '', 'st-2');
    db.$client.prepare("DELETE FROM stock_quotas WHERE station_id = 'st-1'").run();
    expect(OfflineQuotas.of(db)).toBeNull();
    ingestInto(db, 'shop-a', [order(2), order(3, { items: [lineItem(3, { quantity: 50 })] })]);
    expect(stateOf(2)).toEqual({ state: 'reserved', reason: null });
    expect(stateOf(3)).toEqual({ state: 'short', reason: 'insufficient' });
  });

  it("a warehouse's quota bounds that warehouse: the order is held from the other one", () => {
    quota(1, 'wh-A');
    offline();
    ingestInto(db, 'shop-a', [order(1)]);
    expect(stateOf(1)).toEqual({ state: 'reserved', reason: null });
    expect(db.$client.prepare("SELECT warehouse_id FROM stock_reservations WHERE state = 'held'").pluck().all()).toEqual(['wh-B']);
  });

  it('offline, orders.ship skips an order whose units held while online would leave past the quota; units held offline within it ship', () => {
    let ms = T0 + 1_000_000;
    const now = () => (ms += 1);
    const ctx = { db, actor: actorNamed(db, 'boss', 'owner'), events: new EventBus(), clock: createStationClock(db, now), now };
    const ship = (n: number, waybill: string) => shipOrders(ctx, { items: [{ id: idOf(n), carrierCode: 'ZTO', waybillNo: waybill }] });
    // Held while the hub was reachable, and acknowledged by it.
    ingestInto(db, 'shop-a', [order(1)]);
    db.$client.prepare("UPDATE ops SET hub_state = 'acked'").run();
    quota(3);
    offline();
    // Held offline: 2 of the quota's 3.
    ingestInto(db, 'shop-a', [order(2)]);
    expect(stateOf(2)).toEqual({ state: 'reserved', reason: null });
    // Order 1's 2 units would make 4 of 3: skipped with the reason, nothing shipped.
    expect(ship(1, '731000000001')).toEqual({ changed: 0, skipped: [{ id: idOf(1), reason: 'offline_quota' }] });
    expect(db.$client.prepare('SELECT stage FROM orders WHERE id = ?').pluck().get(idOf(1))).not.toBe('shipped');
    // Order 2's units were counted when they were held: shipping them keeps 2 of 3.
    expect(ship(2, '731000000002').changed).toBe(1);
    // Back online: order 1 ships.
    online();
    expect(ship(1, '731000000001').changed).toBe(1);
  });
});
