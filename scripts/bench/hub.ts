// `npm run bench -- hub [--json] [--duration S] [--stations N] [--rate OPS] [--pull-ms MS]
// [--scenarios pglite,postgres,two-hubs] [--database-url URL]`: the team hub under load.
// N simulated stations (default 50), each pushing RATE ops/s (default 10: 500 ops/s together) in
// a push every 100 ms and pulling every PULL_MS (default 1000), for S seconds (default 300), over
// loopback HTTP against real hub processes (scripts/bench/hub-child.ts), one scenario after another:
// - pglite:   one hub on PGlite (the default engine);
// - postgres: one hub on a real PostgreSQL;
// - two-hubs: two hub processes over one PostgreSQL, the stations split between them.
// The PostgreSQL scenarios run when --database-url or SHOPFLEET_TEST_DATABASE_URL names a cluster
// (a fresh database is made on it per scenario, and dropped after).
// The ops are what stations send: memo/flag edits of orders (lww), stock receipts (append rows of
// the team group, so every station pulls every one) and order notes (append, shop group), each
// with its effects. Measured: p50/p95/p99 latency of push and pull requests, ops/s applied, rows
// pulled; checked through the contract after the run: every station's op results are exactly its
// seqs 1..n, each once (ops lost / applied twice), and every station pulled every stock movement
// exactly once (count, Σ delta and Σ of a unique number per movement all agree with what was sent).
// CPU: each hub process's process.cpuUsage() over the window (asked over IPC; on PGlite that is the
// database's too) and, on PostgreSQL, the CPU of the bench database's server backends read from
// /proc, each per 1,000 ops applied: the figure a busy machine disturbs least.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HybridClock } from '../../electron/core/api/hlc.ts';
import { HUB_SCHEMA_VERSION, type PushOp } from '../../electron/shared/hub/protocol.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (line: string) => process.stderr.write(`[bench:hub] ${line}\n`);
const TEAM = 'bench';
const OWNER = 'boss';
const PASSWORD = 'bench password';
const SHOP = 'shop-bench';
const ORDERS = 500;

type Scenario = 'pglite' | 'postgres' | 'two-hubs';

interface Latencies {
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

function latencies(values: number[]): Latencies {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length === 0 ? null : Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10);
  return { count: s.length, p50_ms: at(50), p95_ms: at(95), p99_ms: at(99), max_ms: s.length === 0 ? null : Math.round(s[s.length - 1]! * 10) / 10 };
}

async function http(method: 'GET' | 'POST', url: string, token: string | null, body?: unknown): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

// ---------- hub processes ----------

function startHubProcess(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  // HUB_BENCH_NODE_ARGS: extra node flags for the hub processes only (say --cpu-prof), not the load generator.
  const nodeArgs = (process.env.HUB_BENCH_NODE_ARGS ?? '').split(' ').filter((x) => x !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(here, 'hub-child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, DATABASE_URL: '' },
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = line.match(/^READY (\S+)/);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`hub process exited ${code}: ${err.slice(-2000)}`)));
  });
}

/** A hub process's CPU time so far (user + system, ms), asked over its IPC channel. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the hub process did not answer its CPU time')), 30_000);
    const onMessage = (m: unknown) => {
      const cpu = (m as { cpu?: NodeJS.CpuUsage }).cpu;
      if (!cpu) return;
      clearTimeout(t);
      child.off('message', onMessage);
      resolve((cpu.user + cpu.system) / 1000);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/**
 * CPU time (ms) of each PostgreSQL server backend connected to this database now, by pid, from
 * /proc (utime + stime in clock ticks of 10 ms). A backend that ends between two readings takes its
 * time with it, so the difference is a floor; the hub's pool keeps its connections open under load.
 */
async function backendCpu(url: string): Promise<Map<number, number>> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const out = new Map<number, number>();
    for (const { pid } of r.rows) {
      try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        out.set(pid, (Number(f[11]) + Number(f[12])) * 10);
      } catch {
        // Not on this machine, or gone already.
      }
    }
    return out;
  } finally {
    await c.end();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function freshPgDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const pg = (await import('pg')).default;
  const name = `hub_bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

// ---------- simulated stations ----------

interface Station {
  n: number;
  hub: string;
  id: string;
  token: string;
  clock: number;
  seq: number;
  /** Ops made and not yet acknowledged by a push answer. */
  pending: PushOp[];
  cursor: number;
  /** Stock movements this station pulled: count, Σ delta, Σ tag (a unique number per movement). */
  pulledMovements: { count: number; delta: number; tag: number };
  pulledRows: number;
}

interface Sent {
  ops: number;
  movements: number;
  delta: number;
  tag: number;
}

function makeOp(s: Station, sent: Sent, rnd: () => number): PushOp {
  const seq = ++s.seq;
  const ms = Date.now();
  const hlc = HybridClock.encode(Math.max(ms, s.clock + 1), 0, s.id);
  s.clock = Math.max(ms, s.clock + 1);
  const id = `op-${s.n}-${seq}`;
  const order = `o-${Math.floor(rnd() * ORDERS)}`;
  const r = rnd();
  sent.ops++;
  if (r < 0.6) {
    return {
      seq,
      id,
      name: 'orders.setFlag',
      hlc,
      actor: OWNER,
      args: { ids: [order], memo: `备注 ${s.n}-${seq}` },
      effects: [{ table: 'orders', key: [order], columns: { seller_memo: `备注 ${s.n}-${seq}`, seller_flag: seq % 6 } }],
    };
  }
  if (r < 0.85) {
    const delta = 1 + (seq % 7);
    const tag = s.n * 10_000_000 + seq;
    sent.movements++;
    sent.delta += delta;
    sent.tag += tag;
    return {
      seq,
      id,
      name: 'stock.receive',
      hlc,
      actor: OWNER,
      args: { sku: 'BENCH-1', warehouse: 'WH1', quantity: delta },
      effects: [
        {
          table: 'stock_movements',
          key: [`m-${s.n}-${seq}`],
          columns: {
            id: `m-${s.n}-${seq}`,
            sku_id: 'sku-bench',
            warehouse_id: 'wh-bench',
            delta,
            reason: 'receive',
            reference: String(tag),
            note: null,
            actor: OWNER,
            at: ms,
            op_id: id,
            corrects_id: null,
            request_id: null,
          },
        },
      ],
    };
  }
  return {
    seq,
    id,
    name: 'orders.addNote',
    hlc,
    actor: OWNER,
    args: { id: order, body: '已联系客户' },
    effects: [{ table: 'order_notes', key: [`n-${s.n}-${seq}`], columns: { id: `n-${s.n}-${seq}`, order_id: order, author: OWNER, body: '已联系客户', created_at: ms } }],
  };
}

async function pushPending(s: Station): Promise<{ ms: number; applied: number; refused: string[] }> {
  const ops = s.pending.slice(0, 500);
  const t0 = performance.now();
  const res = (await http('POST', `${s.hub}/v1/push`, s.token, { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops })) as {
    lastSeq: number;
    results: Array<{ seq: number; status: string; reason?: string }>;
  };
  const ms = performance.now() - t0;
  s.pending = s.pending.filter((op) => op.seq > res.lastSeq);
  const refused = res.results.filter((r) => r.status !== 'applied').map((r) => `${r.seq}:${r.reason}`);
  return { ms, applied: res.results.length - refused.length, refused };
}

/** One pull request; answers its latency and whether more waits. */
async function pullPage(s: Station): Promise<{ ms: number; more: boolean }> {
  const t0 = performance.now();
  const res = (await http('GET', `${s.hub}/v1/pull?cursor=${s.cursor}&limit=5000&resultsAfter=${s.seq}`, s.token)) as {
    cursor: number;
    more: boolean;
    rows: Array<{ table: string; image: Record<string, unknown> | null }>;
  };
  const ms = performance.now() - t0;
  s.cursor = res.cursor;
  s.pulledRows += res.rows.length;
  for (const r of res.rows) {
    if (r.table !== 'stock_movements' || r.image === null) continue;
    s.pulledMovements.count++;
    s.pulledMovements.delta += Number(r.image.delta);
    s.pulledMovements.tag += Number(r.image.reference);
  }
  return { ms, more: res.more };
}

async function catchUp(s: Station): Promise<void> {
  for (;;) if (!(await pullPage(s)).more) return;
}

/** The station's op results as the hub holds them, paged through the contract. */
async function resultsOf(s: Station): Promise<Array<{ seq: number; status: string }>> {
  const out: Array<{ seq: number; status: string }> = [];
  let after = 0;
  for (;;) {
    const res = (await http('GET', `${s.hub}/v1/pull?cursor=${s.cursor}&limit=1&resultsAfter=${after}`, s.token)) as { results: Array<{ seq: number; status: string }> };
    if (res.results.length === 0) return out;
    out.push(...res.results);
    after = res.results[res.results.length - 1]!.seq;
  }
}

/** A small deterministic generator (mulberry32), so two runs send the same mix. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function runScenario(
  scenario: Scenario,
  opts: { durationS: number; stations: number; rate: number; pullMs: number; pushMs: number; databaseUrl: string | null },
): Promise<Record<string, unknown>> {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    let hubs: string[];
    const children: ChildProcess[] = [];
    let dbUrl: string | null = null;
    if (scenario === 'pglite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-hub-bench-'));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      const h = await startHubProcess(['--data', path.join(dir, 'hub-data'), '--create', '--team', TEAM, '--owner', OWNER, '--password', PASSWORD]);
      cleanups.unshift(() => stopProcess(h.child));
      children.push(h.child);
      hubs = [h.url];
    } else {
      const db = await freshPgDatabase(opts.databaseUrl!);
      cleanups.push(db.drop);
      dbUrl = db.url;
      const first = await startHubProcess(['--database-url', db.url, '--create', '--team', TEAM, '--owner', OWNER, '--password', PASSWORD]);
      cleanups.unshift(() => stopProcess(first.child));
      children.push(first.child);
      hubs = [first.url];
      if (scenario === 'two-hubs') {
        const second = await startHubProcess(['--database-url', db.url]);
        cleanups.unshift(() => stopProcess(second.child));
        children.push(second.child);
        hubs.push(second.url);
      }
    }
    log(`${scenario}: hub${hubs.length > 1 ? 's' : ''} at ${hubs.join(', ')}`);
    const owner = (await http('POST', `${hubs[0]}/v1/login`, null, { team: TEAM, user: OWNER, password: PASSWORD })).token as string;
    const stations: Station[] = [];
    for (let n = 0; n < opts.stations; n++) {
      const hub = hubs[n % hubs.length]!;
      const code = (await http('POST', `${hub}/v1/invites`, owner, { user: OWNER, role: 'owner' })).code as string;
      const joined = await http('POST', `${hub}/v1/join`, null, { code, name: `station-${n}` });
      stations.push({
        n,
        hub,
        id: joined.stationId,
        token: joined.token,
        clock: 0,
        seq: 0,
        pending: [],
        cursor: 0,
        pulledMovements: { count: 0, delta: 0, tag: 0 },
        pulledRows: 0,
      });
    }
    // The first station brings the shop and its orders, as a first station joining does.
    const seed = stations[0]!;
    const sent: Sent = { ops: 0, movements: 0, delta: 0, tag: 0 };
    seed.pending.push({
      seq: ++seed.seq,
      id: 'op-seed',
      name: 'sync.ingest',
      hlc: HybridClock.encode(Date.now(), 0, seed.id),
      actor: 'sync',
      args: {},
      effects: [
        { table: 'shops', key: [SHOP], columns: { id: SHOP, name: '压测店', platform: 'taobao', state: 'active', created_at: Date.now(), settings: null } },
        ...Array.from({ length: ORDERS }, (_, i) => ({
          table: 'orders',
          key: [`o-${i}`],
          columns: { id: `o-${i}`, shop_id: SHOP, platform: 'taobao', platform_order_id: `P${i}`, status: 'paid', platform_updated_at: 1, seller_memo: null, seller_flag: 0 },
        })),
      ],
    });
    sent.ops++;
    const seeded = await pushPending(seed);
    if (seeded.refused.length > 0) throw new Error(`the seed op was refused: ${seeded.refused.join(', ')}`);
    const tBoot = performance.now();
    for (const s of stations) await catchUp(s);
    const bootstrapMs = performance.now() - tBoot;
    log(`${scenario}: ${stations.length} stations joined and bootstrapped (${Math.round(bootstrapMs)} ms); running ${opts.durationS} s`);

    const pushMs: number[] = [];
    const pullMs: number[] = [];
    const refused: string[] = [];
    const errors: string[] = [];
    let applied = 0;
    let stop = false;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

    const pushLoop = async (s: Station) => {
      const rnd = random(1000 + s.n);
      let owed = 0;
      // Stations start spread over one push interval, as real ones would.
      let next = performance.now() + rnd() * opts.pushMs;
      let made = next;
      while (!stop) {
        await sleep(next - performance.now());
        if (stop) break;
        next += opts.pushMs;
        // Ops are made at the station's rate whatever the hub's speed: a slow push leaves more for the next.
        const now = performance.now();
        owed += (opts.rate * (now - made)) / 1000;
        made = now;
        while (owed >= 1) {
          s.pending.push(makeOp(s, sent, rnd));
          owed--;
        }
        if (s.pending.length === 0) continue;
        try {
          const r = await pushPending(s);
          pushMs.push(r.ms);
          applied += r.applied;
          refused.push(...r.refused);
        } catch (err) {
          errors.push(`push ${s.n}: ${(err as Error).message}`);
        }
        // A push slower than the interval does not queue a burst: the next one carries what waited.
        if (next < performance.now()) next = performance.now();
      }
    };
    const pullLoop = async (s: Station) => {
      let next = performance.now() + ((s.n * 37) % opts.pullMs);
      while (!stop) {
        await sleep(next - performance.now());
        if (stop) break;
        next += opts.pullMs;
        try {
          for (;;) {
            const r = await pullPage(s);
            pullMs.push(r.ms);
            if (!r.more) break;
          }
        } catch (err) {
          errors.push(`pull ${s.n}: ${(err as Error).message}`);
        }
        if (next < performance.now()) next = performance.now();
      }
    };

    const appliedBefore = applied;
    const loadStart = os.loadavg()[0]!;
    const cpuStart = await Promise.all(children.map(cpuOf));
    const pgStart = dbUrl === null ? null : await backendCpu(dbUrl);
    const ownStart = process.cpuUsage();
    const t0 = performance.now();
    const loops = stations.flatMap((s) => [pushLoop(s), pullLoop(s)]);
    const progress = setInterval(() => {
      const secs = (performance.now() - t0) / 1000;
      log(`${scenario}: ${Math.round(secs)} s, ${applied} ops applied (${Math.round(applied / secs)}/s), push p95 ${latencies(pushMs.slice(-5000)).p95_ms} ms, pull p95 ${latencies(pullMs.slice(-5000)).p95_ms} ms`);
    }, 15_000);
    await sleep(opts.durationS * 1000);
    stop = true;
    // The window ends here: answers still in flight are waited for, but not counted in ops/s.
    const elapsedS = (performance.now() - t0) / 1000;
    const appliedInWindow = applied - appliedBefore;
    const loadEnd = os.loadavg()[0]!;
    const ownCpu = process.cpuUsage(ownStart);
    const hubCpuMs = (await Promise.all(children.map(cpuOf))).map((c, i) => c - cpuStart[i]!);
    let pgCpuMs: number | null = null;
    if (pgStart !== null && dbUrl !== null) {
      pgCpuMs = 0;
      for (const [pid, ms] of await backendCpu(dbUrl)) pgCpuMs += ms - (pgStart.get(pid) ?? 0);
    }
    const per1000 = (ms: number) => (appliedInWindow === 0 ? null : Math.round((ms / appliedInWindow) * 1000 * 10) / 10);
    await Promise.all(loops);
    clearInterval(progress);

    // Drain: every op made is pushed, every station pulls to the end.
    for (const s of stations) {
      while (s.pending.length > 0) {
        const r = await pushPending(s);
        applied += r.applied;
        refused.push(...r.refused);
      }
    }
    for (const s of stations) await catchUp(s);

    // Lost and twice, through the contract: each station's results are exactly seqs 1..n, once each.
    let lost = 0;
    let twice = 0;
    let refusedOnHub = 0;
    for (const s of stations) {
      const results = await resultsOf(s);
      const seen = new Map<number, number>();
      for (const r of results) {
        seen.set(r.seq, (seen.get(r.seq) ?? 0) + 1);
        if (r.status !== 'applied') refusedOnHub++;
      }
      for (let q = 1; q <= s.seq; q++) if (!seen.has(q)) lost++;
      for (const [q, k] of seen) {
        if (k > 1) twice += k - 1;
        if (q > s.seq) twice++;
      }
    }
    // Every station pulled every movement exactly once.
    let movementsMismatched = 0;
    for (const s of stations) {
      const m = s.pulledMovements;
      if (m.count !== sent.movements || m.delta !== sent.delta || m.tag !== sent.tag) movementsMismatched++;
    }
    const pulledRows = stations.reduce((a, s) => a + s.pulledRows, 0);
    const result = {
      scenario,
      hub_processes: hubs.length,
      engine: scenario === 'pglite' ? 'pglite' : 'postgres',
      stations: opts.stations,
      target_ops_per_s: opts.stations * opts.rate,
      duration_s: Math.round(elapsedS * 10) / 10,
      // The machine's 1-minute load average around the run: figures on a busy box are not the hub's alone.
      load_avg_start: Math.round(loadStart * 10) / 10,
      load_avg_end: Math.round(loadEnd * 10) / 10,
      bootstrap_ms: Math.round(bootstrapMs),
      ops_sent: sent.ops,
      ops_per_s: Math.round((appliedInWindow / elapsedS) * 10) / 10,
      push: latencies(pushMs),
      pull: latencies(pullMs),
      rows_pulled_per_s: Math.round(pulledRows / elapsedS),
      // CPU over the window: the hub processes' (each), the database server's backends (PostgreSQL
      // only; a floor), the load generator's, and the hub's and database's per 1,000 ops applied.
      hub_cpu_ms: hubCpuMs.map((x) => Math.round(x)),
      hub_cpu_ms_per_1000_ops: per1000(hubCpuMs.reduce((a, b) => a + b, 0)),
      ...(pgCpuMs === null ? {} : { pg_backend_cpu_ms: Math.round(pgCpuMs), pg_backend_cpu_ms_per_1000_ops: per1000(pgCpuMs) }),
      load_generator_cpu_ms: Math.round((ownCpu.user + ownCpu.system) / 1000),
      stock_movements: sent.movements,
      ops_lost: lost,
      ops_applied_twice: twice,
      ops_refused: refusedOnHub,
      stations_missing_or_doubling_movements: movementsMismatched,
      request_errors: errors.length,
      ...(errors.length > 0 ? { first_errors: errors.slice(0, 5) } : {}),
      ...(refused.length > 0 ? { first_refusals: refused.slice(0, 5) } : {}),
    };
    log(`${scenario}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    for (const c of cleanups) await c().catch((err) => log(`cleanup: ${(err as Error).message}`));
  }
}

export async function runHubBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      duration: { type: 'string', default: '300' },
      stations: { type: 'string', default: '50' },
      rate: { type: 'string', default: '10' },
      'pull-ms': { type: 'string', default: '1000' },
      'push-ms': { type: 'string', default: '100' },
      scenarios: { type: 'string' },
      'database-url': { type: 'string' },
    },
  });
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min} (got ${v})`);
    return n;
  };
  const databaseUrl = values['database-url'] ?? process.env.SHOPFLEET_TEST_DATABASE_URL ?? null;
  const wanted = (values.scenarios ?? (databaseUrl ? 'pglite,postgres,two-hubs' : 'pglite')).split(',').map((s) => s.trim()) as Scenario[];
  for (const s of wanted) {
    if (!['pglite', 'postgres', 'two-hubs'].includes(s)) throw new Error(`unknown scenario "${s}" (pglite, postgres, two-hubs)`);
    if (s !== 'pglite' && !databaseUrl) throw new Error(`scenario ${s} needs a PostgreSQL: --database-url URL or SHOPFLEET_TEST_DATABASE_URL (.ci/postgres.sh sets it)`);
  }
  if (!databaseUrl) log('no PostgreSQL named (--database-url or SHOPFLEET_TEST_DATABASE_URL): PGlite only');
  const opts = {
    durationS: num('duration', values.duration, 1),
    stations: Math.round(num('stations', values.stations, 1)),
    rate: num('rate', values.rate, 0.1),
    pullMs: num('pull-ms', values['pull-ms'], 50),
    pushMs: num('push-ms', values['push-ms'], 10),
    databaseUrl,
  };
  const scenarios: Record<string, unknown>[] = [];
  for (const s of wanted) scenarios.push(await runScenario(s, opts));
  const out = { bench: 'hub', cpus: os.cpus().length, ...opts, databaseUrl: undefined, scenarios };
  process.stdout.write(values.json ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`);
  const bad = scenarios.some((s) => s.ops_lost !== 0 || s.ops_applied_twice !== 0 || s.stations_missing_or_doubling_movements !== 0);
  return bad ? 1 : 0;
}
