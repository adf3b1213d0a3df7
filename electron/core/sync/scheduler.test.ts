// The sync scheduler against a real SQLite database and the sandbox platform: end-to-end pulls,
// idempotent re-syncs, crash-and-restart mid-window, quarantine, errors, pauses and concurrency.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { EventBus } from '../api/events.ts';
import { openDatabase, type Db } from '../db/open.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { SandboxAdapter, worldShopOf } from '../platforms/sandbox/adapter.ts';
import { ensureDemoTeam } from '../platforms/sandbox/demo-team.ts';
import { HOUR, MINUTE, ordersAt } from '../platforms/sandbox/generator.ts';
import { SyncScheduler, type SchedulerDeps } from './scheduler.ts';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const LAG = 5000;

interface Harness {
  db: Db;
  events: EventBus;
  clock: { now: number };
  shops: ShopRecord[];
  scheduler(extra?: Partial<SchedulerDeps>): SyncScheduler;
}

const open: Db[] = [];
const schedulers: SyncScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  for (const db of open.splice(0)) db.$client.close();
});

function harness(shopCount: number, settings: Record<string, unknown> = {}): Harness {
  const db = openDatabase(':memory:');
  open.push(db);
  const clock = { now: NOW };
  ensureDemoTeam(db, NOW, { shops: shopCount });
  if (Object.keys(settings).length > 0) {
    for (const row of db.$client.prepare('SELECT id, settings FROM shops').all() as { id: string; settings: string }[]) {
      db.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row.settings), ...settings }), row.id);
    }
  }
  const shops = db.$client.prepare('SELECT id, name, platform, state, settings FROM shops ORDER BY created_at').all() as ShopRecord[];
  const events = new EventBus();
  return {
    db,
    events,
    clock,
    shops,
    scheduler: (extra = {}) => {
      const s = new SyncScheduler({ db, events, now: () => clock.now, backfillMs: 12 * HOUR, ...extra });
      schedulers.push(s);
      return s;
    },
  };
}

/** What the shop's table should hold after syncing [from, end): the world's orders changed since from, as at end. */
function expectedOrders(shop: ShopRecord, from: number, end: number) {
  return ordersAt(worldShopOf(shop), 0, end)
    .filter((o) => o.platformUpdatedAt >= from)
    .map((o) => ({ id: o.platformOrderId, status: o.status, updated: o.platformUpdatedAt, paid: o.paidFen }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function storedOrders(db: Db, shopId: string) {
  return (
    db.$client
      .prepare('SELECT platform_order_id AS id, status, platform_updated_at AS updated, paid_fen AS paid FROM orders WHERE shop_id = ?')
      .all(shopId) as { id: string; status: string; updated: number; paid: number }[]
  ).sort((a, b) => (a.id < b.id ? -1 : 1));
}

const cursorOf = (db: Db, shopId: string) =>
  db.$client.prepare('SELECT cursor_ms, last_success_at, last_error FROM sync_cursors WHERE shop_id = ?').get(shopId) as
    | { cursor_ms: number; last_success_at: number | null; last_error: string | null }
    | undefined;
const count = (db: Db, sql: string, ...args: unknown[]) => (db.$client.prepare(sql).get(...args) as { n: number }).n;

describe('SyncScheduler', () => {
  it('pulls a demo team into SQLite, keeps up as time passes, and a re-sync writes nothing', async () => {
    const h = harness(2);
    const changed: string[][] = [];
    h.events.on('db.changed', (e) => changed.push(e.tables));
    const scheduler = h.scheduler();
    const started = scheduler.syncNow();
    expect(started.sort()).toEqual(h.shops.map((s) => s.id).sort());
    const results = await Promise.all(started.map((id) => scheduler.syncShop(id)));
    for (const r of results) expect(r.error).toBeUndefined();

    const from = NOW - 12 * HOUR;
    for (const shop of h.shops) {
      const expected = expectedOrders(shop, from, NOW - LAG);
      expect(expected.length).toBeGreaterThan(100);
      expect(storedOrders(h.db, shop.id)).toEqual(expected);
      expect(cursorOf(h.db, shop.id)).toMatchObject({ cursor_ms: NOW - LAG, last_success_at: NOW, last_error: null });
    }
    expect(changed.some((t) => t.includes('orders') && t.includes('order_items'))).toBe(true);

    // Same moment again: the overlap re-pulls a couple of minutes, and nothing is written.
    const ops = count(h.db, 'SELECT count(*) AS n FROM ops');
    const again = await scheduler.syncShop(h.shops[0]!.id);
    expect(again.pulled).toBeGreaterThanOrEqual(0);
    expect(again.changed).toBe(0);
    expect(count(h.db, 'SELECT count(*) AS n FROM ops')).toBe(ops);

    // Twenty minutes later: new orders and new states arrive, and the table matches the world again.
    h.clock.now = NOW + 20 * MINUTE;
    const later = await scheduler.syncShop(h.shops[0]!.id);
    expect(later.changed).toBeGreaterThan(0);
    expect(storedOrders(h.db, h.shops[0]!.id)).toEqual(expectedOrders(h.shops[0]!, from, h.clock.now - LAG));
  });

  it('re-pulls a window after a crash mid-window, without duplicates', async () => {
    const h = harness(1, { pageSize: 5 });
    const shop = h.shops[0]!;
    const failAt = NOW - 6 * HOUR;
    let failed: { fromMs: number } | null = null;
    const flaky = (s: ShopRecord): PlatformAdapter => {
      const inner = new SandboxAdapter(s, { now: () => h.clock.now });
      return {
        platform: inner.platform,
        limits: inner.limits,
        toOrder: (p) => inner.toOrder(p),
        pullPage: async (w, page) => {
          // The connection drops on the second page of the first window past failAt — once.
          if (!failed && w.fromMs >= failAt && page === '1') {
            failed = { fromMs: w.fromMs };
            throw new Error('socket hang up');
          }
          return inner.pullPage(w, page);
        },
      };
    };
    const first = await h.scheduler({ adapterFor: flaky }).syncShop(shop.id);
    expect(first.error).toMatch(/socket hang up/);
    expect(failed).not.toBeNull();
    const afterCrash = cursorOf(h.db, shop.id)!;
    // The cursor stopped at the start of the broken window: its first page landed but did not advance it.
    expect(afterCrash.cursor_ms).toBe(failed!.fromMs);
    expect(afterCrash.last_error).toMatch(/socket hang up/);
    const partial = count(h.db, 'SELECT count(*) AS n FROM orders');
    expect(partial).toBeGreaterThan(0);

    // "Restart": a fresh scheduler on the same database resumes from the cursor.
    const second = await h.scheduler().syncShop(shop.id);
    expect(second.error).toBeUndefined();
    const expected = expectedOrders(shop, NOW - 12 * HOUR, NOW - LAG);
    expect(storedOrders(h.db, shop.id)).toEqual(expected);
    expect(count(h.db, 'SELECT count(*) AS n FROM orders')).toBe(expected.length);
    expect(count(h.db, 'SELECT count(*) AS n FROM order_items')).toBe(
      count(h.db, 'SELECT count(*) AS n FROM (SELECT DISTINCT order_id, line_no FROM order_items)'),
    );
    expect(cursorOf(h.db, shop.id)).toMatchObject({ cursor_ms: NOW - LAG, last_error: null });
  });

  it('quarantines malformed payloads with reasons while the rest of the page lands, once each', async () => {
    const h = harness(1, { malformedRate: 0.05 });
    const shop = h.shops[0]!;
    const scheduler = h.scheduler();
    const r = await scheduler.syncShop(shop.id);
    expect(r.error).toBeUndefined();
    expect(r.quarantined).toBeGreaterThan(0);
    const rows = h.db.$client.prepare('SELECT platform_order_id, reason, payload FROM quarantine WHERE shop_id = ?').all(shop.id) as {
      platform_order_id: string | null;
      reason: string;
      payload: string;
    }[];
    expect(rows.length).toBe(r.quarantined);
    for (const row of rows) {
      expect(row.reason).toMatch(/payment|status|order|tid/);
      expect(JSON.parse(row.payload)).toBeTypeOf('object');
    }
    const stored = count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', shop.id);
    const expected = expectedOrders(shop, NOW - 12 * HOUR, NOW - LAG).length;
    expect(stored).toBeGreaterThan(expected * 0.85);
    expect(stored).toBeLessThan(expected);
    // Re-pulling the overlap meets the same bad payloads: no second quarantine row for them.
    await scheduler.syncShop(shop.id);
    expect(count(h.db, 'SELECT count(*) AS n FROM quarantine')).toBe(rows.length);
  });

  it('records a failing shop, marks expired authorisation, skips paused shops and keeps going', async () => {
    const h = harness(3);
    const [expired, paused, healthy] = h.shops as [ShopRecord, ShopRecord, ShopRecord];
    h.db.$client.prepare("UPDATE shops SET state = 'paused' WHERE id = ?").run(paused.id);
    const progress: { shopId: string; phase: string; message?: string }[] = [];
    h.events.on('sync.progress', (e) => progress.push(e));
    const scheduler = h.scheduler({
      adapterFor: (s) => {
        if (s.id === expired.id) throw new AppError('SHOP_AUTH_EXPIRED', '授权已过期，请重新授权');
        return new SandboxAdapter(s, { now: () => h.clock.now });
      },
    });
    const started = scheduler.syncNow();
    expect(started.sort()).toEqual([expired.id, healthy.id].sort());
    await Promise.all(started.map((id) => scheduler.syncShop(id)));

    expect(cursorOf(h.db, expired.id)?.last_error).toMatch(/SHOP_AUTH_EXPIRED/);
    expect(count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', expired.id)).toBe(0);
    expect(count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', paused.id)).toBe(0);
    expect(count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', healthy.id)).toBeGreaterThan(0);
    expect(progress.some((p) => p.shopId === expired.id && p.phase === 'error' && /授权已过期/.test(p.message ?? ''))).toBe(true);

    const status = new Map(scheduler.status().map((s) => [s.shopId, s]));
    expect(status.get(expired.id)).toMatchObject({ state: 'auth_expired', syncing: false });
    expect(status.get(expired.id)!.lastError).toMatch(/SHOP_AUTH_EXPIRED/);
    expect(status.get(paused.id)).toMatchObject({ state: 'paused', lastSuccessAt: null });
    expect(status.get(healthy.id)).toMatchObject({ state: 'active', lastSuccessAt: NOW, lastError: null });
    // An expired shop is no longer active, so the next round leaves it alone.
    expect(scheduler.syncNow()).toEqual([healthy.id]);
  });

  it('caps concurrent shops and runs on its own timer until stopped', async () => {
    const h = harness(4);
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = (s: ShopRecord): PlatformAdapter => {
      const inner = new SandboxAdapter(s, { now: () => h.clock.now });
      return {
        platform: inner.platform,
        limits: inner.limits,
        toOrder: (p) => inner.toOrder(p),
        pullPage: async (w, page) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((r) => setTimeout(r, 2));
          inFlight -= 1;
          return inner.pullPage(w, page);
        },
      };
    };
    const scheduler = h.scheduler({ adapterFor: slow, maxConcurrent: 2, intervalMs: 20, backfillMs: 2 * HOUR });
    const done = new Set<string>();
    const allDone = new Promise<void>((resolve) =>
      h.events.on('sync.progress', (e) => {
        if (e.phase === 'done') done.add(e.shopId);
        if (done.size === 4) resolve();
      }),
    );
    scheduler.start();
    await allDone;
    expect(maxInFlight).toBe(2);
    await scheduler.stop();
    expect(scheduler.status().every((s) => !s.syncing)).toBe(true);
    let after = 0;
    h.events.on('sync.progress', () => (after += 1));
    await new Promise((r) => setTimeout(r, 80));
    expect(after).toBe(0);
    expect(scheduler.syncNow()).toEqual([]);
  });
});
