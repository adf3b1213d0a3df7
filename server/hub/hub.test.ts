// The hub end to end through its HTTP contract, on PGlite and (when the cluster is there) on a real
// PostgreSQL: teams, people and stations; join codes; push's skip / 409 / apply / refusal; pull by
// cursor; the merge rules; tenant isolation; revocation; op name aliases; pokes.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HUB_SCHEMA_VERSION, type PushOp } from '../../electron/shared/hub/protocol.ts';
import type { Engine } from '../db/engine.ts';
import { createHubApp, listenHub } from './app.ts';
import { createTeam, join } from './identity.ts';
import { createDefaultRegistry } from './mutators.ts';
import { call, TEST_ENGINES } from './testkit.ts';

const hlc = (ms: number, node = 'a') => `${String(ms).padStart(15, '0')}-0000-${node}`;

interface Station {
  id: string;
  token: string;
  seq: number;
}

describe.each(TEST_ENGINES)('hub on $name', (te) => {
  let engine: Engine;
  let app: FastifyInstance;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await te.open();
    engine = db.engine;
    drop = db.drop;
    const registry = createDefaultRegistry().alias('orders.memo.v0', 'tags.create');
    app = await createHubApp({ engine, registry });
  });
  afterAll(async () => {
    await app.close();
    await engine.close();
    await drop();
  });

  async function ownerSession(team: string, owner = 'boss', password = 'correct horse'): Promise<string> {
    const r = await call(app, 'POST', '/v1/login', { body: { team, user: owner, password } });
    expect(r.status).toBe(200);
    return r.body.token;
  }

  async function newTeam(name: string): Promise<{ owner: string }> {
    await createTeam(engine, { team: name, owner: 'boss', password: 'correct horse' });
    return { owner: await ownerSession(name) };
  }

  async function station(owner: string, user: string, role: string, shops?: string[]): Promise<Station> {
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user, role, ...(shops ? { shops } : {}) } });
    expect(inv.status).toBe(200);
    const j = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name: `${user}'s desk` } });
    expect(j.status).toBe(200);
    return { id: j.body.stationId, token: j.body.token, seq: 0 };
  }

  function op(s: Station, name: string, actor: string, ms: number, effects: PushOp['effects']): PushOp {
    s.seq += 1;
    return { seq: s.seq, id: `${s.id}-${s.seq}`, name, hlc: hlc(ms, s.id), actor, args: {}, effects };
  }

  const pushOps = (s: Station, ops: PushOp[]) =>
    call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops } });
  const pullFrom = (s: Station, cursor: number, extra = '') => call(app, 'GET', `/v1/pull?cursor=${cursor}${extra}`, { token: s.token });

  it('creates a team, signs the owner in, invites, joins a station and lists them', async () => {
    const { owner } = await newTeam('lifecycle');
    const wrong = await call(app, 'POST', '/v1/login', { body: { team: 'lifecycle', user: 'boss', password: 'wrong password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('BAD_CREDENTIALS');
    const s = await station(owner, 'xiaoli', 'packer');
    const team = await call(app, 'GET', '/v1/team', { token: s.token });
    expect(team.status).toBe(200);
    expect(team.body.users.map((u: { name: string; role: string }) => `${u.name}:${u.role}`)).toEqual(['boss:owner', 'xiaoli:packer']);
    expect(team.body.stations).toHaveLength(1);
    expect(team.body.stations[0]).toMatchObject({ id: s.id, name: "xiaoli's desk", lastSeq: 0, revokedAt: null });
    // The users reach every station as hub-owned rows, without any hash.
    const pulled = await pullFrom(s, 0);
    const users = pulled.body.rows.filter((r: { table: string }) => r.table === 'users');
    expect(users.map((r: { image: { name: string } }) => r.image.name).sort()).toEqual(['boss', 'xiaoli']);
    expect(JSON.stringify(users)).not.toMatch(/argon2/);
    // A packer cannot invite; a station token cannot invite either.
    const byStation = await call(app, 'POST', '/v1/invites', { token: s.token, body: { user: 'x', role: 'packer' } });
    expect(byStation.status).toBe(403);
    // A station checks a person's PIN; a PIN never opens a hub session.
    await call(app, 'POST', '/v1/invites', { token: owner, body: { user: 'xiaoli', role: 'packer', pin: '2468' } });
    const pin = await call(app, 'POST', '/v1/login', { token: s.token, body: { user: 'xiaoli', pin: '2468' } });
    expect(pin.status).toBe(200);
    expect(pin.body.user.name).toBe('xiaoli');
    expect(pin.body.token).toBeUndefined();
    const pinAlone = await call(app, 'POST', '/v1/login', { body: { team: 'lifecycle', user: 'xiaoli', pin: '2468' } });
    expect(pinAlone.status).toBe(401);
    const dup = await createTeam(engine, { team: 'lifecycle', owner: 'x', password: 'long enough' }).catch((e: Error & { code?: string }) => e.code);
    expect(dup).toBe('CONFLICT');
  });

  it('spends a join code once and refuses an expired one', async () => {
    const { owner } = await newTeam('codes');
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user: 'kefu', role: 'service', ttlMinutes: 5 } });
    const first = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code.toLowerCase(), name: 'desk 1' } });
    expect(first.status).toBe(200);
    const again = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name: 'desk 2' } });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('JOIN_CODE_USED');
    const unknown = await call(app, 'POST', '/v1/join', { body: { code: 'AAAA-BBBB-CCCC-DDDD', name: 'desk 3' } });
    expect(unknown.body.code).toBe('JOIN_CODE_INVALID');
    const late = await call(app, 'POST', '/v1/invites', { token: owner, body: { user: 'kefu', role: 'service', ttlMinutes: 5 } });
    const expired = await join(engine, late.body.code, 'desk 4', Date.now() + 6 * 60_000).catch((e: { code?: string }) => e.code);
    expect(expired).toBe('JOIN_CODE_EXPIRED');
    // Still good within its time.
    expect((await join(engine, late.body.code, 'desk 4', Date.now() + 4 * 60_000)).stationId).toMatch(/^st_/);
  });

  it('push: applies in order, skips what is done, answers 409 on a gap, records refusals as results', async () => {
    const { owner } = await newTeam('pushing');
    const s = await station(owner, 'yunying', 'operator');
    const tag = (id: string, name: string) => [{ table: 'tags', key: [id], columns: { name, color: 'red' } }];
    const a = op(s, 'tags.create', 'yunying', 1000, tag('t1', 'gift'));
    const b = op(s, 'orders.hold', 'nobody', 1001, tag('t2', 'x'));
    const c = op(s, 'no.such.op', 'yunying', 1002, tag('t3', 'y'));
    const d = op(s, 'tags.create', 'yunying', 1003, [{ table: 'print_jobs', key: ['p'], columns: {} }]);
    const e = op(s, 'tags.create', 'yunying', 1004, tag('t4', 'z'));
    const first = await pushOps(s, [a, b, c, d, e]);
    expect(first.status).toBe(200);
    expect(first.body.lastSeq).toBe(5);
    expect(first.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual([
      'applied',
      'UNKNOWN_ACTOR',
      'UNKNOWN_OP',
      'UNKNOWN_TABLE',
      'applied',
    ]);
    // Resending is harmless: nothing is applied twice.
    const resend = await pushOps(s, [a, b, c, d, e]);
    expect(resend.body).toEqual({ lastSeq: 5, results: [] });
    // A gap: the station must resend from 6.
    s.seq += 1;
    const gap = await pushOps(s, [op(s, 'tags.create', 'yunying', 1006, tag('t9', 'late'))]);
    expect(gap.status).toBe(409);
    expect(gap.body).toMatchObject({ code: 'OUT_OF_ORDER', lastSeq: 5 });
    // The refused ops wrote nothing; the applied ones did; the results come back on pull.
    const pulled = await pullFrom(s, 0);
    expect(pulled.body.rows.filter((r: { table: string }) => r.table === 'tags').map((r: { key: string[] }) => r.key[0])).toEqual(['t1', 't4']);
    expect(pulled.body.lastSeq).toBe(5);
    expect(pulled.body.results.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    const after3 = await pullFrom(s, 0, '&resultsAfter=3');
    expect(after3.body.results.map((r: { seq: number }) => r.seq)).toEqual([4, 5]);
    // Another station's id, or an unknown schema version, is refused as a whole.
    const forged = await call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: 'st_other', schemaVersion: HUB_SCHEMA_VERSION, ops: [] } });
    expect(forged.status).toBe(403);
    const old = await call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: 999, ops: [] } });
    expect(old.status).toBe(426);
    expect(old.body.code).toBe('STATION_TOO_OLD');
    const bad = await call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, ops: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_REQUEST');
  });

  it('refuses an op the actor’s role may not run, and writes outside the actor’s shops', async () => {
    const { owner } = await newTeam('roles');
    const s = await station(owner, 'dabao', 'packer', ['shop-a']);
    const order = (id: string, shop: string) => ({
      table: 'orders',
      key: [id],
      columns: { shop_id: shop, platform: 'sandbox', platform_order_id: id, status: 'paid', platform_updated_at: 1 },
    });
    const r = await pushOps(s, [
      op(s, 'orders.close', 'dabao', 10, [order('o1', 'shop-a')]), // closing is for managers
      op(s, 'sync.ingest', 'sync', 11, [order('o2', 'shop-b')]), // not this user's shop
      op(s, 'sync.ingest', 'sync', 12, [order('o3', 'shop-a')]),
      // Only the hub writes its own tables (a station cannot make itself an owner).
      op(s, 'sync.ingest', 'sync', 13, [{ table: 'users', key: ['u1'], columns: { name: 'dabao', role: 'owner' } }]),
      // A line whose order the hub has never seen has no shop to be sent to.
      op(s, 'sync.ingest', 'sync', 14, [{ table: 'order_items', key: ['o-none', 1], columns: { order_id: 'o-none', title: 'x' } }]),
    ]);
    expect(r.body.results.map((x: { reason?: string; status: string }) => x.reason ?? x.status)).toEqual([
      'ROLE_FORBIDDEN',
      'SHOP_OUT_OF_SCOPE',
      'applied',
      'HUB_OWNED_TABLE',
      'PARENT_UNKNOWN',
    ]);
    // The owner's station writes shop-b; the scoped station never receives it.
    const o = await station(owner, 'boss', 'owner');
    const w = await pushOps(o, [op(o, 'sync.ingest', 'sync', 13, [order('o4', 'shop-b')])]);
    expect(w.body.results[0].status).toBe('applied');
    const mine = await pullFrom(s, 0);
    expect(mine.body.rows.filter((x: { table: string }) => x.table === 'orders').map((x: { key: string[] }) => x.key[0])).toEqual(['o3']);
    const all = await pullFrom(o, 0);
    expect(all.body.rows.filter((x: { table: string }) => x.table === 'orders').map((x: { key: string[] }) => x.key[0])).toEqual(['o3', 'o4']);
  });

  it('pull: bootstraps from 0 and then follows the cursor page by page', async () => {
    const { owner } = await newTeam('pulling');
    const s = await station(owner, 'boss', 'owner');
    const ops = Array.from({ length: 7 }, (_, i) => op(s, 'tags.create', 'boss', 100 + i, [{ table: 'tags', key: [`t${i}`], columns: { name: `n${i}` } }]));
    await pushOps(s, ops);
    const seen: string[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const p = await pullFrom(s, cursor, '&limit=3');
      pages += 1;
      for (const row of p.body.rows) if (row.table === 'tags') seen.push(row.key[0]);
      expect(p.body.cursor).toBeGreaterThanOrEqual(cursor);
      cursor = p.body.cursor;
      if (!p.body.more) break;
    }
    expect(seen).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6']);
    expect(pages).toBeGreaterThanOrEqual(3); // 7 tags + 1 user in pages of 3
    // Nothing new: the same cursor comes back with no rows.
    const idle = await pullFrom(s, cursor);
    expect(idle.body).toMatchObject({ cursor, more: false, rows: [] });
    // One change: only that row, at a higher sync id.
    await pushOps(s, [op(s, 'tags.create', 'boss', 200, [{ table: 'tags', key: ['t3'], columns: { name: 'renamed' } }])]);
    const next = await pullFrom(s, cursor);
    expect(next.body.rows).toHaveLength(1);
    expect(next.body.rows[0]).toMatchObject({ table: 'tags', key: ['t3'], image: { id: 't3', name: 'renamed' } });
    expect(next.body.rows[0].syncId).toBeGreaterThan(cursor);
    // A deletion travels as a null image.
    await pushOps(s, [op(s, 'tags.create', 'boss', 201, [{ table: 'tags', key: ['t3'], columns: {}, deleted: true }])]);
    const gone = await pullFrom(s, next.body.cursor);
    expect(gone.body.rows).toEqual([expect.objectContaining({ key: ['t3'], image: null })]);
  });

  it('merges lww per column by HLC and append by id, whatever order the stations push in', async () => {
    const { owner } = await newTeam('merging');
    const a = await station(owner, 'boss', 'owner');
    const b = await station(owner, 'yunying', 'operator');
    const shop = { table: 'shops', key: ['s1'], columns: { name: 'Shop', platform: 'sandbox', state: 'active' } };
    const order = { table: 'orders', key: ['o1'], columns: { shop_id: 's1', status: 'paid', platform_updated_at: 5, seller_memo: null, seller_flag: 0 } };
    await pushOps(a, [op(a, 'sync.ingest', 'sync', 1000, [shop, order])]);
    // b edits the memo later (HLC 3000) but pushes first; a edits memo (2000) and flag (2500) after.
    const bMemo = await pushOps(b, [op(b, 'orders.tag', 'yunying', 3000, [{ table: 'orders', key: ['o1'], columns: { seller_memo: 'from b' } }])]);
    expect(bMemo.body.results[0].status).toBe('applied');
    await pushOps(a, [op(a, 'orders.tag', 'boss', 2000, [{ table: 'orders', key: ['o1'], columns: { seller_memo: 'from a', seller_flag: 2 } }])]);
    const note = { table: 'order_notes', key: ['n1'], columns: { order_id: 'o1', author: 'boss', body: 'first', created_at: 1 } };
    await pushOps(a, [op(a, 'orders.tag', 'boss', 2600, [note])]);
    // The same note id again (another station's copy): a no-op, the first body stays.
    await pushOps(b, [op(b, 'orders.tag', 'yunying', 2700, [{ ...note, columns: { ...note.columns, body: 'second' } }])]);
    // An older platform version does not overwrite the newer one's facts; local columns still merge.
    await pushOps(b, [op(b, 'sync.ingest', 'sync', 4000, [{ table: 'orders', key: ['o1'], columns: { shop_id: 's1', status: 'cancelled', platform_updated_at: 4 } }])]);
    await pushOps(a, [op(a, 'sync.ingest', 'sync', 4100, [{ table: 'orders', key: ['o1'], columns: { shop_id: 's1', status: 'shipped', platform_updated_at: 6 } }])]);
    const view = await pullFrom(a, 0);
    const rows = new Map(view.body.rows.map((r: { table: string; key: string[]; image: unknown }) => [`${r.table}/${r.key.join(',')}`, r.image]));
    expect(rows.get('orders/o1')).toMatchObject({ id: 'o1', seller_memo: 'from b', seller_flag: 2, status: 'shipped', platform_updated_at: 6 });
    expect(rows.get('order_notes/n1')).toMatchObject({ body: 'first' });
    // Both stations see the same images.
    const viewB = await pullFrom(b, 0);
    const rowsB = new Map(viewB.body.rows.map((r: { table: string; key: string[]; image: unknown }) => [`${r.table}/${r.key.join(',')}`, r.image]));
    expect(rowsB.get('orders/o1')).toEqual(rows.get('orders/o1'));
  });

  it('keeps team A and team B apart whatever ids and tokens a station forges', async () => {
    const A = await newTeam('team-a');
    const B = await newTeam('team-b');
    const sa = await station(A.owner, 'boss', 'owner');
    const sb = await station(B.owner, 'boss', 'owner');
    await pushOps(sa, [op(sa, 'tags.create', 'boss', 10, [{ table: 'tags', key: ['secret'], columns: { name: 'A only' } }])]);
    // B writes the same key: it lands in B's rows, A's row is untouched.
    await pushOps(sb, [op(sb, 'tags.create', 'boss', 99, [{ table: 'tags', key: ['secret'], columns: { name: 'B overwrote?' } }])]);
    const aView = await pullFrom(sa, 0);
    expect(aView.body.rows.find((r: { table: string }) => r.table === 'tags').image.name).toBe('A only');
    const bView = await pullFrom(sb, 0);
    expect(bView.body.rows.filter((r: { table: string }) => r.table === 'tags').map((r: { image: { name: string } }) => r.image.name)).toEqual(['B overwrote?']);
    // B pushing as A's station id: refused; B's owner revoking A's station: not found; B's team page lists only B.
    const asA = await call(app, 'POST', '/v1/push', { token: sb.token, body: { stationId: sa.id, schemaVersion: HUB_SCHEMA_VERSION, ops: [] } });
    expect(asA.status).toBe(403);
    const revokeA = await call(app, 'POST', `/v1/stations/${sa.id}/revoke`, { token: B.owner });
    expect(revokeA.status).toBe(404);
    const bTeam = await call(app, 'GET', '/v1/team', { token: sb.token });
    expect(bTeam.body.stations.map((s: { id: string }) => s.id)).toEqual([sb.id]);
    // Forged tokens: unknown, another kind's prefix, or none at all.
    for (const token of ['sfs_forged', `sfu_${sa.token.slice(4)}`, 'garbage']) {
      const r = await call(app, 'GET', '/v1/pull?cursor=0', { token });
      expect(r.status).toBe(401);
    }
    expect((await call(app, 'GET', '/v1/pull?cursor=0')).status).toBe(401);
    // A's station still reads its own tag; nothing of B's crossed over.
    expect(JSON.stringify((await pullFrom(sa, 0)).body)).not.toContain('B overwrote?');
  });

  it('refuses a revoked station token at once', async () => {
    const { owner } = await newTeam('revoking');
    const s = await station(owner, 'dabao', 'packer');
    expect((await pullFrom(s, 0)).status).toBe(200);
    const r = await call(app, 'POST', `/v1/stations/${s.id}/revoke`, { token: owner });
    expect(r.status).toBe(200);
    expect(r.body.station.revokedAt).toBeGreaterThan(0);
    for (const res of [await pullFrom(s, 0), await pushOps(s, []), await call(app, 'GET', '/v1/team', { token: s.token })]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('TOKEN_REVOKED');
    }
    // Only an owner's session revokes.
    const other = await station(owner, 'kefu', 'service');
    expect((await call(app, 'POST', `/v1/stations/${s.id}/revoke`, { token: other.token })).status).toBe(403);
    expect((await call(app, 'POST', `/v1/stations/${other.id}/revoke`, { token: other.token })).status).toBe(403);
  });

  it("still accepts an old station's op name through its alias", async () => {
    const { owner } = await newTeam('aliases');
    const s = await station(owner, 'boss', 'owner');
    const r = await pushOps(s, [op(s, 'orders.memo.v0', 'boss', 10, [{ table: 'tags', key: ['old'], columns: { name: 'from an old station' } }])]);
    expect(r.body.results[0]).toMatchObject({ name: 'orders.memo.v0', status: 'applied' });
    expect((await pullFrom(s, 0)).body.rows.some((x: { key: string[] }) => x.key[0] === 'old')).toBe(true);
  });

  it('pokes the stations of the team whose rows changed, not the others', async () => {
    // app.close() in afterAll stops this listener too.
    const hub = await listenHub(app, { port: 0 });
    {
      const A = await newTeam('poke-a');
      const B = await newTeam('poke-b');
      const a1 = await station(A.owner, 'boss', 'owner');
      const a2 = await station(A.owner, 'yunying', 'operator');
      const b1 = await station(B.owner, 'boss', 'owner');
      const events = (s: Station) => {
        const got: unknown[] = [];
        const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/v1/events`, { headers: { authorization: `Bearer ${s.token}` } });
        ws.on('message', (m) => got.push(JSON.parse(String(m))));
        return { ws, got, open: new Promise((r) => ws.once('open', r)) };
      };
      const ea = events(a2);
      const eb = events(b1);
      await Promise.all([ea.open, eb.open]);
      await pushOps(a1, [op(a1, 'tags.create', 'boss', 10, [{ table: 'tags', key: ['t'], columns: { name: 'n' } }])]);
      await expect.poll(() => ea.got.some((e) => (e as { type: string }).type === 'poke'), { timeout: 5000 }).toBe(true);
      expect(eb.got.filter((e) => (e as { type: string }).type === 'poke')).toEqual([]);
      // A bad token never gets a socket.
      const refused = new WebSocket(`${hub.url.replace('http', 'ws')}/v1/events?token=sfs_nope`);
      const status = await new Promise<number>((r) => refused.on('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
      expect(status).toBe(401);
      // Revoking a connected station closes its socket at once, after telling it why.
      const closed = new Promise<number>((r) => ea.ws.once('close', (code) => r(code)));
      expect((await call(app, 'POST', `/v1/stations/${a2.id}/revoke`, { token: A.owner })).status).toBe(200);
      expect(await closed).toBe(4001);
      expect(ea.got.at(-1)).toEqual({ type: 'revoked' });
      eb.ws.close();
    }
  });
});
