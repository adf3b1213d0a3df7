// The convergence property of the team hub: three stations (real SQLite files, the real sync
// client over loopback HTTP) and one real hub (in-process; PGlite, and PostgreSQL too when
// SHOPFLEET_TEST_DATABASE_URL names a cluster) run random commands — memos, flags, holds and
// releases, notes, stock receipts — while stations drop off the network and come back, and pushes
// die half way (the hub committed but the answer never arrived; or the hub could not be reached).
// Once everyone is back and has synced until quiet: every station's synced rows equal the hub's
// view, on hand is the sum of every receipt everywhere, and the hub applied each op exactly once.
// Two variants use real processes and real signals: a station syncing through the CLI (`shopfleet
// station sync`) is SIGKILLed as its push reaches the hub, while the hub applies it, or as the
// answer leaves; and a hub process (`shopfleet hub serve`) is SIGKILLed while it applies a push and
// restarted on the same data. Afterwards the same agreement holds, and the station's database is whole.
// SHOPFLEET_CONVERGENCE_RUNS and SHOPFLEET_KILL_RUNS raise the number of runs (CI keeps them small:
// each run is a new team).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openPglite, openPostgres, type Queryable } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { freshDatabase, type HubProcess, type HubStore, post, spawnCli, startHubProcess, TEST_ENGINES } from '../../../server/hub/testkit.ts';
import { HUB_PATHS } from '../../shared/hub/protocol.ts';
import { stationWrittenTables } from '../../shared/hub/tables.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createLocalKeyCipher, keyFileFor, type SecretCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { hubStatus } from './status.ts';
import { httpTransport, type HubTransport } from './transport.ts';

const RUNS = Number(process.env.SHOPFLEET_CONVERGENCE_RUNS ?? 4);
/** Runs of the variants with real processes and SIGKILL (each starts a CLI or restarts a hub: seconds). */
const KILL_RUNS = Number(process.env.SHOPFLEET_KILL_RUNS ?? 1);
const ORDERS = 4;

type Cmd =
  | { k: 'memo'; s: number; n: number; text: string }
  | { k: 'flag'; s: number; n: number; flag: number }
  | { k: 'hold'; s: number; n: number }
  | { k: 'release'; s: number; n: number }
  | { k: 'note'; s: number; n: number; text: string }
  | { k: 'receive'; s: number; qty: number }
  | { k: 'sync'; s: number }
  /** The hub commits the push; the station dies before it reads the answer. */
  | { k: 'answerLost'; s: number }
  /** The hub cannot be reached at all (it is down, or the cable is out). */
  | { k: 'unreachable'; s: number }
  | { k: 'offline'; s: number }
  | { k: 'online'; s: number };

const station = fc.integer({ min: 0, max: 2 });
const order = fc.integer({ min: 1, max: ORDERS });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('memo' as const), s: station, n: order, text: fc.constantFrom('加急', '客户要红色', '', '已电话确认', '送货上门') }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('flag' as const), s: station, n: order, flag: fc.integer({ min: 0, max: 5 }) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('hold' as const), s: station, n: order }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('release' as const), s: station, n: order }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('note' as const), s: station, n: order, text: fc.constantFrom('已联系', '换货', '缺货待补') }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('receive' as const), s: station, qty: fc.integer({ min: 1, max: 20 }) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('sync' as const), s: station }), weight: 5 },
  { arbitrary: fc.record({ k: fc.constant('answerLost' as const), s: station }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('unreachable' as const), s: station }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('offline' as const), s: station }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('online' as const), s: station }), weight: 1 },
);

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Order-independent, type-stable text of a row (SQLite and jsonb both give numbers and strings). */
const canon = (v: unknown) => (v === undefined ? null : v);

/**
 * Each station's secrets cipher is the key file beside its database, the one `shopfleet` opens, so a
 * CLI process can sync the same station with the token it stored.
 */
const ciphers = new WeakMap<Fixture, SecretCipher>();
function depsOf(f: Fixture): HubDeps {
  let cipher = ciphers.get(f);
  if (!cipher) {
    cipher = createLocalKeyCipher(keyFileFor(f.db.$client.name));
    ciphers.set(f, cipher);
  }
  return { cipher };
}

function transportOf(f: Fixture): HubTransport {
  return httpTransport(readHubSettings(f.db)!.url, loadHubToken(f.db, depsOf(f).cipher));
}

/** The hub's view of every row this station's groups hold, read from the start of its log. */
async function hubView(f: Fixture): Promise<Map<string, Record<string, unknown>>> {
  const t = transportOf(f);
  const rows = new Map<string, Record<string, unknown> | null>();
  let cursor = 0;
  for (;;) {
    const page = await t.pull({ cursor, limit: 2000 });
    for (const r of page.rows) rows.set(`${r.table}|${JSON.stringify(r.key)}`, r.image);
    if (!page.more) break;
    cursor = page.cursor;
  }
  const out = new Map<string, Record<string, unknown>>();
  for (const [k, image] of rows) if (image !== null) out.set(k, image);
  return out;
}

function stationView(f: Fixture, tables: ReadonlySet<string>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const t of stationWrittenTables()) {
    if (!tables.has(t.name)) continue;
    const rows = f.db.$client.prepare(`SELECT ${t.columns.map(q).join(', ')} FROM ${q(t.name)}`).all() as Record<string, unknown>[];
    for (const r of rows) out.set(`${t.name}|${JSON.stringify(t.key.map((c) => r[c]))}`, r);
  }
  return out;
}

function project(view: Map<string, Record<string, unknown>>, tables: ReadonlySet<string>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const cols = new Map(stationWrittenTables().map((t) => [t.name, t.columns]));
  for (const key of [...view.keys()].sort()) {
    const table = key.slice(0, key.indexOf('|'));
    if (!tables.has(table)) continue;
    const row = view.get(key)!;
    out[key] = Object.fromEntries(cols.get(table)!.map((c) => [c, canon(row[c])]));
  }
  return out;
}

/** Three stations joined to a team the hub already has; the first brings its orders and the warehouse. */
async function joinTeam(hubUrl: string, team: string): Promise<Fixture[]> {
  const owner = (await post(hubUrl, '/v1/login', { team, user: '店主', password: 'correct horse' })).token;
  const stations: Fixture[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const f = openFixture(i === 0 ? ORDERS : 0);
      stations.push(f);
      if (i === 0) expect(await f.call('warehouses.add', { code: 'WH1', name: '主仓' })).toMatchObject({ ok: true });
      const code = (await post(hubUrl, '/v1/invites', { user: '店主', role: 'owner' }, owner)).code;
      await joinHub(f.db, depsOf(f), { url: hubUrl, code, name: `${i + 1}号台` });
      await syncOnce(f.db, depsOf(f));
    }
    return stations;
  } catch (err) {
    for (const f of stations) f.close();
    throw err;
  }
}

/** Runs the commands on their stations; answers the units received (what on hand must end as). */
async function runCommands(stations: Fixture[], cmds: Cmd[]): Promise<number> {
  const offline = new Set<number>();
  let received = 0;
  for (const c of cmds) {
    const f = stations[c.s]!;
    const id = () => f.idOf((c as { n: number }).n);
    switch (c.k) {
      case 'memo':
        expect(await f.call('orders.setFlag', { ids: [id()], memo: c.text === '' ? null : c.text })).toMatchObject({ ok: true });
        break;
      case 'flag':
        expect(await f.call('orders.setFlag', { ids: [id()], flag: c.flag })).toMatchObject({ ok: true });
        break;
      case 'hold':
        expect(await f.call('orders.hold', { ids: [id()], reason: '等客户确认' })).toMatchObject({ ok: true });
        break;
      case 'release':
        expect(await f.call('orders.release', { ids: [id()] })).toMatchObject({ ok: true });
        break;
      case 'note':
        expect(await f.call('orders.addNote', { id: id(), body: c.text })).toMatchObject({ ok: true });
        break;
      case 'receive':
        expect(await f.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: c.qty })).toMatchObject({ ok: true });
        received += c.qty;
        break;
      case 'sync':
        if (!offline.has(c.s)) await syncOnce(f.db, depsOf(f));
        break;
      case 'answerLost': {
        if (offline.has(c.s)) break;
        const real = transportOf(f);
        const dying: HubTransport = {
          ...real,
          push: async (body) => {
            await real.push(body);
            throw new Error('station killed before the answer was recorded');
          },
        };
        const waiting = hubStatus(f.db).opsWaiting;
        if (waiting === 0) break;
        await expect(syncOnce(f.db, { ...depsOf(f), transport: () => dying })).rejects.toThrow('killed');
        expect(hubStatus(f.db).opsWaiting).toBe(waiting);
        break;
      }
      case 'unreachable': {
        const dead = httpTransport('http://127.0.0.1:9', loadHubToken(f.db, depsOf(f).cipher));
        const waiting = hubStatus(f.db).opsWaiting;
        if (waiting === 0) break;
        await expect(syncOnce(f.db, { ...depsOf(f), transport: () => dead })).rejects.toThrow(/cannot be reached/);
        expect(hubStatus(f.db).opsWaiting).toBe(waiting);
        break;
      }
      case 'offline':
        offline.add(c.s);
        break;
      case 'online':
        offline.delete(c.s);
        break;
    }
  }
  return received;
}

/** Edits on every order of one station, so it has a push of a dozen ops or more to send. */
async function pileUp(f: Fixture, tag: string): Promise<void> {
  for (let n = 1; n <= ORDERS; n++) {
    expect(await f.call('orders.setFlag', { ids: [f.idOf(n)], memo: `${tag}-${n}` })).toMatchObject({ ok: true });
    expect(await f.call('orders.setFlag', { ids: [f.idOf(n)], flag: n })).toMatchObject({ ok: true });
    expect(await f.call('orders.addNote', { id: f.idOf(n), body: tag })).toMatchObject({ ok: true });
  }
}

/** The ops a station has given wire seqs to since it joined: the hub must hold one result for each. */
interface Sent {
  stationId: string;
  wire: number;
}

/**
 * Everyone reconnects and syncs until nothing moves (two full rounds after the last push); then
 * every station's synced rows are the hub's view of them, the stations agree, on hand is the sum of
 * every receipt, and nothing waits or was refused. Answers what each station sent.
 */
async function converge(stations: Fixture[], received: number): Promise<Sent[]> {
  for (let round = 0; round < 3; round++) for (const f of stations) await syncOnce(f.db, depsOf(f));

  const tables = new Set(stationWrittenTables().map((t) => t.name));
  const sent: Sent[] = [];
  for (const f of stations) {
    expect(hubStatus(f.db)).toMatchObject({ opsWaiting: 0, opsRefused: 0 });
    const hubRows = project(await hubView(f), tables);
    expect(Object.keys(hubRows).filter((k) => k.startsWith('orders|'))).toHaveLength(ORDERS);
    expect(project(stationView(f, tables), tables)).toEqual(hubRows);
    const onHand = f.db.$client.prepare(`SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = 'sku-1'`).pluck().get();
    expect(onHand).toBe(received);
    const s = readHubSettings(f.db)!;
    sent.push({ stationId: s.stationId, wire: f.db.$client.prepare('SELECT count(*) FROM ops WHERE seq > ?').pluck().get(s.seqBase) as number });
  }
  const first = project(stationView(stations[0]!, tables), tables);
  for (const f of stations.slice(1)) expect(project(stationView(f, tables), tables)).toEqual(first);
  return sent;
}

/** The hub applied each op exactly once, none lost: one result per seq 1..n of each station, no gaps. */
async function expectExactlyOnce(engine: Queryable, sent: Sent[]): Promise<void> {
  for (const { stationId, wire } of sent) {
    const applied = await engine.query<{ n: number; d: number; max: number | null }>(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, max(seq)::int AS max FROM op_results WHERE station_id = $1',
      [stationId],
    );
    expect(applied.rows[0]).toEqual({ n: wire, d: wire, max: wire === 0 ? null : wire });
  }
}

/**
 * Where the hub kills the pushing station's process: as the push arrives; inside the hub's push
 * transaction, every op applied but not yet committed; or after the commit, as the answer leaves.
 */
type StationKill = 'received' | 'applying' | 'answered';
const STATION_KILLS: StationKill[] = ['received', 'applying', 'answered'];

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

for (const testEngine of TEST_ENGINES) {
  describe(`convergence of three stations through one hub (${testEngine.name})`, () => {
    let engine: Engine;
    let drop: () => Promise<void>;
    let hub: RunningHub;
    let teamNo = 0;
    /** Told as a push reaches the hub, before its transaction commits, and as its answer leaves (the station-kill test sets it). */
    let onPush: ((phase: StationKill) => Promise<void>) | null = null;
    let pushing = 0;

    beforeAll(async () => {
      const opened = await testEngine.open();
      engine = opened.engine;
      drop = opened.drop;
      // The hub's engine, with a look inside a push's transaction once its work is done.
      const watched: Engine = {
        ...engine,
        transaction: (fn) =>
          engine.transaction(async (tx) => {
            const out = await fn(tx);
            if (pushing > 0 && onPush) await onPush('applying');
            return out;
          }),
      };
      const app = await createHubApp({ engine: watched });
      app.addHook('preHandler', async (req) => {
        if (!req.url.startsWith(HUB_PATHS.push)) return;
        pushing++;
        if (onPush) await onPush('received');
      });
      app.addHook('onSend', async (req, _reply, payload) => {
        if (!req.url.startsWith(HUB_PATHS.push)) return payload;
        pushing--;
        if (onPush) await onPush('answered');
        return payload;
      });
      hub = await listenHub(app, { port: 0 });
    }, 60_000);

    afterAll(async () => {
      await hub?.close();
      await engine?.close();
      await drop?.();
    });

    async function newTeam(): Promise<Fixture[]> {
      const team = `店群-${++teamNo}`;
      await createTeam(engine, { team, owner: '店主', password: 'correct horse' });
      return joinTeam(hub.url, team);
    }

    it(
      'random commands, partitions and dying pushes end with every station equal to the hub, stock = Σ movements, each op applied once',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 30 }), async (cmds) => {
            const stations = await newTeam();
            try {
              const received = await runCommands(stations, cmds);
              await expectExactlyOnce(engine, await converge(stations, received));
            } finally {
              for (const f of stations) f.close();
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
      },
      600_000,
    );

    it(
      'a station process (`shopfleet station sync`) SIGKILLed mid-push keeps its database and ops, and everything converges',
      async () => {
        await fc.assert(
          // One run kills a station at each of the three points in turn (each on a random station).
          fc.asyncProperty(fc.array(cmd, { minLength: 3, maxLength: 15 }), fc.tuple(station, station, station), async (cmds, victims) => {
            const stations = await newTeam();
            try {
              const received = await runCommands(stations, cmds);
              for (const [i, kill] of STATION_KILLS.entries()) {
                const f = stations[victims[i]!]!;
                await pileUp(f, kill);
                const waiting = hubStatus(f.db).opsWaiting;
                const ops = f.db.$client.prepare('SELECT count(*) FROM ops').pluck().get();
                const child = spawnCli(['station', 'sync', '--db', f.db.$client.name, '--json']);
                let stderr = '';
                child.stderr.on('data', (d) => (stderr += d));
                const exited = exitOf(child);
                let fired = false;
                onPush = async (phase) => {
                  if (fired || phase !== kill) return;
                  fired = true;
                  child.kill('SIGKILL');
                  await exited;
                };
                let end: Awaited<ReturnType<typeof exitOf>>;
                try {
                  end = await exited;
                } finally {
                  onPush = null;
                }
                expect(fired, stderr).toBe(true);
                expect(end).toEqual({ code: null, signal: 'SIGKILL' });
                // The station's database is whole and lost nothing; it died before reading an answer, so every op still waits.
                expect(f.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
                expect(f.db.$client.prepare('SELECT count(*) FROM ops').pluck().get()).toBe(ops);
                expect(hubStatus(f.db).opsWaiting).toBe(waiting);
              }
              await expectExactlyOnce(engine, await converge(stations, received));
            } finally {
              for (const f of stations) f.close();
            }
          }),
          { numRuns: KILL_RUNS, endOnFailure: true },
        );
      },
      600_000,
    );
  });

  describe(`convergence after the hub process is SIGKILLed mid-push (${testEngine.name})`, () => {
    const teams = Array.from({ length: KILL_RUNS }, (_, i) => `店群-${i + 1}`);
    let store: HubStore;
    let dir: string | null = null;
    let drop: () => Promise<void> = async () => undefined;
    let hubProc: HubProcess | null = null;

    /** The hub's database opened in this process (a PGlite folder only while no hub process has it). */
    const openStore = (): Promise<Engine> => ('dataDir' in store ? openPglite(store.dataDir) : openPostgres(store.databaseUrl));

    beforeAll(async () => {
      if (testEngine.name === 'pglite') {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-hub-kill-'));
        store = { dataDir: path.join(dir, 'hub-data') };
      } else {
        const db = await freshDatabase();
        store = { databaseUrl: db.url };
        drop = db.drop;
      }
      // Every run is a new team, made before the hub process takes the folder.
      const engine = await openStore();
      try {
        for (const team of teams) await createTeam(engine, { team, owner: '店主', password: 'correct horse' });
      } finally {
        await engine.close();
      }
      hubProc = await startHubProcess(store);
    }, 120_000);

    afterAll(async () => {
      await hubProc?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      await drop();
    });

    it(
      'the hub killed with SIGKILL while it applies a push, then restarted on its data: nothing lost, nothing applied twice',
      async () => {
        const proc = hubProc!;
        const sent: Sent[] = [];
        let run = 0;
        await fc.assert(
          // Two kills per run: each a random station's push, the hub killed a random 0–300 ms after it is sent.
          fc.asyncProperty(fc.array(cmd, { minLength: 3, maxLength: 15 }), fc.array(fc.record({ victim: station, afterMs: fc.integer({ min: 0, max: 300 }) }), { minLength: 2, maxLength: 2 }), async (cmds, kills) => {
            const team = teams[run++];
            if (team === undefined) throw new Error('more runs than teams made before the hub started');
            const stations = await joinTeam(proc.url, team);
            try {
              const received = await runCommands(stations, cmds);
              for (const { victim, afterMs } of kills) {
                const f = stations[victim]!;
                await pileUp(f, `crash-${afterMs}`);
                await pileUp(f, `crash-${afterMs}-again`);
                const ops = f.db.$client.prepare('SELECT count(*) FROM ops').pluck().get();
                let killed: Promise<void> | null = null;
                const killing: typeof fetch = (input, init) => {
                  if (killed === null && String(input).includes(HUB_PATHS.push)) killed = new Promise((r) => setTimeout(r, afterMs)).then(() => proc.kill());
                  return fetch(input, init);
                };
                await syncOnce(f.db, { ...depsOf(f), fetch: killing }).catch(() => null);
                expect(killed).not.toBeNull();
                await killed;
                // The hub is gone: another station cannot reach it and keeps what it has.
                const other = stations[(victim + 1) % 3]!;
                expect(await other.call('orders.setFlag', { ids: [other.idOf(1)], memo: `断网时改的 ${afterMs}` })).toMatchObject({ ok: true });
                await expect(syncOnce(other.db, depsOf(other))).rejects.toThrow(/cannot be reached/);
                expect(f.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
                expect(f.db.$client.prepare('SELECT count(*) FROM ops').pluck().get()).toBe(ops);
                await proc.restart();
              }
              sent.push(...(await converge(stations, received)));
            } finally {
              for (const f of stations) f.close();
            }
          }),
          { numRuns: KILL_RUNS, endOnFailure: true },
        );
        // The results, read from the hub's own database once no process holds it.
        await proc.stop();
        const engine = await openStore();
        try {
          await expectExactlyOnce(engine, sent);
        } finally {
          await engine.close();
        }
      },
      600_000,
    );
  });
}
