// Pushes that reach the hub at the same moment share a transaction (one team lock, one commit),
// yet each keeps what the contract promises: its own answer, exactly-once by (station, seq), a gap
// answered 409 after the ops before it are committed, a revoked station refused alone, a refusal
// undoing only its own op (including what it wrote through SQL inside its savepoint), and the
// oversold check counting each new movement once. On PGlite and, when the cluster is there, PostgreSQL.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_SCHEMA_VERSION, type PushOp } from '../../electron/shared/hub/protocol.ts';
import type { Engine } from '../db/engine.ts';
import { createHubApp } from './app.ts';
import { createTeam } from './identity.ts';
import { createDefaultRegistry, OpRefusal, roleCheckedMerge } from './mutators.ts';
import { call, TEST_ENGINES } from './testkit.ts';

const hlc = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-0000-${node}`;

interface Station {
  id: string;
  token: string;
  seq: number;
}

describe.each(TEST_ENGINES)('concurrent pushes on $name', (te) => {
  let engine: Engine;
  let app: FastifyInstance;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await te.open();
    engine = db.engine;
    drop = db.drop;
    const registry = createDefaultRegistry();
    // Merges, makes its rows visible to SQL, reads one back, then refuses: the savepoint must undo it.
    const merge = roleCheckedMerge(['owner']);
    registry.register('test.writeThenRefuse', async (ctx) => {
      await merge(ctx);
      await ctx.rows.flushAll();
      const seen = await ctx.tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM rows WHERE team_id = $1 AND tbl = 'tags'`, [ctx.teamId]);
      throw new OpRefusal('TEST_REFUSED', { tagsSeen: Number(seen.rows[0]!.n) });
    });
    // A hub bug in one op: its push fails, and must not take the pushes batched with it down too.
    registry.register('test.crash', async () => {
      throw new Error('a mutator bug');
    });
    app = await createHubApp({ engine, registry });
  });
  afterAll(async () => {
    await app.close();
    await engine.close();
    await drop();
  });

  async function station(owner: string, name: string): Promise<Station> {
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user: 'boss', role: 'owner' } });
    const j = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name } });
    expect(j.status).toBe(200);
    return { id: j.body.stationId, token: j.body.token, seq: 0 };
  }

  const op = (s: Station, name: string, effects: PushOp['effects'], seq = ++s.seq): PushOp => ({
    seq,
    id: `${s.id}-${seq}`,
    name,
    hlc: hlc(1_000 + seq, s.id),
    actor: 'boss',
    args: {},
    effects,
  });
  const move = (id: string, delta: number): PushOp['effects'][number] => ({
    table: 'stock_movements',
    key: [id],
    columns: { id, sku_id: 'sku-1', warehouse_id: 'wh-1', delta, reason: 'receive', actor: 'boss', at: 1 },
  });
  const pushOps = (s: Station, ops: PushOp[]) => call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops } });

  it('each push keeps its own answer, and together they apply every op once', async () => {
    await createTeam(engine, { team: 'together', owner: 'boss', password: 'correct horse' });
    const owner = (await call(app, 'POST', '/v1/login', { body: { team: 'together', user: 'boss', password: 'correct horse' } })).body.token as string;
    const a = await station(owner, 'A');
    const b = await station(owner, 'B');
    const c = await station(owner, 'C');
    expect((await call(app, 'POST', `/v1/stations/${c.id}/revoke`, { token: owner })).status).toBe(200);

    const aOps = [
      op(a, 'stock.receive', [move('m-a1', 5), { table: 'tags', key: ['t-kept'], columns: { id: 't-kept', name: '留下' } }]),
      op(a, 'test.writeThenRefuse', [{ table: 'tags', key: ['t-refused'], columns: { id: 't-refused', name: '不该留下' } }]),
      op(a, 'stock.receive', [move('m-a2', -8)]),
    ];
    const bOps = [op(b, 'stock.receive', [move('m-b1', 1)]), op(b, 'stock.receive', [move('m-b3', 1)], 3)];
    const cOps = [op(c, 'stock.receive', [move('m-c1', 100)])];
    const [ra, rb, rc] = await Promise.all([pushOps(a, aOps), pushOps(b, bOps), pushOps(c, cOps)]);

    expect(ra.status).toBe(200);
    expect(ra.body.lastSeq).toBe(3);
    expect(ra.body.results.map((r: { seq: number; status: string }) => `${r.seq}:${r.status}`)).toEqual(['1:applied', '2:refused', '3:applied']);
    // The refused op saw its own row (and op 1's) through SQL, and none of it survived.
    expect(ra.body.results[1]).toMatchObject({ reason: 'TEST_REFUSED', details: { tagsSeen: 2 } });
    expect(rb.status).toBe(409);
    expect(rb.body).toMatchObject({ code: 'OUT_OF_ORDER', lastSeq: 1 });
    expect(rc.status).toBe(401);
    expect(rc.body.code).toBe('TOKEN_REVOKED');

    // Resent whole: nothing is applied twice; the results stay one per seq.
    const again = await pushOps(a, aOps);
    expect(again.body).toEqual({ lastSeq: 3, results: [] });
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000&resultsAfter=0', { token: a.token });
    expect(pulled.body.results.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3]);
    const keys = pulled.body.rows.filter((r: { table: string }) => r.table === 'stock_movements' || r.table === 'tags').map((r: { key: string[] }) => r.key[0]);
    expect(keys.sort()).toEqual(['m-a1', 'm-a2', 'm-b1', 't-kept']);
    // Lww rows carry their greatest column timestamp; rows only the hub writes carry none.
    const tag = pulled.body.rows.find((r: { key: string[] }) => r.key[0] === 't-kept');
    expect(tag.hlc).toBe(hlc(1_001, a.id));

    // 5 − 8 + 1: the ledger went below zero once, counted from the movements the hub holds.
    const alerts = await call(app, 'GET', '/v1/alerts', { token: a.token });
    expect(alerts.body.alerts).toEqual([expect.objectContaining({ kind: 'OVERSOLD', subject: 'sku-1|wh-1', resolvedAt: null, details: expect.objectContaining({ onHand: -2 }) })]);
    const alertRow = pulled.body.rows.find((r: { table: string }) => r.table === 'hub_alerts');
    expect(alertRow).toBeDefined();
    expect(alertRow.hlc).toBeUndefined();
    // A copy of a known movement adds nothing; a receipt brings it back to zero and resolves it.
    b.seq = 1;
    const rb2 = await pushOps(b, [op(b, 'stock.receive', [move('m-b1', 1)]), op(b, 'stock.receive', [move('m-b2', 2)])]);
    expect(rb2.status).toBe(200);
    const after = await call(app, 'GET', '/v1/alerts', { token: a.token });
    expect(after.body.alerts[0]).toMatchObject({ kind: 'OVERSOLD', resolvedAt: expect.any(Number) });
  }, 60_000);

  it('a push that fails on a hub bug fails alone; the pushes applied with it go through', async () => {
    await createTeam(engine, { team: 'apart', owner: 'boss', password: 'correct horse' });
    const owner = (await call(app, 'POST', '/v1/login', { body: { team: 'apart', user: 'boss', password: 'correct horse' } })).body.token as string;
    const [d, a, b, c] = [await station(owner, 'D'), await station(owner, 'A'), await station(owner, 'B'), await station(owner, 'C')];
    const [rd, ra, rb, rc] = await Promise.all([
      pushOps(d, [op(d, 'stock.receive', [move('m-d1', 1)])]),
      pushOps(a, [op(a, 'test.crash', [])]),
      pushOps(b, [op(b, 'stock.receive', [move('m-b1', 1)])]),
      pushOps(c, [op(c, 'stock.receive', [move('m-c1', 1)])]),
    ]);
    expect(ra.status).toBe(500);
    expect([rd.status, rb.status, rc.status]).toEqual([200, 200, 200]);
    expect([rd.body.lastSeq, rb.body.lastSeq, rc.body.lastSeq]).toEqual([1, 1, 1]);
  }, 60_000);
});
