// `npm run bench -- sync [--json] [--shops N] [--orders-per-shop M] [--steady-seconds S]`: the
// platform sync benchmark. A child process (sandbox-fleet.ts) serves N shops
// across the five platform sandboxes on loopback; this process is only the host: a temp station,
// createCore with sync in its worker thread, the shops added through 'shops.add'. Measured:
// - backfill: wall time until every shop's first sync is done and its orders are in the database,
//   orders/s end to end, the host thread's event-loop delay (p50/p99/max, 10 ms resolution) while a
//   reader calls 'orders.list' every 100 ms, and that reader's latency (p50/p95);
// - steady state, at the default schedule (every shop every 2 minutes): every few seconds the
//   child changes orders on every shop; lag = changed on the sandbox → visible in the local database.
//   The platforms' own required lag bounds it from below: the adapters never ask for the last
//   lagMs of changes (PDD, JD, Douyin, Kuaishou 3.5 minutes, Taobao 1 minute), so a change shows
//   after lagMs plus up to one interval. Changes still unseen when the run ends are counted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ShopSummary } from '../../electron/shared/contract.ts';
import { createCore, type Core } from '../../electron/core/app.ts';
import type { FleetChange, FleetShop } from './sandbox-fleet.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`[bench:sync] ${line}\n`);

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The child's stdout as a queue of JSON lines. */
function lineReader(stream: NodeJS.ReadableStream) {
  const queue: unknown[] = [];
  const waiters: ((v: unknown) => void)[] = [];
  readline.createInterface({ input: stream }).on('line', (line) => {
    const value: unknown = JSON.parse(line);
    const waiter = waiters.shift();
    if (waiter) waiter(value);
    else queue.push(value);
  });
  return {
    next: (): Promise<unknown> => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve))),
  };
}

interface Options {
  shops: number;
  ordersPerShop: number;
  steadySeconds: number;
  changePerShop: number;
  changeEverySeconds: number;
  drainSeconds: number;
}

async function addShops(core: Core, fleet: FleetShop[]): Promise<Map<string, { id: string; platform: string }>> {
  const byKey = new Map<string, { id: string; platform: string }>();
  for (const s of fleet) {
    const r = await core.call('shops.add', { platform: s.platform, name: `压测-${s.key}`, appKey: s.appKey, appSecret: s.appSecret, accessToken: s.accessToken, gateway: s.url });
    if (!r.ok) throw new Error(`shops.add ${s.key}: ${r.error.code} ${r.error.message}`);
    byKey.set(s.key, { id: (r.value as ShopSummary).id, platform: s.platform });
  }
  return byKey;
}

async function backfill(core: Core, shopIds: string[], expected: number) {
  const firstDone = new Map<string, 'done' | 'error'>();
  const errors: string[] = [];
  const off = core.on('sync.progress', (e) => {
    if ((e.phase === 'done' || e.phase === 'error') && !firstDone.has(e.shopId)) {
      firstDone.set(e.shopId, e.phase);
      if (e.phase === 'error') errors.push(`${e.shopId}: ${e.message ?? ''}`);
    }
  });
  const countOrders = testDbOf(core).$client.prepare('SELECT count(*) FROM orders').pluck();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const readerMs: number[] = [];
  let reading = false;
  // The workbench's first page, as the UI asks for it (with its total), every 100 ms.
  const reader = setInterval(() => {
    if (reading) return;
    reading = true;
    const t = performance.now();
    void core.call('orders.list', { limit: 100 }).then(() => {
      readerMs.push(performance.now() - t);
      reading = false;
    });
  }, 100);
  delay.enable();
  const t0 = performance.now();
  core.scheduler.start();
  let lastLog = t0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const n = countOrders.get() as number;
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      log(`backfill: ${n}/${expected} orders, ${firstDone.size}/${shopIds.length} shops done, ${Math.round((lastLog - t0) / 1000)} s`);
    }
    if (firstDone.size === shopIds.length && n >= expected) break;
    // A shop that failed its first sync is retried by the schedule; give up only after a long wait.
    if (firstDone.size === shopIds.length && performance.now() - t0 > 30 * 60_000) break;
  }
  const wallMs = performance.now() - t0;
  delay.disable();
  clearInterval(reader);
  off();
  const synced = countOrders.get() as number;
  const sortedReads = readerMs.slice().sort((a, b) => a - b);
  return {
    backfill_wall_s: round1(wallMs / 1000),
    orders_expected: expected,
    orders_synced: synced,
    orders_per_s: Math.round(synced / (wallMs / 1000)),
    shops_failed_first_sync: errors.length,
    first_errors: errors.slice(0, 5),
    event_loop_delay_ms: { p50: round1(delay.percentile(50) / 1e6), p99: round1(delay.percentile(99) / 1e6), max: round1(delay.max / 1e6) },
    reader_orders_list_ms: { calls: readerMs.length, p50: round1(percentile(sortedReads, 50)), p95: round1(percentile(sortedReads, 95)), max: round1(percentile(sortedReads, 100)) },
  };
}

async function steadyState(core: Core, child: { send: (cmd: object) => void; next: () => Promise<unknown> }, byKey: Map<string, { id: string; platform: string }>, o: Options) {
  const memoOf = testDbOf(core).$client.prepare<[string, string], { memo: string | null }>('SELECT seller_memo AS memo FROM orders WHERE shop_id = ? AND platform_order_id = ?');
  const pending: (FleetChange & { shopId: string; platform: string })[] = [];
  const lags = new Map<string, number[]>();
  let sent = 0;
  const check = () => {
    const now = Date.now();
    for (let i = pending.length - 1; i >= 0; i -= 1) {
      const c = pending[i]!;
      if (memoOf.get(c.shopId, c.platformOrderId)?.memo === c.memo) {
        const list = lags.get(c.platform) ?? [];
        list.push(now - c.at);
        lags.set(c.platform, list);
        pending.splice(i, 1);
      }
    }
  };
  const t0 = Date.now();
  let nextChange = t0;
  log(`steady state: ${o.changePerShop} changes per shop every ${o.changeEverySeconds} s for ${o.steadySeconds} s, then up to ${o.drainSeconds} s for the last ones to show`);
  while (Date.now() - t0 < o.steadySeconds * 1000) {
    if (Date.now() >= nextChange) {
      child.send({ cmd: 'change', perShop: o.changePerShop });
      const { changed } = (await child.next()) as { changed: FleetChange[] };
      for (const c of changed) {
        const shop = byKey.get(c.shop)!;
        pending.push({ ...c, shopId: shop.id, platform: shop.platform });
      }
      sent += changed.length;
      nextChange += o.changeEverySeconds * 1000;
    }
    check();
    await new Promise((r) => setTimeout(r, 200));
  }
  const drainEnd = Date.now() + o.drainSeconds * 1000;
  let lastLog = Date.now();
  while (pending.length > 0 && Date.now() < drainEnd) {
    check();
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      log(`draining: ${pending.length} changes not visible yet`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  check();
  const all = [...lags.values()].flat().sort((a, b) => a - b);
  const s = (ms: number | null) => (ms === null ? null : round1(ms / 1000));
  const perPlatform = Object.fromEntries(
    [...lags.entries()].map(([p, list]) => {
      const sorted = list.slice().sort((a, b) => a - b);
      return [p, { seen: sorted.length, p50_s: s(percentile(sorted, 50)), p95_s: s(percentile(sorted, 95)), max_s: s(percentile(sorted, 100)) }];
    }),
  );
  return {
    steady_seconds: o.steadySeconds,
    changes_made: sent,
    changes_seen: all.length,
    changes_unseen: pending.length,
    lag_s: { p50: s(percentile(all, 50)), p95: s(percentile(all, 95)), max: s(percentile(all, 100)) },
    lag_by_platform: perPlatform,
  };
}

export async function runSyncBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      shops: { type: 'string', default: '100' },
      'orders-per-shop': { type: 'string', default: '2000' },
      'steady-seconds': { type: 'string', default: '300' },
      'change-per-shop': { type: 'string', default: '1' },
      'change-every-seconds': { type: 'string', default: '10' },
      /** How long after the steady phase to wait for the last changes (default: platform lag + interval + 1 min). */
      'drain-seconds': { type: 'string', default: String(210 + 120 + 60) },
      keep: { type: 'boolean', default: false },
    },
  });
  const o: Options = {
    shops: Number(values.shops),
    ordersPerShop: Number(values['orders-per-shop']),
    steadySeconds: Number(values['steady-seconds']),
    changePerShop: Number(values['change-per-shop']),
    changeEverySeconds: Number(values['change-every-seconds']),
    drainSeconds: Number(values['drain-seconds']),
  };
  for (const [k, v] of Object.entries(o)) if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a non-negative number`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-syncbench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'sandbox-fleet.ts'), '--shops', String(o.shops), '--orders-per-shop', String(o.ordersPerShop)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = lineReader(child.stdout);
  const send = (cmd: object) => child.stdin.write(`${JSON.stringify(cmd)}\n`);
  let core: Core | null = null;
  try {
    log(`starting ${o.shops} sandbox servers (${o.ordersPerShop} orders each) in a child process…`);
    const { shops: fleet } = (await lines.next()) as { shops: FleetShop[] };
    const expected = fleet.reduce((n, s) => n + s.orders, 0);
    core = await createCore({ dbFile: path.join(dir, 'station.db'), sync: false, syncIn: 'worker' });
    const byKey = await addShops(core, fleet);
    log(`${fleet.length} shops added (sync in ${core.syncIn}); backfilling ${expected} orders…`);
    const back = await backfill(core, [...byKey.values()].map((s) => s.id), expected);
    log(`backfill: ${JSON.stringify(back)}`);
    const steady = o.steadySeconds > 0 ? await steadyState(core, { send, next: lines.next }, byKey, o) : null;
    const result = {
      bench: 'sync',
      shops: fleet.length,
      orders_per_shop: o.ordersPerShop,
      platforms: [...new Set(fleet.map((s) => s.platform))],
      cpus: os.cpus().length,
      ...back,
      ...(steady ? { steady } : {}),
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    send({ cmd: 'exit' });
    child.stdin.end();
    await core?.close();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}
