// The scheduler end to end that every platform adapter must pass, run per platform: the SyncScheduler
// syncs a shop from the platform's loopback server into a real SQLite file through ingestOrders, picks
// up orders that ship on the "platform" on the next round, and after a throttled round (recorded on
// the cursor, nothing lost) catches up on the round after with the changes made during it. Each platform passes how its list looks
// (which orders it lists, whole seconds or milliseconds) and how its throttling error reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { EventBus } from '../../core/api/events.ts';
import { openDatabase, type Db } from '../../core/db/open.ts';
import { SyncScheduler } from '../../core/sync/scheduler.ts';
import { ensureDemoTeam } from '../../sandbox/demo/demo-team.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';
import type { LoopbackPlatform, LoopbackServer } from './test-adapter.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);

export interface SchedulerSyncSpec<S extends LoopbackServer> extends LoopbackPlatform<S> {
  /** The platform's name in the test titles, e.g. 'PDD'. */
  label: string;
  /**
   * The platform's order as its list shows it, from a generated one: e.g. PDD and JD list paid orders
   * only (so none is unpaid), Kuaishou orders are 一单一品. Leave out when the list shows any order.
   */
  listed?(o: PlatformOrder): PlatformOrder;
  /**
   * True when the platform keeps update times to the millisecond (Kuaishou): the orders and the
   * shipping are then stamped off whole seconds, so a client that truncates would lose them.
   */
  msPrecision?: boolean;
  /** What the scheduler's error says on a throttled round: the platform's throttling code. */
  throttledError: RegExp | string;
}

/** One row per stored order of the shop, in the columns the sync writes from the platform. */
function stored(db: Db, shopId: string) {
  return (
    db.$client.prepare('SELECT platform_order_id AS id, status, paid_fen AS paid, platform_updated_at AS updated FROM orders WHERE shop_id = ?').all(shopId) as {
      id: string;
      status: string;
      paid: number;
      updated: number;
    }[]
  ).sort((a, b) => (a.id < b.id ? -1 : 1));
}
const expected = (orders: PlatformOrder[]) =>
  orders.map((o) => ({ id: o.platformOrderId, status: o.status, paid: o.paidFen, updated: o.platformUpdatedAt })).sort((a, b) => (a.id < b.id ? -1 : 1));

/** Registers the scheduler end to end for one platform (a describe block of its own). */
export function describeSchedulerSync<S extends LoopbackServer>(spec: SchedulerSyncSpec<S>): void {
  describe(`SyncScheduler × ${spec.label} adapter × loopback ${spec.label} server`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    it(`syncs a ${spec.label} shop into SQLite and picks up later changes`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `${spec.platform}-e2e-`));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const db = openDatabase(join(dir, 'shopfleet.db'));
      cleanups.push(() => {
        db.$client.close();
      });
      const clock = { now: NOW };

      // Orders modified over the last 10 hours, as the platform lists them.
      const spacingMs = spec.msPrecision ? 97_013 : 97_000;
      const listed = spec.listed ?? ((o: PlatformOrder) => o);
      const orders: PlatformOrder[] = [...generateOrders({ shops: [{ id: spec.platform, platform: spec.platform, seed: 9 }], count: 300, fromMs: NOW - 3 * 86_400_000, toMs: NOW - 11 * HOUR })]
        .map((g, i) => ({ ...listed(g.order), platformUpdatedAt: NOW - 10 * HOUR + i * spacingMs }))
        .filter((o) => o.platformUpdatedAt < NOW - 5 * MIN);
      const server = await spec.startServer({ orders, ...spec.app, now: () => clock.now });
      cleanups.push(() => server.close());

      ensureDemoTeam(db, NOW, { shops: 1 });
      const shopId = (db.$client.prepare('SELECT id FROM shops').get() as { id: string }).id;
      db.$client.prepare('UPDATE shops SET platform = ?, settings = ? WHERE id = ?').run(spec.platform, JSON.stringify({ gateway: server.url, ...spec.app, pageSize: 25 }), shopId);

      const scheduler = new SyncScheduler({ db, events: new EventBus(), now: () => clock.now, backfillMs: 12 * HOUR, adapterFor: (shop) => spec.createAdapter(shop, { now: () => clock.now }) });
      cleanups.push(() => scheduler.stop());

      const first = await scheduler.syncShop(shopId);
      expect(first.error).toBeUndefined();
      expect(first.quarantined).toBe(0);
      expect(stored(db, shopId)).toEqual(expected(orders));

      // On the platform: ten awaiting orders ship, a few minutes pass.
      clock.now += 10 * MIN;
      const awaiting = orders.filter((o) => o.status === 'awaiting_shipment').slice(0, 10);
      expect(awaiting.length).toBeGreaterThan(0);
      const shippedAt = NOW + 2 * MIN + (spec.msPrecision ? 123 : 0);
      server.orders = server.orders.map((o) => (awaiting.includes(o) ? { ...o, status: 'shipped' as const, platformUpdatedAt: shippedAt } : o));
      const second = await scheduler.syncShop(shopId);
      expect(second.error).toBeUndefined();
      expect(stored(db, shopId)).toEqual(expected(server.orders));

      // Throttled round: more orders ship meanwhile; the round fails, recorded on the cursor, and must
      // not move it past them — the next round catches up on exactly those changes.
      const later = server.orders.filter((o) => o.status === 'awaiting_shipment').slice(0, 3);
      expect(later.length).toBeGreaterThan(0);
      const laterAt = clock.now + 2 * MIN + (spec.msPrecision ? 457 : 0);
      server.orders = server.orders.map((o) => (later.includes(o) ? { ...o, status: 'shipped' as const, platformUpdatedAt: laterAt } : o));
      server.setFault('throttled');
      clock.now += 5 * MIN;
      expect((await scheduler.syncShop(shopId)).error).toMatch(spec.throttledError);
      const notYet = stored(db, shopId).filter((r) => later.some((o) => o.platformOrderId === r.id));
      expect(notYet.map((r) => r.status)).toEqual(later.map(() => 'awaiting_shipment'));
      server.setFault(null);
      clock.now += 5 * MIN;
      expect((await scheduler.syncShop(shopId)).error).toBeUndefined();
      expect(stored(db, shopId)).toEqual(expected(server.orders));
      expect(stored(db, shopId).filter((r) => r.status === 'shipped' && later.some((o) => o.platformOrderId === r.id))).toHaveLength(later.length);
    });
  });
}
