// The sync scheduler against a real SQLite database and the sandbox platform: end-to-end pulls,
// idempotent re-syncs, crash-and-restart mid-window, quarantine, errors, pauses and concurrency.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { EventBus } from '../api/events.ts';
import { openDatabase, type Db } from '../db/open.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { SANDBOX_LIMITS, SandboxAdapter, worldShopOf } from '../../sandbox/demo/adapter.ts';
import { ensureDemoTeam } from '../../sandbox/demo/demo-team.ts';
import { HOUR, MINUTE, ordersAt } from '../../sandbox/demo/generator.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformOrder } from '../../shared/model.ts';
import { platformError } from '../platforms/gateway.ts';
import { createPddAdapter, PDD_LIMITS } from '../platforms/pdd/adapter.ts';
import { startPlatformServer as startPddServer, type PlatformServer as PddServer } from '../../sandbox/platforms/pdd/server.ts';
import { generateOrders } from '../../sandbox/demo/generator.ts';
import { createTaobaoAdapter, TAOBAO_LIMITS } from '../platforms/taobao/adapter.ts';
import { startPlatformServer as startTaobaoServer } from '../../sandbox/platforms/taobao/server.ts';
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

/** `inner` with its pullPage replaced (the replacement may call through to inner.pullPage): a gateway that fails on cue. */
function withPullPage(inner: PlatformAdapter, pullPage: PlatformAdapter['pullPage']): PlatformAdapter {
  return { platform: inner.platform, limits: inner.limits, toOrder: (p) => inner.toOrder(p), push: (r) => inner.push(r), decryptReceivers: (r) => inner.decryptReceivers(r), listProducts: (c, w) => inner.listProducts(c, w), writeStock: (w) => inner.writeStock(w), pullPage };
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
  db.$client.prepare('SELECT cursor_ms, last_success_at, last_error, last_error_code, last_error_kind FROM sync_cursors WHERE shop_id = ?').get(shopId) as
    | { cursor_ms: number; last_success_at: number | null; last_error: string | null; last_error_code: string | null; last_error_kind: string | null }
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
      return withPullPage(inner, async (w, page) => {
        // The connection drops on the second page of the first window past failAt — once.
        if (!failed && w.fromMs >= failAt && page === '1') {
          failed = { fromMs: w.fromMs };
          throw new Error('socket hang up');
        }
        return inner.pullPage(w, page);
      });
    };
    const first = await h.scheduler({ adapterFor: flaky }).syncShop(shop.id);
    expect(first.error).toMatch(/socket hang up/);
    expect(failed).not.toBeNull();
    const afterCrash = cursorOf(h.db, shop.id)!;
    // The cursor stopped at the start of the broken window: its first page landed but did not advance it.
    expect(afterCrash.cursor_ms).toBe(failed!.fromMs);
    expect(afterCrash.last_error).toMatch(/socket hang up/);
    // A bare Error (not the adapter's) is stored as INTERNAL and backed off like a transient one.
    expect(afterCrash).toMatchObject({ last_error_code: 'INTERNAL', last_error_kind: 'retryable' });
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

    expect(cursorOf(h.db, expired.id)).toMatchObject({ last_error_code: 'SHOP_AUTH_EXPIRED', last_error_kind: 'auth' });
    expect(count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', expired.id)).toBe(0);
    expect(count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', paused.id)).toBe(0);
    expect(count(h.db, 'SELECT count(*) AS n FROM orders WHERE shop_id = ?', healthy.id)).toBeGreaterThan(0);
    expect(progress.some((p) => p.shopId === expired.id && p.phase === 'error' && /授权已过期/.test(p.message ?? ''))).toBe(true);

    const status = new Map(scheduler.status().map((s) => [s.shopId, s]));
    expect(status.get(expired.id)).toMatchObject({ state: 'auth_expired', syncing: false });
    expect(status.get(expired.id)!.lastError).toMatchObject({ code: 'SHOP_AUTH_EXPIRED', kind: 'auth', message: expect.stringMatching(/授权已过期/) });
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
      return withPullPage(inner, async (w, page) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight -= 1;
        return inner.pullPage(w, page);
      });
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

// ------------------------------------------------------------------------------------------------
// Per-shop resilience: in-round retries against a real loopback gateway, throttle floors, backoff
// between rounds and the circuit breaker.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real SQLite file in a temp dir with one shop of `platform` pointed at a loopback gateway. */
function fileDb(platform: string, settings: Record<string, unknown>): { db: Db; shopId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sync-backoff-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'shopfleet.db'));
  cleanups.push(() => {
    db.$client.close();
  });
  db.$client
    .prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s1', '测试店', ?, 'active', 0, ?)")
    .run(platform, JSON.stringify(settings));
  return { db, shopId: 's1' };
}

/** A scheduler over a fileDb database on `clock`, stopped after the test. */
function fileScheduler(db: Db, clock: { now: number }, deps: Omit<Partial<SchedulerDeps>, 'db' | 'now'>): SyncScheduler {
  const scheduler = new SyncScheduler({ db, events: new EventBus(), now: () => clock.now, backfillMs: 12 * HOUR, ...deps });
  cleanups.push(() => scheduler.stop());
  return scheduler;
}

const PDD_APP = { appKey: 'pdd-app-1', appSecret: 'pdd-s3cret', accessToken: 'tok-123' };

async function pddShop(clock: { now: number }) {
  // PDD lists paid orders only; spread their updates over the last 8 hours in whole seconds.
  const orders: PlatformOrder[] = [...generateOrders({ shops: [{ id: 'p', platform: 'pdd', seed: 5 }], count: 200, fromMs: NOW - 3 * 86_400_000, toMs: NOW - 11 * HOUR })]
    .map((g, i) => ({ ...g.order, status: g.order.status === 'unpaid' ? ('awaiting_shipment' as const) : g.order.status, platformUpdatedAt: NOW - 8 * HOUR + i * 137_000 }))
    .filter((o) => o.platformUpdatedAt < NOW - 5 * MINUTE);
  const server: PddServer = await startPddServer({ orders, ...PDD_APP, now: () => clock.now });
  cleanups.push(() => server.close());
  const { db, shopId } = fileDb('pdd', { gateway: server.url, ...PDD_APP, pageSize: 4 });
  const expected = orders.map((o) => ({ id: o.platformOrderId, status: o.status, updated: o.platformUpdatedAt, paid: o.paidFen })).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { server, db, shopId, expected };
}

describe('SyncScheduler resilience', () => {
  it('retries a page in place through a transient 502 from the PDD gateway and lands every order once', async () => {
    const clock = { now: NOW };
    const { server, db, shopId, expected } = await pddShop(clock);
    const calls: { fromMs: number; page: string | null }[] = [];
    let faulted: { fromMs: number; page: string | null } | null = null;
    const sleeps: number[] = [];
    const scheduler = fileScheduler(db, clock, {
      random: () => 0.5,
      // The gateway recovers while we wait.
      sleep: async (ms) => {
        sleeps.push(ms);
        server.setFault(null);
      },
      adapterFor: (shop) => {
        const inner = createPddAdapter(shop, { now: () => clock.now });
        return withPullPage(inner, (w, page) => {
          calls.push({ fromMs: w.fromMs, page });
          // The gateway starts failing on a later page of a window in the middle of the backfill.
          if (!faulted && page !== null && w.fromMs >= NOW - 6 * HOUR) {
            faulted = { fromMs: w.fromMs, page };
            server.setFault('http5xx');
          }
          return inner.pullPage(w, page);
        });
      },
    });
    const r = await scheduler.syncShop(shopId);
    expect(r.error).toBeUndefined();
    expect(faulted).not.toBeNull();
    // One failed call, one wait of the jittered first step (0.5 × 250 ms), one successful repeat of the same page.
    expect(sleeps).toEqual([125]);
    expect(calls.filter((c) => c.fromMs === faulted!.fromMs && c.page === faulted!.page)).toHaveLength(2);
    expect(storedOrders(db, shopId)).toEqual(expected);
    expect(count(db, 'SELECT count(*) AS n FROM orders')).toBe(expected.length);
    expect(cursorOf(db, shopId)).toMatchObject({ cursor_ms: NOW - PDD_LIMITS.lagMs, last_error: null });
    expect(scheduler.health(shopId)).toEqual({ consecutiveFailures: 0, nextAttemptAt: null, circuitOpenUntil: null });
  });

  it('fails the round after the in-round retries with the cursor at the broken window, then resumes', async () => {
    const clock = { now: NOW };
    const { server, db, shopId, expected } = await pddShop(clock);
    let faulted: { fromMs: number } | null = null;
    const sleeps: number[] = [];
    const make = (shop: ShopRecord): PlatformAdapter => {
      const inner = createPddAdapter(shop, { now: () => clock.now });
      return withPullPage(inner, (w, page) => {
        if (!faulted && page !== null && w.fromMs >= NOW - 6 * HOUR) {
          faulted = { fromMs: w.fromMs };
          server.setFault('http5xx');
        }
        return inner.pullPage(w, page);
      });
    };
    const scheduler = fileScheduler(db, clock, {
      random: () => 0.5,
      // Due on every round: the test is about the backoff alone.
      intervalMs: 0,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      adapterFor: make,
    });
    const r = await scheduler.syncShop(shopId);
    expect(r.error).toMatch(/HTTP 502/);
    expect(sleeps).toEqual([125, 250]);
    // The broken window's earlier pages landed but did not move the cursor past the window's start.
    const cursor = cursorOf(db, shopId)!;
    expect(cursor.cursor_ms).toBe(faulted!.fromMs);
    expect(cursor.last_error).toMatch(/HTTP 502/);
    const partial = count(db, 'SELECT count(*) AS n FROM orders');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.length);
    const h = scheduler.health(shopId);
    expect(h.consecutiveFailures).toBe(1);
    expect(h.circuitOpenUntil).toBeNull();
    // First round backoff: 0.5 × 15 s.
    expect(h.nextAttemptAt).toBe(NOW + 7500);
    expect(scheduler.scheduledRound()).toEqual([]);

    server.setFault(null);
    clock.now = NOW + 7500;
    expect(scheduler.scheduledRound()).toEqual([shopId]);
    const again = await scheduler.syncShop(shopId);
    expect(again.error).toBeUndefined();
    expect(storedOrders(db, shopId)).toEqual(expected);
    expect(count(db, 'SELECT count(*) AS n FROM orders')).toBe(expected.length);
    expect(cursorOf(db, shopId)!.cursor_ms).toBe(clock.now - PDD_LIMITS.lagMs);
    expect(scheduler.health(shopId).consecutiveFailures).toBe(0);
  });

  it('does not retry a throttled Taobao shop before the ban it was given ends', async () => {
    const clock = { now: NOW };
    const APP = { appKey: 'tb-app', appSecret: 'tb-secret', accessToken: 'tb-session' };
    const orders = [...generateOrders({ shops: [{ id: 's1', platform: 'taobao', seed: 3 }], count: 30, fromMs: NOW - 3 * 86_400_000, toMs: NOW - 3 * HOUR })].map(
      (g, i) => ({ ...g.order, platformUpdatedAt: NOW - 2 * HOUR + i * 3 * MINUTE }),
    );
    const server = await startTaobaoServer({ orders, ...APP, now: () => clock.now });
    cleanups.push(() => server.close());
    const { db, shopId } = fileDb('taobao', { gateway: server.url, ...APP, pageSize: 5 });
    const sleeps: number[] = [];
    const scheduler = fileScheduler(db, clock, {
      backfillMs: 3 * HOUR,
      random: () => 0,
      // Time passes while we wait, and the ban lifts.
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.now += ms;
        server.setFault(null);
      },
      adapterFor: (shop) => createTaobaoAdapter(shop, { now: () => clock.now }),
    });

    // A 120 s ban is too long to sleep through in place: the round fails and the shop waits it out.
    server.setFault({ kind: 'throttle', banSeconds: 120 });
    const r = await scheduler.syncShop(shopId);
    expect(r.error).toMatch(/App Call Limited/);
    expect(sleeps).toEqual([]);
    const h = scheduler.health(shopId);
    // random() = 0 would allow an immediate retry; the ban is the floor.
    expect(h.nextAttemptAt).toBe(NOW + 120_000);
    server.setFault(null);
    clock.now = NOW + 119_999;
    expect(scheduler.scheduledRound()).toEqual([]);
    clock.now = NOW + 120_000;
    expect(scheduler.scheduledRound()).toEqual([shopId]);
    expect((await scheduler.syncShop(shopId)).error).toBeUndefined();

    // A 1 s ban is waited out in place, never shorter than the platform asked.
    server.setFault({ kind: 'throttle', banSeconds: 1 });
    const calls = server.calls.length;
    clock.now += 10 * MINUTE;
    const r2 = await scheduler.syncShop(shopId);
    expect(r2.error).toBeUndefined();
    expect(sleeps).toEqual([1000]);
    expect(server.calls.length).toBeGreaterThan(calls);
    const stored = count(db, "SELECT count(*) AS n FROM orders WHERE shop_id = 's1'");
    expect(stored).toBe(orders.filter((o) => o.platformUpdatedAt < clock.now - TAOBAO_LIMITS.lagMs).length);
  });

  it('opens a failing shop’s circuit after N rounds, skips it on schedule, probes on syncNow, and closes on success', async () => {
    const h = harness(2);
    const [sick, well] = h.shops as [ShopRecord, ShopRecord];
    let failing: 'retryable' | 'fatal' | null = 'retryable';
    const scheduler = h.scheduler({
      // Every shop is due on every round here: only backoff and the circuit decide.
      intervalMs: 0,
      random: () => 0.5,
      sleep: async () => {},
      roundPolicy: { failuresToOpen: 3, coolDownMs: 10 * MINUTE },
      adapterFor: (s) => {
        const inner = new SandboxAdapter(s, { now: () => h.clock.now });
        if (s.id !== sick.id) return inner;
        return withPullPage(inner, (w, page) => {
          if (failing === 'retryable') throw platformError('sandbox: HTTP 503', { code: 'HTTP_503', retryable: true, throttled: false });
          if (failing === 'fatal') throw platformError('sandbox: 签名校验失败', { code: 10019, retryable: false, throttled: false });
          return inner.pullPage(w, page);
        });
      },
    });
    const round = async () => {
      const started = scheduler.scheduledRound();
      await Promise.all(started.map((id) => scheduler.syncShop(id)));
      return started.sort();
    };
    const both = [sick.id, well.id].sort();
    expect(await round()).toEqual(both);
    expect(scheduler.health(sick.id)).toEqual({ consecutiveFailures: 1, nextAttemptAt: NOW + 7500, circuitOpenUntil: null });
    expect(scheduler.health(well.id).consecutiveFailures).toBe(0);
    // Inside the backoff only the healthy shop goes.
    h.clock.now = NOW + 7499;
    expect(await round()).toEqual([well.id]);
    h.clock.now = NOW + 7500;
    expect(await round()).toEqual(both);
    expect(scheduler.health(sick.id)).toMatchObject({ consecutiveFailures: 2, nextAttemptAt: NOW + 7500 + 15_000, circuitOpenUntil: null });
    h.clock.now = NOW + 22_500;
    expect(await round()).toEqual(both);
    const opened = scheduler.health(sick.id);
    expect(opened).toEqual({ consecutiveFailures: 3, nextAttemptAt: NOW + 22_500 + 10 * MINUTE, circuitOpenUntil: NOW + 22_500 + 10 * MINUTE });

    // While open, scheduled rounds skip it for the whole cool-down.
    for (const t of [NOW + 60_000, NOW + 5 * MINUTE, NOW + 22_499 + 10 * MINUTE]) {
      h.clock.now = t;
      expect(await round()).toEqual([well.id]);
    }
    // A person's "sync now" still tries it: a half-open probe, which fails and rests it again.
    h.clock.now = NOW + 6 * MINUTE;
    expect(scheduler.syncNow(sick.id)).toEqual([sick.id]);
    expect((await scheduler.syncShop(sick.id)).error).toMatch(/HTTP 503/);
    expect(scheduler.health(sick.id)).toMatchObject({ consecutiveFailures: 4, circuitOpenUntil: NOW + 16 * MINUTE });

    // The platform recovers; the next probe succeeds and closes the circuit.
    failing = null;
    h.clock.now = NOW + 7 * MINUTE;
    expect(scheduler.syncNow(sick.id)).toEqual([sick.id]);
    expect((await scheduler.syncShop(sick.id)).error).toBeUndefined();
    expect(scheduler.health(sick.id)).toEqual({ consecutiveFailures: 0, nextAttemptAt: null, circuitOpenUntil: null });
    h.clock.now = NOW + 7 * MINUTE + 1;
    expect(await round()).toEqual(both);

    // A non-retryable error (bad signature) backs off straight to the cap, with no in-place retries.
    failing = 'fatal';
    const at = h.clock.now;
    const bad = await scheduler.syncShop(sick.id);
    expect(bad.error).toMatch(/签名校验失败/);
    expect(scheduler.health(sick.id)).toEqual({ consecutiveFailures: 1, nextAttemptAt: at + 10 * MINUTE, circuitOpenUntil: null });
    h.clock.now = at + 10 * MINUTE - 1;
    expect(await round()).toEqual([well.id]);
  });

  it('keeps the shop paused on an expired authorisation without scheduling a backoff', async () => {
    const h = harness(1);
    const shop = h.shops[0]!;
    const scheduler = h.scheduler({
      adapterFor: () => {
        throw new AppError('SHOP_AUTH_EXPIRED', '授权已过期');
      },
    });
    expect((await scheduler.syncShop(shop.id)).error).toMatch(/授权已过期/);
    expect(scheduler.health(shop.id)).toEqual({ consecutiveFailures: 0, nextAttemptAt: null, circuitOpenUntil: null });
    expect(scheduler.scheduledRound()).toEqual([]);
    expect(scheduler.syncNow(shop.id)).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
// The per-shop schedule: each shop keeps its own interval (settings.syncIntervalMs, default 2
// minutes) and its first sync backfills settings.backfillDays.

describe('SyncScheduler per-shop schedule', () => {
  it('starts a shop only when its own interval has passed since its last attempt', async () => {
    const h = harness(2);
    const [fast, slow] = h.shops as [ShopRecord, ShopRecord];
    h.db.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(fast.settings), syncIntervalMs: 15_000 }), fast.id);
    // The 'slow' shop names no interval: the default of 2 minutes applies (the harness passes none).
    const scheduler = new SyncScheduler({ db: h.db, events: h.events, now: () => h.clock.now, backfillMs: 2 * HOUR });
    schedulers.push(scheduler);
    const round = async () => {
      const started = scheduler.scheduledRound();
      await Promise.all(started.map((id) => scheduler.syncShop(id)));
      return started.sort();
    };
    expect(await round()).toEqual([fast.id, slow.id].sort());
    expect(await round()).toEqual([]);
    h.clock.now = NOW + 14_999;
    expect(await round()).toEqual([]);
    h.clock.now = NOW + 15_000;
    expect(await round()).toEqual([fast.id]);
    h.clock.now = NOW + 119_999;
    expect(await round()).toEqual([fast.id]);
    h.clock.now = NOW + 120_000;
    expect(await round()).toEqual([slow.id]);
    // A person's "sync now" ignores the schedule, and counts as the shop's last attempt.
    h.clock.now = NOW + 130_000;
    expect(scheduler.syncNow(slow.id)).toEqual([slow.id]);
    await scheduler.syncShop(slow.id);
    h.clock.now = NOW + 240_000;
    expect(await round()).toEqual([fast.id]);
    h.clock.now = NOW + 250_000;
    expect(await round()).toEqual([slow.id]);
  });

  it('ticks on its own timer and keeps each shop on its interval', async () => {
    const h = harness(2);
    const [fast, slow] = h.shops as [ShopRecord, ShopRecord];
    h.db.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(fast.settings), syncIntervalMs: 15_000 }), fast.id);
    const starts: string[] = [];
    h.events.on('sync.progress', (e) => {
      if (e.phase === 'start') starts.push(e.shopId);
    });
    const syncing: string[][] = [];
    const scheduler = h.scheduler({ tickMs: 10, backfillMs: HOUR, onSyncingChange: (ids) => syncing.push(ids) });
    scheduler.start();
    // Waits poll for the outcome instead of sleeping a fixed time: on a loaded CI machine a 10 ms
    // tick and a sync can take far longer than their nominal time.
    const settled = (expected: string[]) =>
      vi.waitFor(
        () => {
          expect([...starts].sort()).toEqual([...expected].sort());
          expect(syncing.at(-1)).toEqual([]);
        },
        { timeout: 10_000, interval: 10 },
      );
    await settled([fast.id, slow.id]);
    expect(syncing.some((ids) => ids.length > 0)).toBe(true);
    starts.length = 0;
    // Many ticks at the same moment start nothing more.
    await new Promise((r) => setTimeout(r, 60));
    expect(starts).toEqual([]);
    h.clock.now = NOW + 15_000;
    await settled([fast.id]);
    h.clock.now = NOW + 120_000;
    await settled([fast.id, fast.id, slow.id]);
    await scheduler.stop();
  });

  it("backfills the shop's settings.backfillDays on its first sync, then resumes from the cursor", async () => {
    const h = harness(2);
    const [short, plain] = h.shops as [ShopRecord, ShopRecord];
    h.db.$client.prepare('UPDATE shops SET settings = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(short.settings), backfillDays: 0.25 }), short.id);
    const firstWindow = new Map<string, number>();
    const scheduler = h.scheduler({
      adapterFor: (s) => {
        const inner = new SandboxAdapter(s, { now: () => h.clock.now });
        const pullPage = inner.pullPage.bind(inner);
        inner.pullPage = (w, page) => {
          if (!firstWindow.has(s.id)) firstWindow.set(s.id, w.fromMs);
          return pullPage(w, page);
        };
        return inner;
      },
    });
    await scheduler.syncShop(short.id);
    await scheduler.syncShop(plain.id);
    expect(firstWindow.get(short.id)).toBe(NOW - 6 * HOUR);
    // No backfillDays: the scheduler's own backfill (12 h in this harness; 3 days by default).
    expect(firstWindow.get(plain.id)).toBe(NOW - 12 * HOUR);
    expect(storedOrders(h.db, short.id)).toEqual(expectedOrders(short, NOW - 6 * HOUR, NOW - LAG));
    firstWindow.clear();
    h.clock.now = NOW + 10 * MINUTE;
    await scheduler.syncShop(short.id);
    // Later syncs start at the cursor less the platform's overlap, never at the backfill again.
    expect(firstWindow.get(short.id)).toBe(NOW - LAG - SANDBOX_LIMITS.overlapMs);
  });
});
