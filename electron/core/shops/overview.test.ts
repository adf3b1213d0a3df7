// shops.overview over a real SQLite file: settings with their defaults, cursor health, and the
// grouped counts (unresolved quarantine, open/failed pushes, payloads pulled since Shanghai midnight),
// plus `syncing` from the sync engine and canAuthorize; the plan must use indexes, not scans per shop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import type { ShopOverview } from '../../shared/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import { createHandlers } from '../api/handlers.ts';
import { HybridClock } from '../api/hlc.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { beginRun, finishRun } from '../sync/sync-log.ts';
import { shanghaiMidnight, shopsOverview } from './overview.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture();
});
afterEach(() => f.close());

const NOW = T0 + 86_400_000; // 2025-01-03 10:30 in Shanghai
const MIDNIGHT = Date.UTC(2025, 0, 2, 16, 0, 0); // 2025-01-03 00:00 in Shanghai

let created = 0;
function addShop(id: string, platform: string, settings: object, state = 'active'): void {
  created += 1;
  f.db.$client
    .prepare('INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, `店铺 ${id}`, platform, state, T0 + created, JSON.stringify(settings));
}

function addPush(orderId: string, shopId: string, state: string, n: number): void {
  f.db.$client
    .prepare(`INSERT INTO pushes (id, op_id, order_id, shop_id, kind, payload, state, next_at, created_at) VALUES (?, 'op', ?, ?, 'memo', '{}', ?, 0, ?)`)
    .run(`push-${n}`, orderId, shopId, state, T0);
}

function addQuarantine(id: string, shopId: string, resolvedAt: number | null): void {
  f.db.$client
    .prepare(`INSERT INTO quarantine (id, shop_id, platform, platform_order_id, reason, payload, received_at, resolved_at) VALUES (?, ?, 'taobao', NULL, 'bad', '{}', ?, ?)`)
    .run(id, shopId, T0, resolvedAt);
}

describe('shanghaiMidnight', () => {
  it('is the start of the Asia/Shanghai calendar day, also just after UTC midnight', () => {
    expect(shanghaiMidnight(NOW)).toBe(MIDNIGHT);
    expect(shanghaiMidnight(MIDNIGHT)).toBe(MIDNIGHT);
    expect(shanghaiMidnight(MIDNIGHT - 1)).toBe(MIDNIGHT - 86_400_000);
    // 01:00 UTC is 09:00 in Shanghai on the same date.
    expect(shanghaiMidnight(Date.UTC(2025, 0, 3, 1))).toBe(MIDNIGHT);
  });
});

describe('shops.overview', () => {
  it('joins settings, cursor and counts for every shop, with defaults where settings are silent', async () => {
    const [orderId] = f.addOrders([platformOrder(1)]);
    addShop('tb-2', 'taobao', { appKey: 'K2', gateway: 'http://127.0.0.1:9/router/rest', syncIntervalMs: 300_000, backfillDays: 7, accessTokenExpiresAt: NOW + 3600_000 });
    addShop('sb-3', 'sandbox', { appKey: 'ignored', seed: 3 }, 'paused');
    f.db.$client
      .prepare('INSERT INTO sync_cursors (shop_id, cursor_ms, last_success_at, last_error, last_error_code, last_error_kind, last_error_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('tb-2', NOW - 60_000, NOW - 50_000, 'TOP 7 App Call Limited', 'PLATFORM_ERROR', 'throttled', NOW - 10_000);
    addQuarantine('q1', 'shop-1', null);
    addQuarantine('q2', 'shop-1', null);
    addQuarantine('q3', 'shop-1', NOW); // resolved: not counted
    addQuarantine('q4', 'tb-2', null);
    let n = 0;
    for (const state of ['pending', 'sending', 'failed', 'conflict', 'confirmed', 'superseded', 'pending']) addPush(orderId!, 'shop-1', state, n++);
    // Runs: two today (counted), one yesterday (not).
    const today1 = writeTx(f.db, (tx) => beginRun(tx, { shopId: 'shop-1', trigger: 'schedule', now: MIDNIGHT + 1000 }));
    writeTx(f.db, (tx) => finishRun(tx, today1, { pulled: 40, changed: 3, quarantined: 0, error: null }, MIDNIGHT + 2000));
    const today2 = writeTx(f.db, (tx) => beginRun(tx, { shopId: 'shop-1', trigger: 'manual', now: NOW - 5000 }));
    writeTx(f.db, (tx) => finishRun(tx, today2, { pulled: 2, changed: 2, quarantined: 0, error: null }, NOW - 4000));
    const yesterday = writeTx(f.db, (tx) => beginRun(tx, { shopId: 'shop-1', trigger: 'backfill', now: MIDNIGHT - 1 }));
    writeTx(f.db, (tx) => finishRun(tx, yesterday, { pulled: 999, changed: 0, quarantined: 0, error: null }, MIDNIGHT + 10));

    const clock = new HybridClock('t', () => NOW);
    const handlers = createHandlers({
      db: f.db,
      events: f.events,
      clock,
      now: () => NOW,
      scheduler: { status: () => [{ shopId: 'tb-2', shopName: '', platform: 'taobao', state: 'active', lastSuccessAt: null, lastError: null, syncing: true }], syncNow: () => [] },
    });
    const r = await dispatch(handlers, 'shops.overview', {}, f.as('packer'));
    if (!r.ok) throw new Error(r.error.message);
    const byId = new Map((r.value as ShopOverview[]).map((s) => [s.id, s]));
    expect([...byId.keys()]).toEqual(['shop-1', 'tb-2', 'sb-3']);

    expect(byId.get('shop-1')).toEqual({
      id: 'shop-1',
      name: '杭州女装旗舰店',
      platform: 'taobao',
      state: 'active',
      orderCount: 1,
      appKey: null,
      gateway: null,
      syncIntervalMs: 120_000,
      backfillDays: 3,
      cursorMs: null,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastError: null,
      pulledToday: 42,
      quarantined: 2,
      pendingPushes: 3,
      failedPushes: 2,
      syncing: false,
      accessTokenExpiresAt: null,
      canAuthorize: false,
    });
    expect(byId.get('tb-2')).toMatchObject({
      appKey: 'K2',
      gateway: 'http://127.0.0.1:9/router/rest',
      syncIntervalMs: 300_000,
      backfillDays: 7,
      cursorMs: NOW - 60_000,
      lastSuccessAt: NOW - 50_000,
      lastError: { code: 'PLATFORM_ERROR', kind: 'throttled', message: 'TOP 7 App Call Limited' },
      lastErrorAt: NOW - 10_000,
      quarantined: 1,
      pendingPushes: 0,
      failedPushes: 0,
      pulledToday: 0,
      syncing: true,
      accessTokenExpiresAt: NOW + 3600_000,
      canAuthorize: true,
    });
    // The sandbox has no OAuth even with an app key.
    expect(byId.get('sb-3')).toMatchObject({ state: 'paused', canAuthorize: false, quarantined: 0 });
  });

  it('answers with one statement whose plan uses indexes for the grouped counts', () => {
    // Only the shops table itself is scanned; every per-shop count comes from an index.
    const plan = f.db.$client
      .prepare(`EXPLAIN QUERY PLAN SELECT shop_id, COUNT(*) FROM quarantine WHERE resolved_at IS NULL GROUP BY shop_id`)
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX quarantine_shop_idx/);
    const runs = f.db.$client
      .prepare(`EXPLAIN QUERY PLAN SELECT shop_id, SUM(pulled) FROM sync_runs WHERE started_at >= ? GROUP BY shop_id`)
      .all(0) as { detail: string }[];
    expect(runs.map((p) => p.detail).join(' ')).toMatch(/INDEX sync_runs_/);
    // 200 shops answer through the single query (its speed is measured by `npm run bench`).
    const insert = f.db.$client.prepare('INSERT INTO shops (id, name, platform, state, created_at) VALUES (?, ?, ?, ?, ?)');
    f.db.$client.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run(`s${i}`, `店${i}`, 'pdd', 'active', T0 + i);
    })();
    const all = shopsOverview(f.db, () => false, NOW);
    expect(all).toHaveLength(201);
  });
});
