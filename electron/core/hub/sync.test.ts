// Two stations and one real hub (server/, in-process on PGlite, over loopback HTTP): join, the first
// station bringing what it holds, bootstrap of the second, offline edits converging, the stock
// ledger as a union, a refusal with its reason, and a push whose answer was lost resent exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { HybridClock } from '../api/hlc.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { readHubSettings } from './settings.ts';
import { hubStatus } from './status.ts';
import { httpTransport, type HubTransport } from './transport.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const cipher = createRawKeyCipher(Buffer.alloc(32, 7), 'local-key');
const deps: HubDeps = { cipher };

const inviteCode = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '杭州店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '杭州店群', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

/**
 * The fixtures' clocks both start at the same fake instant. A station observes the timestamps of
 * the rows it pulls (electron/core/hub/clock.test.ts), but one that writes before pulling another's
 * write is moved past it here the way its wall clock would be.
 */
function laterThanEverything(f: Fixture): void {
  f.ctx().clock.observe(HybridClock.encode(Date.now() + ++skew, 0, 'wall'));
}
let skew = 0;

const memoOf = (f: Fixture, id: string) => f.db.$client.prepare('SELECT seller_memo FROM orders WHERE id = ?').pluck().get(id);
const onHand = (f: Fixture) => f.db.$client.prepare(`SELECT coalesce(sum(delta), 0) FROM stock_movements WHERE sku_id = 'sku-1'`).pluck().get();

describe('two stations through one hub', () => {
  let a: Fixture;
  let b: Fixture;

  afterAll(() => {
    a?.close();
    b?.close();
  });

  it('the first station brings what it holds; the second is bootstrapped from the hub with the same ids', async () => {
    a = openFixture(3);
    const joinedA = await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '一号打包台' });
    expect(joinedA.broughtRows).toBeGreaterThan(3 * 3);
    expect(joinedA.bootstrapOps).toBe(1);
    const first = await syncOnce(a.db, deps);
    expect(first).toMatchObject({ pushed: 1, refused: 0 });
    expect(hubStatus(a.db)).toMatchObject({ joined: true, connected: true, opsWaiting: 0, opsRefused: 0 });

    b = openFixture(0);
    const joinedB = await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '二号打包台' });
    expect(joinedB.broughtRows).toBe(0);
    const boot = await syncOnce(b.db, deps);
    expect(boot.pulled).toBeGreaterThanOrEqual(joinedA.broughtRows);
    const ids = (f: Fixture) => f.db.$client.prepare('SELECT id FROM orders ORDER BY id').pluck().all();
    expect(ids(b)).toEqual(ids(a));
    const items = (f: Fixture) => f.db.$client.prepare('SELECT order_id, line_no, title, quantity FROM order_items ORDER BY order_id, line_no').all();
    expect(items(b)).toEqual(items(a));
    // Pulled orders are searchable and counted like ingested ones.
    const hits = await b.call('orders.list', { filter: { q: 'P00000002' } });
    expect(hits).toMatchObject({ ok: true, value: { rows: [{ platformOrderId: 'P00000002' }] } });
    const counted = b.db.$client.prepare('SELECT sum(n) FROM order_counts').pluck().get();
    expect(counted).toBe(3);
    // The token is kept encrypted, never as text.
    const stored = b.db.$client.prepare(`SELECT value FROM meta WHERE key = 'hub.token'`).pluck().get() as string;
    expect(stored).not.toContain(readHubSettings(b.db)!.stationId);
    expect(JSON.parse(stored).kind).toBe('local-key');
  }, 60_000);

  it('a memo edited on both while offline ends as the later writer’s on both', async () => {
    const id = a.idOf(1);
    expect(await a.call('orders.setFlag', { ids: [id], memo: 'A 写的备注' })).toMatchObject({ ok: true });
    expect(await b.call('orders.setFlag', { ids: [id], memo: 'B 写的备注' })).toMatchObject({ ok: true });
    const hlcOf = (f: Fixture) => f.db.$client.prepare(`SELECT hlc FROM ops WHERE name = 'orders.setFlag' ORDER BY seq DESC LIMIT 1`).pluck().get() as string;
    const winner = hlcOf(a) > hlcOf(b) ? 'A 写的备注' : 'B 写的备注';
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    await syncOnce(a.db, deps);
    expect(memoOf(a, id)).toBe(winner);
    expect(memoOf(b, id)).toBe(winner);
    expect(hubStatus(a.db).opsWaiting).toBe(0);
    expect(hubStatus(b.db).opsWaiting).toBe(0);
  }, 60_000);

  it('stock movements made on both stations are a union: on hand is the sum everywhere', async () => {
    expect(await a.call('warehouses.add', { code: 'WH1', name: '主仓' })).toMatchObject({ ok: true });
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    expect(await a.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 5 })).toMatchObject({ ok: true });
    expect(await b.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 3 })).toMatchObject({ ok: true });
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    await syncOnce(a.db, deps);
    expect(onHand(a)).toBe(8);
    expect(onHand(b)).toBe(8);
  }, 60_000);

  it('an op the hub refuses is marked with its reason and does not block the ops after it', async () => {
    // 小李 is an owner on this station but a packer on the hub: closing an order is not a packer's.
    await inviteCode('小李', 'packer');
    laterThanEverything(b);
    const id = b.idOf(2);
    expect(await b.call('orders.close', { ids: [id], reason: '重复订单' }, b.as('owner', '小李'))).toMatchObject({ ok: true });
    expect(await b.call('orders.setFlag', { ids: [b.idOf(3)], memo: '之后的备注' })).toMatchObject({ ok: true });
    const r = await syncOnce(b.db, deps);
    expect(r.refused).toBe(1);
    const status = hubStatus(b.db);
    expect(status.opsRefused).toBe(1);
    expect(status.refused[0]).toMatchObject({ name: 'orders.close', actor: '小李', reason: 'ROLE_FORBIDDEN' });
    expect(status.opsWaiting).toBe(0);
    await syncOnce(a.db, deps);
    expect(memoOf(a, a.idOf(3))).toBe('之后的备注');
  }, 60_000);

  it('a push whose answer never arrived (the station died) is resent, and the hub applies each op exactly once', async () => {
    for (let n = 1; n <= 3; n++) expect(await a.call('orders.setFlag', { ids: [a.idOf(n)], flag: n })).toMatchObject({ ok: true });
    const s = readHubSettings(a.db)!;
    const token = (await import('./settings.ts')).loadHubToken(a.db, cipher);
    const real = httpTransport(s.url, token);
    // The hub commits the push, then the station is killed before it records the answer.
    const dying: HubTransport = {
      ...real,
      push: async (body) => {
        await real.push(body);
        throw new Error('killed');
      },
    };
    await expect(syncOnce(a.db, { cipher, transport: () => dying })).rejects.toThrow('killed');
    expect(hubStatus(a.db).opsWaiting).toBe(3);
    // Restarted: three more ops, then a round.
    for (let n = 1; n <= 3; n++) expect(await a.call('orders.setFlag', { ids: [a.idOf(n)], flag: n + 1 })).toMatchObject({ ok: true });
    await syncOnce(a.db, deps);
    expect(hubStatus(a.db)).toMatchObject({ opsWaiting: 0, opsRefused: 0 });
    const wire = a.db.$client.prepare(`SELECT count(*) FROM ops WHERE seq > ?`).pluck().get(s.seqBase) as number;
    const applied = await engine.query<{ n: number; d: number; max: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS d, max(seq)::int AS max FROM op_results WHERE station_id = $1',
      [s.stationId],
    );
    expect(applied.rows[0]).toEqual({ n: wire, d: wire, max: wire });
    await syncOnce(b.db, deps);
    const flag = (f: Fixture) => f.db.$client.prepare('SELECT seller_flag FROM orders WHERE id = ?').pluck().get(a.idOf(2));
    expect(flag(b)).toBe(3);
    expect(flag(a)).toBe(3);
  }, 60_000);

  it('an order ingested on one station reaches the other through the ingest op', async () => {
    const [id] = a.addOrders([platformOrder(9)]);
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    expect(b.db.$client.prepare('SELECT platform_order_id FROM orders WHERE id = ?').pluck().get(id)).toBe('P00000009');
    expect(b.db.$client.prepare('SELECT count(*) FROM order_items WHERE order_id = ?').pluck().get(id)).toBe(2);
  }, 60_000);

  it('pulled rows do not overwrite a local write the hub has not acknowledged yet', async () => {
    const id = a.idOf(1);
    expect(await b.call('orders.setFlag', { ids: [id], memo: 'B 的新备注' })).toMatchObject({ ok: true });
    await syncOnce(b.db, deps);
    // A writes offline, then pulls without pushing: its own pending memo stays.
    laterThanEverything(a);
    expect(await a.call('orders.setFlag', { ids: [id], memo: 'A 离线写的' })).toMatchObject({ ok: true });
    const { pullOnce } = await import('./client.ts');
    const out = await pullOnce(a.db, deps);
    expect(out.kept).toBeGreaterThan(0);
    expect(memoOf(a, id)).toBe('A 离线写的');
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    expect(memoOf(b, id)).toBe('A 离线写的');
  }, 60_000);
});
