// The kill -9 crash test of platform sync: for each of the five platforms, a real
// sync process (crash-child.ts: createCore → shops.add → SyncScheduler → adapter → loopback gateway
// → ingestOrders) is SIGKILLed at random moments and then resumed, and its final database must equal
// that of an uninterrupted sync — no order missing, none duplicated, same content, same quarantine.
// Seeded: set SHOPFLEET_CRASH_SEED to replay a failing run's kill moments (the seed is printed).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformOrder } from '../../shared/model.ts';
import { startPlatformServer as startDouyin } from '../../sandbox/platforms/douyin/server.ts';
import { startPlatformServer as startJd } from '../../sandbox/platforms/jd/server.ts';
import { asSingleSkuOrder } from '../../sandbox/platforms/kuaishou/server-order.ts';
import { startPlatformServer as startKuaishou } from '../../sandbox/platforms/kuaishou/server.ts';
import { startPlatformServer as startPdd } from '../../sandbox/platforms/pdd/server.ts';
import { HOUR, MINUTE, SECOND, generateOrders } from '../../sandbox/demo/generator.ts';
import { hashInts, Rng } from '../../sandbox/demo/rng.ts';
import { bundleChild, watchChild } from '../../testkit/child-run.ts';
import { startPlatformServer as startTaobao } from '../../sandbox/platforms/taobao/server.ts';
import { mapDiff, readSyncSnapshot, syncProgressOf, type SyncSnapshot } from '../../testkit/crash/crash-snapshot.ts';
import { PAGE_MARKER, SYNC_STARTED_MARKER, type CrashChildResult } from '../../testkit/crash/crash-protocol.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD_SOURCE = fileURLToPath(new URL('../../testkit/crash/sync-crash-child.ts', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../db/migrations', import.meta.url));
/**
 * The child runs from an esbuild bundle of crash-child.ts (built once below): through tsx every
 * spawn spends 0.6–2 s loading modules, ~3x the bundle's, and 40+ spawns must fit in ~90 s.
 * SHOPFLEET_CRASH_TSX=1 runs the sources through tsx instead. Inside node_modules/.cache so the
 * bundle's bare imports resolve to this repo's node_modules.
 */
const USE_TSX = process.env.SHOPFLEET_CRASH_TSX === '1';
const BUNDLE_DIR = join(REPO, 'node_modules', '.cache', `shopfleet-crash-${process.pid}`);
const CHILD_BUNDLE = join(BUNDLE_DIR, 'crash-child.mjs');
/** A child that neither finishes nor is killed by plan within this long is stuck: kill it and fail. */
const CHILD_DEADLINE_MS = 60_000;
const PLATFORMS = ['taobao', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;
type CrashPlatform = (typeof PLATFORMS)[number];
const GATEWAYS = { taobao: startTaobao, pdd: startPdd, jd: startJd, douyin: startDouyin, kuaishou: startKuaishou } as const;

/** Orders per platform, spread over the ~144 half-hour windows of the first sync's 3-day backfill. */
const ORDERS = 600;
/** Orders moved into one ~4-minute stretch: split by a window edge or not, one window needs several pages (page size 50–100). */
const BURST = 220;
/** Crash-and-resume runs per platform (30 in all). Every third run is killed a second time while resuming. */
const RUNS = 6;
/** Platforms run two at a time, one child process each: this machine has two cores. */
const LANES = 2;
const APP = { appKey: 'crash-app-key', appSecret: 'crash-app-secret-0123456789', accessToken: 'crash-access-token' };

const SEED = Number(process.env.SHOPFLEET_CRASH_SEED ?? Date.now() % 2 ** 31);
const NOW = Date.now();

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** ms from spawn to the "sync started" marker (null: died before it). */
  startupMs: number | null;
  /** ms from spawn to the result line, i.e. the sync's end before the database closes (null: none). */
  resultMs: number | null;
  /** ms from spawn to exit. */
  totalMs: number;
  /** Pages the child reported committed. */
  pages: number;
  /** The shop's committed cursor after each page (index 0 = page 1); null before the first window closed. */
  pageCursors: (number | null)[];
}

/**
 * When to SIGKILL a child: this long after it spawned, or this long after it reported committing its
 * Nth page (0 = the moment its sync began). Aiming by page instead of by the clock keeps the kills
 * spread over the whole pull even when this shared machine runs two or three times slower than it
 * did for the reference.
 */
type KillPlan = { after: 'spawn'; delayMs: number } | { after: 'page'; page: number; delayMs: number };

async function runChild(dbFile: string, platform: CrashPlatform, gateway: string, kill?: KillPlan): Promise<ChildRun> {
  const args = [...(USE_TSX ? ['--import', 'tsx', CHILD_SOURCE] : [CHILD_BUNDLE]), '--db', dbFile, '--platform', platform, '--name', `crash-${platform}`, '--gateway', gateway];
  args.push('--app-key', APP.appKey, '--app-secret', APP.appSecret, '--access-token', APP.accessToken);
  const spawnedAt = performance.now();
  // open.ts finds migrations beside its module; in the bundle that is the bundle's folder, so say where.
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHOPFLEET_MIGRATIONS: MIGRATIONS } });
  let startupMs: number | null = null;
  let resultMs: number | null = null;
  let pages = 0;
  const pageCursors: (number | null)[] = [];
  const run = await watchChild(child, {
    deadlineMs: CHILD_DEADLINE_MS,
    killAfterMs: kill?.after === 'spawn' ? kill.delayMs : undefined,
    onStdout(stdout) {
      if (resultMs === null && stdout.includes('\n')) resultMs = performance.now() - spawnedAt;
    },
    onStderrLine(line, killIn) {
      if (line.startsWith(SYNC_STARTED_MARKER)) startupMs = performance.now() - spawnedAt;
      else if (line.startsWith(PAGE_MARKER)) {
        pages += 1;
        const cursor = line.slice(PAGE_MARKER.length).trim().split(' ')[2];
        pageCursors.push(cursor === undefined || cursor === 'none' ? null : Number(cursor));
      } else return;
      if (kill?.after === 'page' && kill.page === pages) killIn(kill.delayMs);
    },
  });
  if (run.timedOut) throw new Error(`crash-child on ${platform} did not finish in ${CHILD_DEADLINE_MS} ms: ${run.stderr}`);
  return { code: run.code, signal: run.signal, stdout: run.stdout, stderr: run.stderr, startupMs, resultMs, totalMs: performance.now() - spawnedAt, pages, pageCursors };
}

const resultOf = (run: ChildRun): CrashChildResult => JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as CrashChildResult;

/** How far a killed child got, read from a copy so the next child meets the hot WAL itself. */
function progressAtKill(dbFile: string, scratch: string): ReturnType<typeof syncProgressOf> {
  if (!existsSync(dbFile)) return { orders: 0, cursorMs: null, finished: false };
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
  copyFileSync(dbFile, scratch);
  if (existsSync(`${dbFile}-wal`)) copyFileSync(`${dbFile}-wal`, `${scratch}-wal`);
  return syncProgressOf(scratch);
}

/**
 * One platform's orders: every status, refunds, presale, multi-line orders (Kuaishou orders have one
 * line), spread over the first backfill's 3 days, a burst that needs several pages in one window, and
 * one malformed payload (a line with quantity 0) that every adapter must quarantine.
 */
function ordersFor(platform: CrashPlatform): { orders: PlatformOrder[]; badId: string } {
  const generated = [...generateOrders({ shops: [{ id: `crash-${platform}`, platform, seed: SEED }], count: ORDERS, fromMs: NOW - 70 * HOUR, toMs: NOW - 30 * MINUTE, seed: SEED })];
  // Lifecycles end late (shipped, completed, refunded days after creation), so modified times bunch up
  // near now; keep each within 6 h of its creation (never before payment) so the windows fill evenly
  // and a kill anywhere in the pull finds some orders stored and some not.
  let orders = generated
    .map((g) => (platform === 'kuaishou' ? asSingleSkuOrder(g.order) : g.order))
    .map((o) => ({ ...o, platformUpdatedAt: Math.max(o.paidAt ?? o.createdAt, Math.min(o.platformUpdatedAt, o.createdAt + 6 * HOUR)) }));
  // PDD and JD list paid orders only; keep every order listable so the expected set is simply "all".
  if (platform === 'pdd' || platform === 'jd') orders = orders.map((o) => (o.status === 'unpaid' ? { ...o, status: 'awaiting_shipment' as const } : o));
  const burstAt = Math.floor((NOW - 6 * HOUR) / SECOND) * SECOND;
  let moved = 0;
  // Every other order, so the rest still spread over the whole backfill.
  orders = orders.map((o, i) => {
    if (moved >= BURST || i % 2 === 1 || o.platformUpdatedAt >= burstAt || o.createdAt >= burstAt) return o;
    moved += 1;
    return { ...o, platformUpdatedAt: burstAt + moved * SECOND };
  });
  // Open refund requests on some listable orders, whatever the seed drew: a seed can give a platform
  // none that its listing shows (JD lists no closed orders, so its refunded ones never appear).
  orders = orders.map((o, i) => (i % 53 === 7 && (o.status === 'awaiting_shipment' || o.status === 'shipped') && o.afterSale === 'none' ? { ...o, afterSale: 'requested' as const } : o));
  const badIndex = Math.floor(orders.length / 2);
  const bad = orders[badIndex]!;
  orders[badIndex] = { ...bad, items: bad.items.map((it, i) => (i === 0 ? { ...it, quantity: 0 } : it)) };
  return { orders, badId: bad.platformOrderId };
}

/** Everything that must be equal between the reference and a database that was killed and resumed. */
function expectSameSync(ref: SyncSnapshot, got: SyncSnapshot, label: string): void {
  expect(got.integrity, `${label}: integrity_check`).toBe('ok');
  expect(got.shopCount, `${label}: shops`).toBe(1);
  expect(got.duplicateIds, `${label}: duplicated orders`).toEqual([]);
  expect(mapDiff(ref.orders, got.orders).counts, `${label}: orders ${JSON.stringify(mapDiff(ref.orders, got.orders))}`).toEqual({ missing: 0, extra: 0, differing: 0 });
  expect(mapDiff(ref.items, got.items).counts, `${label}: items ${JSON.stringify(mapDiff(ref.items, got.items))}`).toEqual({ missing: 0, extra: 0, differing: 0 });
  expect(mapDiff(ref.payloads, got.payloads).counts, `${label}: payloads`).toEqual({ missing: 0, extra: 0, differing: 0 });
  expect(got.quarantine, `${label}: quarantine`).toEqual(ref.quarantine);
  expect(got.orderCounts, `${label}: tab counts`).toEqual(ref.orderCounts);
  expect(got.searchDocs, `${label}: search documents`).toEqual(ref.searchDocs);
  expect(got.searchHits, `${label}: search hits`).toEqual(ref.searchHits);
  expect(got.ingestOps, `${label}: sync.ingest ops (inserted once each, no churn)`).toEqual(ref.ingestOps);
  expect(got.lastError, `${label}: last error`).toBeNull();
  // The resumed sync ran later, so its cursor is at least where the reference's ended.
  expect(got.cursorMs ?? -1, `${label}: cursor`).toBeGreaterThanOrEqual(ref.cursorMs ?? Infinity);
}

const laneTails: Promise<unknown>[] = Array.from({ length: LANES }, () => Promise.resolve());
/** Runs task after everything queued on its lane, so at most LANES platforms spawn children at once. */
function inLane<T>(index: number, task: () => Promise<T>): Promise<T> {
  const lane = index % LANES;
  const run = laneTails[lane]!.then(task);
  laneTails[lane] = run.catch(() => undefined);
  return run;
}

interface PlatformTally {
  runs: number;
  killedMidSync: number;
  /** Of those, kills that left some but not all of the orders stored. */
  someNotAll: number;
  secondKills: number;
}
const tallies = new Map<CrashPlatform, PlatformTally>();
const servers = new Map<CrashPlatform, { url: string; close(): Promise<void> }>();
const fixtures = new Map<CrashPlatform, { orders: PlatformOrder[]; badId: string }>();
const root = mkdtempSync(join(tmpdir(), 'shopfleet-crash-'));

beforeAll(async () => {
  console.log(`[crash] seed ${SEED} (replay with SHOPFLEET_CRASH_SEED=${SEED})`);
  if (!USE_TSX) {
    await bundleChild(REPO, CHILD_SOURCE, CHILD_BUNDLE);
  }
  for (const p of PLATFORMS) {
    const fixture = ordersFor(p);
    fixtures.set(p, fixture);
    servers.set(p, await GATEWAYS[p]({ orders: fixture.orders, ...APP }));
  }
});

afterAll(async () => {
  for (const s of servers.values()) await s.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const all = [...tallies.values()];
  const runs = all.reduce((n, t) => n + t.runs, 0);
  const mid = all.reduce((n, t) => n + t.killedMidSync, 0);
  const someNotAll = all.reduce((n, t) => n + t.someNotAll, 0);
  console.log(`[crash] ${runs} crash runs, ${mid} killed mid-sync (a window committed, sync unfinished; ${someNotAll} with some but not all orders stored), ${all.reduce((n, t) => n + t.secondKills, 0)} killed again while resuming`);
  // Only meaningful when every platform got through its runs; a platform that failed says so itself.
  if (all.length === PLATFORMS.length) {
    expect(runs).toBeGreaterThanOrEqual(30);
    // Mid-sync in the plainest sense: the killed database held some of the orders but not all.
    expect(someNotAll * 2, 'at least half the kills must land mid-sync').toBeGreaterThanOrEqual(runs);
  }
});

describe.concurrent('platform sync is crash-safe: kill -9 at random moments, resume, and the database equals an uninterrupted sync', () => {
  PLATFORMS.forEach((platform, index) => {
    it(`${platform}: ${RUNS} kills (and re-kills) lose nothing, duplicate nothing and end equal to the reference`, { timeout: 600_000 }, () =>
      inLane(index, async () => {
        const rng = new Rng(hashInts(SEED, index));
        const { orders, badId } = fixtures.get(platform)!;
        const gateway = servers.get(platform)!.url;
        const dir = mkdtempSync(join(root, `${platform}-`));

        // The reference: one uninterrupted sync, timed to spread the kills over a real sync's length.
        const refFile = join(dir, 'ref.db');
        const refRun = await runChild(refFile, platform, gateway);
        expect(refRun.code, refRun.stderr).toBe(0);
        const refResult = resultOf(refRun);
        expect(refResult.quarantined).toBe(1);
        const startupMs = refRun.startupMs!;
        const syncMs = refRun.resultMs! - startupMs;
        // Kills aim at a page chosen uniformly, then a random moment of the following page's time.
        const refPages = refRun.pages;
        const pageMs = syncMs / Math.max(1, refPages);
        const pagePlan = (): KillPlan => ({ after: 'page', page: rng.int(refPages), delayMs: rng.next() * pageMs });
        // Pages inside a multi-page window: the cursor did not move (a fresh database starts without one).
        // The window must stay uncommitted until its last page, so these are the kills that matter most.
        const innerPages = refRun.pageCursors.flatMap((c, i) => (c === (i === 0 ? null : refRun.pageCursors[i - 1]) ? [i + 1] : []));
        expect(innerPages.length, 'the burst needs a window of several pages, its cursor unmoved until the last').toBeGreaterThan(0);
        const innerPagePlan = (): KillPlan => ({ after: 'page', page: rng.pick(innerPages), delayMs: rng.next() * pageMs });
        const sample = orders.filter((_, i) => i % 97 === 0).map((o) => o.platformOrderId);
        const ref = readSyncSnapshot(refFile, sample);
        expect(ref.integrity).toBe('ok');
        // The reference itself holds every listed order but the malformed one, which is quarantined.
        expect(ref.orders.size).toBe(orders.length - 1);
        expect(ref.orders.has(badId)).toBe(false);
        expect(ref.quarantine).toHaveLength(1);
        expect(ref.quarantine[0]!.startsWith(`${badId}\t`)).toBe(true);
        expect(ref.ingestOps).toEqual({ inserted: orders.length - 1, updated: 0 });
        expect(ref.cursorMs).toBeGreaterThan(Math.max(...orders.map((o) => o.platformUpdatedAt)));
        // ...and the cases that matter are in it: refunds, presale, multi-line orders.
        const rows = [...ref.orders.values()].map((j) => JSON.parse(j) as { after_sale: string; order_type: string; platform_order_id: string });
        expect(rows.filter((r) => r.after_sale !== 'none').length).toBeGreaterThan(0);
        // JD's enSearch has no presale marker (jd/payload.ts), so JD orders are all 'normal'.
        if (platform !== 'jd') expect(rows.filter((r) => r.order_type === 'presale').length).toBeGreaterThan(0);
        if (platform !== 'kuaishou') expect([...ref.items.keys()].some((k) => k.endsWith('#2'))).toBe(true);

        const tally: PlatformTally = { runs: 0, killedMidSync: 0, someNotAll: 0, secondKills: 0 };
        const log: string[] = [];
        try {
          for (let run = 0; run < RUNS; run += 1) {
            const file = join(dir, `run-${run}.db`);
            // Run 0 dies while starting (module load, migrations, shops.add); runs 1 and 4 inside a
            // multi-page window; the rest at any page of the pull.
            const plan: KillPlan = run === 0 ? { after: 'spawn', delayMs: rng.next() * startupMs } : run % 3 === 1 ? innerPagePlan() : pagePlan();
            const first = await runChild(file, platform, gateway, plan);
            const killed = first.signal === 'SIGKILL';
            const atKill = progressAtKill(file, join(dir, 'probe.db'));
            // Mid-sync: at least one window had committed (the cursor moved) and the sync had not finished.
            const midSync = killed && atKill.cursorMs !== null && !atKill.finished;
            if (midSync && atKill.orders > 0 && atKill.orders < ref.orders.size) tally.someNotAll += 1;
            const state = atKill.cursorMs === null ? ', no cursor' : atKill.finished ? ', sync had finished' : '';
            const aim = plan.after === 'spawn' ? 'spawn' : `page ${plan.page}/${refPages}`;
            let note = `run ${run}: kill ${aim}+${plan.delayMs.toFixed(0)}ms ${killed ? `→ ${atKill.orders} orders${state}` : `(finished first, exit ${first.code})`}`;
            if (run % 3 === 2) {
              const again = await runChild(file, platform, gateway, pagePlan());
              if (again.signal === 'SIGKILL') tally.secondKills += 1;
              note += again.signal === 'SIGKILL' ? `, killed again → ${progressAtKill(file, join(dir, 'probe.db')).orders}` : ', resume finished before the second kill';
            }
            log.push(note);
            const last = await runChild(file, platform, gateway);
            expect(last.code, `${platform} run ${run} resume: ${last.stderr}`).toBe(0);
            expectSameSync(ref, readSyncSnapshot(file, sample), `${platform} run ${run} (seed ${SEED})`);
            tally.runs += 1;
            if (midSync) tally.killedMidSync += 1;
          }
          tallies.set(platform, tally);
        } finally {
          // Printed on failure too: which kills came before the run that broke.
          console.log(`[crash] ${platform}: reference ${ref.orders.size} orders, startup ${startupMs.toFixed(0)} ms + sync ${syncMs.toFixed(0)} ms in ${refPages} pages; ${log.join('; ')}`);
        }
      }),
    );
  });
});
