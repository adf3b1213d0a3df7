// The sync log on a real SQLite file: runs begin and finish with their counts, sync.log lists them
// newest first with shop and errors-only filters, and pruning keeps the newest N per shop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import type { SyncRunView } from '../../shared/contract.ts';
import { countRows, openFixture, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { beginRun, finishRun, listSyncRuns, pruneRuns } from './sync-log.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture();
  f.db.$client.prepare(`INSERT INTO shops (id, name, platform, state, created_at) VALUES ('s2', '拼多多店', 'pdd', 'active', ?)`).run(T0);
});
afterEach(() => f.close());

describe('sync log', () => {
  it('records a run from begin to finish and lists runs newest first with filters', async () => {
    const a = writeTx(f.db, (tx) => beginRun(tx, { shopId: f.shopId, trigger: 'backfill', now: T0 }));
    const unfinished = listSyncRuns(f.db, { errorsOnly: false, limit: 10 });
    expect(unfinished).toEqual([
      { id: a, shopId: f.shopId, shopName: '杭州女装旗舰店', platform: 'taobao', trigger: 'backfill', startedAt: T0, finishedAt: null, pulled: 0, changed: 0, quarantined: 0, warnings: 0, warningSamples: [], error: null },
    ]);
    writeTx(f.db, (tx) => finishRun(tx, a, { pulled: 120, changed: 100, quarantined: 2, error: null }, T0 + 4000));
    const b = writeTx(f.db, (tx) => beginRun(tx, { shopId: 's2', trigger: 'schedule', now: T0 + 10_000 }));
    writeTx(f.db, (tx) => finishRun(tx, b, { pulled: 0, changed: 0, quarantined: 0, error: { code: 'PLATFORM_ERROR', kind: 'throttled', message: '服务调用次数超限' } }, T0 + 11_000));
    const c = writeTx(f.db, (tx) => beginRun(tx, { shopId: f.shopId, trigger: 'manual', now: T0 + 20_000 }));
    writeTx(f.db, (tx) => finishRun(tx, c, { pulled: 3, changed: 1, quarantined: 0, error: null }, T0 + 20_500));

    const r = await f.call('sync.log', {});
    expect(r.ok).toBe(true);
    const all = (r.ok ? r.value : []) as SyncRunView[];
    expect(all.map((x) => x.id)).toEqual([c, b, a]);
    expect(all[2]).toMatchObject({ pulled: 120, changed: 100, quarantined: 2, finishedAt: T0 + 4000 });
    expect(all[1]).toMatchObject({ shopName: '拼多多店', platform: 'pdd', error: { code: 'PLATFORM_ERROR', kind: 'throttled', message: '服务调用次数超限' } });
    expect(f.db.$client.prepare('SELECT error, error_code, error_kind FROM sync_runs WHERE id = ?').get(b)).toEqual({ error: '服务调用次数超限', error_code: 'PLATFORM_ERROR', error_kind: 'throttled' });
    expect(listSyncRuns(f.db, { shopId: f.shopId, errorsOnly: false, limit: 10 }).map((x) => x.id)).toEqual([c, a]);
    expect(listSyncRuns(f.db, { errorsOnly: true, limit: 10 }).map((x) => x.id)).toEqual([b]);
    expect(listSyncRuns(f.db, { errorsOnly: false, limit: 1 }).map((x) => x.id)).toEqual([c]);
  });

  it('prunes each shop down to its newest runs and leaves the others', () => {
    for (let i = 0; i < 30; i++) writeTx(f.db, (tx) => beginRun(tx, { shopId: f.shopId, trigger: 'schedule', now: T0 + i * 1000 }));
    // Same start time for several runs: the id (UUIDv7, increasing) breaks the tie.
    for (let i = 0; i < 5; i++) writeTx(f.db, (tx) => beginRun(tx, { shopId: 's2', trigger: 'schedule', now: T0 }));
    expect(writeTx(f.db, (tx) => pruneRuns(tx, 10))).toBe(20);
    expect(countRows(f.db, 'sync_runs')).toBe(15);
    const kept = listSyncRuns(f.db, { shopId: f.shopId, errorsOnly: false, limit: 100 });
    expect(kept.map((r) => r.startedAt)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (29 - i) * 1000));
    expect(writeTx(f.db, (tx) => pruneRuns(tx, 3))).toBe(9);
    expect(listSyncRuns(f.db, { shopId: 's2', errorsOnly: false, limit: 100 })).toHaveLength(3);
  });
});

describe('the scheduler writes the sync log', () => {
  it("logs 'backfill' for a shop's first run, 'manual' through syncNow, 'schedule' from the timer, and errors as recorded", async () => {
    const { SyncScheduler } = await import('./scheduler.ts');
    const { SandboxAdapter } = await import('../../sandbox/demo/adapter.ts');
    const { AppError } = await import('../../shared/result.ts');
    let now = T0 + 3 * 86_400_000;
    const settings = JSON.stringify({ seed: 11, ordersPerHour: 20, worldStartMs: T0, backfillDays: 1, syncIntervalMs: 60_000 });
    f.db.$client.prepare('UPDATE shops SET platform = ?, settings = ? WHERE id = ?').run('sandbox', settings, f.shopId);
    f.db.$client.prepare(`UPDATE shops SET state = 'paused' WHERE id = 's2'`).run();
    let failNext = false;
    const scheduler = new SyncScheduler({
      db: f.db,
      events: f.events,
      now: () => now,
      sleep: async () => {},
      adapterFor: (shop) => {
        if (failNext) throw new AppError('PLATFORM_ERROR', 'TOP unreachable: fetch failed');
        return new SandboxAdapter(shop, { now: () => now });
      },
    });
    // syncShop joins the run syncNow or the timer started, so this waits for exactly that run.
    const wait = () => scheduler.syncShop(f.shopId);
    expect(scheduler.syncNow(f.shopId)).toEqual([f.shopId]);
    await wait();
    now += 30_000;
    scheduler.syncNow(f.shopId);
    await wait();
    now += 120_000; // past the shop's 1-minute interval
    expect(scheduler.scheduledRound()).toEqual([f.shopId]);
    await wait();
    now += 120_000;
    failNext = true;
    scheduler.syncNow(f.shopId);
    await wait();
    await scheduler.stop();

    const runs = listSyncRuns(f.db, { errorsOnly: false, limit: 10 });
    expect(runs.map((r) => r.trigger)).toEqual(['manual', 'schedule', 'manual', 'backfill']);
    expect(runs.every((r) => r.finishedAt !== null && r.shopId === f.shopId)).toBe(true);
    // The first run backfilled a day of a 20-orders-an-hour world.
    expect(runs[3]!.pulled).toBeGreaterThan(200);
    expect(runs[3]!.changed).toBe(runs[3]!.pulled - runs[3]!.quarantined);
    // Classified where it happened: an unreachable gateway is transient, and the Shops page agrees.
    expect(runs[0]!.error).toEqual({ code: 'PLATFORM_ERROR', kind: 'retryable', message: 'TOP unreachable: fetch failed' });
    expect(scheduler.status().find((s) => s.shopId === f.shopId)!.lastError).toEqual(runs[0]!.error);
    expect(runs.slice(1).every((r) => r.error === null)).toBe(true);
  });
});
