// The hub's hot paths under many stations: pushes that reach a hub process in one turn of its event
// loop share one transaction (PGlite runs a transaction without yielding, so they must be gathered
// before it starts; and alone, so it sends no team lock); the stations' pulls read each row change from the rows table once, through the
// process's log of the team, and every page the log answers is the page the rows table holds (random
// edits, shop-scoped stations, small bounds so entries are superseded, trimmed and compacted); the
// cached station token still sees a revocation and a person's new shops at once. On PGlite and,
// when the cluster is there, PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PushOp } from '../../electron/shared/hub/protocol.ts';
import type { Queryable } from '../db/engine.ts';
import { LOG_BOUNDS } from './pull-log.ts';
import { call, joinStation, openTeamHub, pushAs, TEST_ENGINES, type TeamHub, type TestStation } from './testkit.ts';

const hlc = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-0000-${node}`;

describe.each(TEST_ENGINES)('hot paths on $name', (te) => {
  let hub: TeamHub;
  let clock = Date.UTC(2026, 11, 1);
  const bounds = { ...LOG_BOUNDS };
  /** SQL the engine ran since the last reset, with the rows each answered (transactions counted apart). */
  let statements: Array<{ sql: string; rows: number }> = [];
  let transactions = 0;

  beforeAll(async () => {
    hub = await openTeamHub(te);
    const { engine } = hub;
    const query = engine.query.bind(engine);
    const transaction = engine.transaction.bind(engine);
    const seen = (q: Queryable['query']): Queryable['query'] =>
      (async (sql: string, params?: unknown[]) => {
        const r = await q(sql, params);
        statements.push({ sql, rows: r.rows.length });
        return r;
      }) as Queryable['query'];
    engine.query = seen(query);
    engine.transaction = (fn) => {
      transactions += 1;
      return transaction((tx) => fn({ serial: tx.serial, query: seen(tx.query.bind(tx)) }));
    };
  });
  afterAll(() => hub.close());
  afterEach(() => Object.assign(LOG_BOUNDS, bounds));

  const reset = () => {
    statements = [];
    transactions = 0;
  };
  const op = (s: TestStation, name: string, effects: PushOp['effects']): PushOp => ({ seq: ++s.seq, id: `${s.id}-${s.seq}`, name, hlc: hlc(++clock, s.id), actor: 'boss', args: {}, effects });
  const pull = (s: TestStation, cursor: number, limit = 1000) => call(hub.app, 'GET', `/v1/pull?cursor=${cursor}&limit=${limit}&resultsAfter=${s.seq}`, { token: s.token });

  it('pushes that arrive together share one transaction', async () => {
    const stations = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => joinStation(hub.app, hub.owner, 'boss', 'owner', `batch-${n}`)));
    reset();
    const answers = await Promise.all(stations.map((s, n) => pushAs(hub.app, s, [op(s, 'tags.create', [{ table: 'tags', key: [`batch-${n}`], columns: { id: `batch-${n}`, name: `标签${n}` } }])])));
    expect(answers.map((a) => [a.status, a.body.results[0].status])).toEqual(stations.map(() => [200, 'applied']));
    // Six pushes in one turn of the event loop: one transaction (a second only if one came late).
    expect(transactions).toBeLessThanOrEqual(2);
    // PGlite runs each transaction alone: the team's lock, which orders concurrent writers, is not sent.
    const locks = statements.filter((x) => x.sql.includes('pg_advisory_xact_lock')).length;
    if (te.name === 'pglite') expect(locks).toBe(0);
    else expect(locks).toBeGreaterThan(0);
  });

  it('every station’s pulls read a change from the rows table once, and each page is the one the rows table holds', async () => {
    LOG_BOUNDS.entries = 40;
    LOG_BOUNDS.chars = 64 * 1024;
    const shops = ['hp-a', 'hp-b'];
    const seeder = await joinStation(hub.app, hub.owner, 'boss', 'owner', 'seeder');
    const seeded = await pushAs(hub.app, seeder, [
      op(seeder, 'sync.ingest', [
        ...shops.map((id) => ({ table: 'shops', key: [id], columns: { id, name: id, platform: 'taobao', state: 'active', created_at: 1, settings: null } })),
        ...Array.from({ length: 12 }, (_, i) => ({
          table: 'orders',
          key: [`hp-o${i}`],
          columns: { id: `hp-o${i}`, shop_id: shops[i % 2], platform: 'taobao', platform_order_id: `HP${i}`, status: 'paid', platform_updated_at: 1 },
        })),
      ]),
    ]);
    expect(seeded.body.results[0].status).toBe('applied');
    const whole = await Promise.all([1, 2, 3].map((n) => joinStation(hub.app, hub.owner, 'boss', 'owner', `whole-${n}`)));
    const scoped = await joinStation(hub.app, hub.owner, 'xiaoli', 'service', 'scoped');
    await call(hub.app, 'POST', '/v1/invites', { token: hub.owner, body: { user: 'xiaoli', role: 'service', shops: ['hp-a'] } });
    const pullers = [...whole, scoped];
    const cursors = new Map<string, number>();
    for (const s of pullers) cursors.set(s.id, (await pull(s, 0, 5000)).body.cursor);

    /** The page the rows table holds for this station after this cursor (what a pull read before the log). */
    const reference = async (s: TestStation, cursor: number, limit: number) => {
      const groups = s === scoped ? ['team', 'shop:hp-a'] : null;
      const r = await hub.engine.query<{ sync_id: number; tbl: string; key: string; image: unknown; deleted: boolean }>(
        `SELECT sync_id, tbl, key, image, deleted FROM rows WHERE team_id = (SELECT team_id FROM stations WHERE id = $1) AND sync_id > $2
           ${groups ? 'AND grp = ANY($4::text[])' : ''} ORDER BY sync_id LIMIT $3`,
        groups ? [s.id, cursor, limit + 1, groups] : [s.id, cursor, limit + 1],
      );
      const rows = r.rows.slice(0, limit).map((x) => ({ syncId: Number(x.sync_id), table: x.tbl, key: JSON.parse(x.key), image: x.deleted ? null : x.image }));
      return { rows, more: r.rows.length > limit };
    };

    // Seeded (Lehmer), so a failure replays.
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const writers = [seeder, ...whole];
    for (let round = 0; round < 30; round++) {
      // A few edits: memos and flags of orders in both shops, tags (team), notes (append).
      for (const w of writers) {
        if (rnd() < 0.3) continue;
        const ops: PushOp[] = [];
        for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
          const order = `hp-o${Math.floor(rnd() * 12)}`;
          const r = rnd();
          if (r < 0.5) ops.push(op(w, 'orders.setFlag', [{ table: 'orders', key: [order], columns: { seller_memo: `memo ${round}-${k}`, seller_flag: k } }]));
          else if (r < 0.75) ops.push(op(w, 'tags.create', [{ table: 'tags', key: [`hp-t${Math.floor(rnd() * 5)}`], columns: { name: `tag ${round}`, color: null } }]));
          else ops.push(op(w, 'orders.addNote', [{ table: 'order_notes', key: [`hp-n${round}-${w.id}-${k}`], columns: { id: `hp-n${round}-${w.id}-${k}`, order_id: order, author: 'boss', body: 'x', created_at: clock } }]));
        }
        expect((await pushAs(hub.app, w, ops)).status).toBe(200);
      }
      // Some stations pull (small pages now and then), and each page equals the rows table's.
      for (const s of pullers) {
        if (rnd() < 0.4) continue;
        const limit = rnd() < 0.3 ? 1 + Math.floor(rnd() * 4) : 1000;
        const cursor = cursors.get(s.id)!;
        const want = await reference(s, cursor, limit);
        const got = (await pull(s, cursor, limit)).body;
        expect({ rows: got.rows.map((x: { syncId: number; table: string; key: unknown; image: unknown }) => ({ syncId: x.syncId, table: x.table, key: x.key, image: x.image })), more: got.more }).toEqual(want);
        cursors.set(s.id, got.cursor);
      }
    }

    // Caught up, then one more change that every station pulls: the rows table hands it out once,
    // not once per station, and no pull has the database build its page.
    for (const s of whole) {
      let page = (await pull(s, cursors.get(s.id)!, 5000)).body;
      while (page.more) page = (await pull(s, page.cursor, 5000)).body;
      cursors.set(s.id, page.cursor);
    }
    const w = writers[0]!;
    await pushAs(hub.app, w, [op(w, 'tags.create', [{ table: 'tags', key: ['hp-last'], columns: { id: 'hp-last', name: 'last' } }])]);
    reset();
    for (const s of whole) {
      const got = (await pull(s, cursors.get(s.id)!)).body;
      expect(got.rows.map((x: { key: string[] }) => x.key[0])).toEqual(['hp-last']);
    }
    const rowReads = statements.filter((x) => /FROM rows\b[\s\S]*sync_id >/.test(x.sql));
    expect(rowReads.reduce((n, x) => n + x.rows, 0)).toBe(1);
    expect(rowReads.filter((x) => x.sql.includes('json_agg'))).toEqual([]);
  });

  it('a station token this process knows still sees a revocation and its person’s new shops at once', async () => {
    const s = await joinStation(hub.app, hub.owner, 'laowang', 'packer', 'revocable');
    const seed = await joinStation(hub.app, hub.owner, 'boss', 'owner', 'seed-2');
    await pushAs(hub.app, seed, [
      op(seed, 'sync.ingest', [
        ...['rv-a', 'rv-b'].map((id) => ({ table: 'shops', key: [id], columns: { id, name: id, platform: 'taobao', state: 'active', created_at: 1, settings: null } })),
      ]),
    ]);
    const before = await pull(s, 0, 5000);
    expect(before.body.rows.filter((r: { table: string }) => r.table === 'shops').map((r: { key: string[] }) => r.key[0])).toEqual(expect.arrayContaining(['rv-a', 'rv-b']));
    // The owner narrows laowang to one shop: the very next pull (same token, known to this process) sees only it.
    await call(hub.app, 'POST', '/v1/invites', { token: hub.owner, body: { user: 'laowang', role: 'packer', shops: ['rv-a'] } });
    const narrowed = await pull(s, 0, 5000);
    const shopsSeen = narrowed.body.rows.filter((r: { table: string }) => r.table === 'shops').map((r: { key: string[] }) => r.key[0]);
    expect(shopsSeen).toContain('rv-a');
    expect(shopsSeen).not.toContain('rv-b');
    // Revoked: the next push with ops and the next pull are refused, though the token was known here.
    expect((await call(hub.app, 'POST', `/v1/stations/${s.id}/revoke`, { token: hub.owner })).status).toBe(200);
    const pushed = await pushAs(hub.app, s, [op(s, 'tags.create', [{ table: 'tags', key: ['rv-t'], columns: { id: 'rv-t', name: 't' } }])]);
    expect([pushed.status, pushed.body.code]).toEqual([401, 'TOKEN_REVOKED']);
    const pulled = await pull(s, 0);
    expect([pulled.status, pulled.body.code]).toEqual([401, 'TOKEN_REVOKED']);
  });
});
