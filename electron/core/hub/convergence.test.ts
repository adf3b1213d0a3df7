// The convergence property of the team hub: three stations (real SQLite files, the real sync
// client over loopback HTTP) and one real hub (in-process; PGlite, and PostgreSQL too when
// SHOPFLEET_TEST_DATABASE_URL names a cluster) run random commands — memos, flags, holds and
// releases, notes, stock receipts — while stations drop off the network and come back, and pushes
// die half way (the hub committed but the answer never arrived; or the hub could not be reached).
// Once everyone is back and has synced until quiet: every station's synced rows equal the hub's
// view, on hand is the sum of every receipt everywhere, and the hub applied each op exactly once.
// SHOPFLEET_CONVERGENCE_RUNS raises the number of runs (CI keeps it small: each run is a new team).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post, TEST_ENGINES } from '../../../server/hub/testkit.ts';
import { stationWrittenTables } from '../../shared/hub/tables.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { loadHubToken, readHubSettings } from './settings.ts';
import { hubStatus } from './status.ts';
import { httpTransport, type HubTransport } from './transport.ts';

const RUNS = Number(process.env.SHOPFLEET_CONVERGENCE_RUNS ?? 4);
const ORDERS = 4;
const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
const deps: HubDeps = { cipher };

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

for (const testEngine of TEST_ENGINES) {
  describe(`convergence of three stations through one hub (${testEngine.name})`, () => {
    let engine: Engine;
    let drop: () => Promise<void>;
    let hub: RunningHub;
    let teamNo = 0;

    beforeAll(async () => {
      const opened = await testEngine.open();
      engine = opened.engine;
      drop = opened.drop;
      hub = await listenHub(await createHubApp({ engine }), { port: 0 });
    }, 60_000);

    afterAll(async () => {
      await hub?.close();
      await engine?.close();
      await drop?.();
    });

    /** A new team with three joined stations; the first brings its orders and the warehouse. */
    async function newTeam(): Promise<Fixture[]> {
      const team = `店群-${++teamNo}`;
      await createTeam(engine, { team, owner: '店主', password: 'correct horse' });
      const owner = (await post(hub.url, '/v1/login', { team, user: '店主', password: 'correct horse' })).token;
      const stations: Fixture[] = [];
      for (let i = 0; i < 3; i++) {
        const f = openFixture(i === 0 ? ORDERS : 0);
        if (i === 0) expect(await f.call('warehouses.add', { code: 'WH1', name: '主仓' })).toMatchObject({ ok: true });
        stations.push(f);
        const code = (await post(hub.url, '/v1/invites', { user: '店主', role: 'owner' }, owner)).code;
        await joinHub(f.db, deps, { url: hub.url, code, name: `${i + 1}号台` });
        await syncOnce(f.db, deps);
      }
      return stations;
    }

    function transportOf(f: Fixture): HubTransport {
      return httpTransport(readHubSettings(f.db)!.url, loadHubToken(f.db, cipher));
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

    async function run(stations: Fixture[], cmds: Cmd[]): Promise<void> {
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
            if (!offline.has(c.s)) await syncOnce(f.db, deps);
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
            await expect(syncOnce(f.db, { cipher, transport: () => dying })).rejects.toThrow('killed');
            expect(hubStatus(f.db).opsWaiting).toBe(waiting);
            break;
          }
          case 'unreachable': {
            const dead = httpTransport('http://127.0.0.1:9', loadHubToken(f.db, cipher));
            const waiting = hubStatus(f.db).opsWaiting;
            if (waiting === 0) break;
            await expect(syncOnce(f.db, { cipher, transport: () => dead })).rejects.toThrow(/cannot be reached/);
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

      // Everyone reconnects and syncs until nothing moves: two full rounds after the last push.
      for (let round = 0; round < 3; round++) for (const f of stations) await syncOnce(f.db, deps);

      const tables = new Set(stationWrittenTables().map((t) => t.name));
      for (const f of stations) {
        const status = hubStatus(f.db);
        expect(status).toMatchObject({ opsWaiting: 0, opsRefused: 0 });
        // Every station's synced rows are the hub's view of them.
        const hubRows = project(await hubView(f), tables);
        expect(Object.keys(hubRows).filter((k) => k.startsWith('orders|'))).toHaveLength(ORDERS);
        expect(project(stationView(f, tables), tables)).toEqual(hubRows);
        // On hand is the sum of every receipt made anywhere.
        const onHand = f.db.$client.prepare(`SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = 'sku-1'`).pluck().get();
        expect(onHand).toBe(received);
        // The hub applied each op of this station exactly once, none lost: one result per seq, no gaps.
        const s = readHubSettings(f.db)!;
        const wire = f.db.$client.prepare('SELECT count(*) FROM ops WHERE seq > ?').pluck().get(s.seqBase) as number;
        const applied = await engine.query<{ n: number; d: number; max: number | null }>(
          'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, max(seq)::int AS max FROM op_results WHERE station_id = $1',
          [s.stationId],
        );
        expect(applied.rows[0]).toEqual({ n: wire, d: wire, max: wire === 0 ? null : wire });
      }
      // And the stations agree with each other (the same rows in the same shape).
      const first = project(stationView(stations[0]!, tables), tables);
      for (const f of stations.slice(1)) expect(project(stationView(f, tables), tables)).toEqual(first);
    }

    it(
      'random commands, partitions and dying pushes end with every station equal to the hub, stock = Σ movements, each op applied once',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 30 }), async (cmds) => {
            const stations = await newTeam();
            try {
              await run(stations, cmds);
            } finally {
              for (const f of stations) f.close();
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
      },
      600_000,
    );
  });
}
