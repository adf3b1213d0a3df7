// What a station sees of its team, against a real hub (server/, in-process on PGlite, over loopback
// HTTP): the hub's claims and alerts arrive by pull into the station's own tables (a pick wave a lead
// handed to a station lets it print offline; the other station's order rows name the holder), the
// team page's read answers online and, once the hub is gone, with its last answer; the owner
// revokes a station with their password and invites a person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_SCHEMA_VERSION } from '../../shared/hub/protocol.ts';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { listHubAlerts } from './alerts.ts';
import { claimOrders } from './claims.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { loadHubToken } from './settings.ts';
import { hubStatus } from './status.ts';
import { inviteAsOwner, readTeam, revokeAsOwner } from './team.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const PASSWORD = 'correct horse';
const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
const deps: HubDeps = { cipher };
const offlineFetch = (async () => Promise.reject(new Error('connect ECONNREFUSED'))) as typeof fetch;

const inviteCode = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '苏州店群', owner: '店主', password: PASSWORD });
  ownerToken = (await post(hub.url, '/v1/login', { team: '苏州店群', user: '店主', password: PASSWORD })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

describe('a station sees its team', () => {
  let a: Fixture;
  let b: Fixture;
  let ids: string[];
  let bStation: string;
  afterAll(() => {
    a?.close();
    b?.close();
  });

  it("a lead's pick wave for another station reaches it by pull: it prints those offline, and the lead's rows name the holder", async () => {
    a = openFixture(3);
    ids = (a.db.$client.prepare('SELECT id FROM orders ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    // The lead is a person of the team; the team's first station joins with the owner's code (it brings the orders).
    await inviteCode('lead', 'operator');
    await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '主管台' });
    await syncOnce(a.db, deps);
    b = openFixture(0);
    bStation = (await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('xiaowang', 'packer'), name: '二号打包台' })).settings.stationId;
    await syncOnce(b.db, deps);
    expect(hubStatus(b.db).claimsHeld).toBe(0);

    const wave = ids.slice(0, 2);
    const handed = await post(hub.url, '/v1/claims/take', { orderIds: wave, forStationId: bStation }, loadHubToken(a.db, cipher));
    expect(handed.results.map((r: { status: string }) => r.status)).toEqual(['held', 'held']);
    await syncOnce(b.db, deps);
    const rows = b.db.$client.prepare('SELECT order_id, station_id, station_name, user_name FROM claims ORDER BY order_id').all();
    expect(rows).toEqual(wave.map((id) => ({ order_id: id, station_id: bStation, station_name: '二号打包台', user_name: 'xiaowang' })));
    expect(hubStatus(b.db).claimsHeld).toBe(2);

    // Offline, B never asked the hub for these: the pulled claims are what lets it print them.
    const gate = await claimOrders(b.db, { cipher, fetch: offlineFetch }, ids);
    expect(gate!.online).toBe(false);
    expect([...gate!.allowed].sort()).toEqual(wave);
    expect(gate!.refused.map((r) => r.orderId)).toEqual([ids[2]]);

    // The lead's station learns the holder by pull as well: its order rows say who works them.
    await syncOnce(a.db, deps);
    const first = await a.call('orders.get', { id: wave[0] });
    expect(first.ok && (first.value as { claimedBy: unknown }).claimedBy).toMatchObject({ stationName: '二号打包台', userName: 'xiaowang' });
    const third = await a.call('orders.get', { id: ids[2] });
    expect(third.ok && (third.value as { claimedBy: unknown }).claimedBy).toBeNull();
  });

  it('hub alerts arrive by pull into the station table', async () => {
    const raw = await post(hub.url, '/v1/join', { code: await inviteCode('boss2', 'owner'), name: '测试台' });
    const mv = (id: string, delta: number) => ({
      table: 'stock_movements',
      key: [id],
      columns: { id, sku_id: 'sku-1', warehouse_id: 'wh-x', delta, reason: 'ship', actor: 'boss2', at: 1 },
    });
    const pushed = await post(
      hub.url,
      '/v1/push',
      { stationId: raw.stationId, schemaVersion: HUB_SCHEMA_VERSION, ops: [{ seq: 1, id: 'raw-1', name: 'stock.adjust', hlc: '000000000000001-0000-raw', actor: 'boss2', args: {}, effects: [mv('mv-raw-1', -2)] }] },
      raw.token,
    );
    expect(pushed.results[0].status).toBe('applied');
    expect(listHubAlerts(b.db)).toEqual([]);
    await syncOnce(b.db, deps);
    const alerts = listHubAlerts(b.db, { open: true });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'OVERSOLD', subject: 'sku-1|wh-x', resolvedAt: null, sku: 'NZ-2301-BK-M', warehouse: null });
    expect(alerts[0]!.details).toMatchObject({ onHand: -2 });
  });

  it('the team page reads the team online, and its last answer offline', async () => {
    const online = await readTeam(b.db, { cipher });
    expect(online).toMatchObject({ online: true, error: null, thisStationId: bStation, team: { name: '苏州店群' } });
    expect(online!.users.map((u) => u.name).sort()).toEqual(['boss2', 'lead', 'xiaowang', '店主'].sort());
    expect(online!.stations.map((s) => s.name).sort()).toEqual(['主管台', '二号打包台', '测试台'].sort());
    const offline = await readTeam(b.db, { cipher, fetch: offlineFetch });
    expect(offline).toMatchObject({ online: false, fetchedAt: online!.fetchedAt, error: { code: null } });
    expect(offline!.stations).toEqual(online!.stations);
    const solo = openFixture(0);
    expect(await readTeam(solo.db, { cipher })).toBeNull();
    solo.close();
  });

  it("the owner revokes a station with their password: a wrong one is refused, then the station's next round is", async () => {
    await expect(revokeAsOwner(a.db, { cipher }, { stationId: bStation, owner: '店主', password: 'wrong password' })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await expect(revokeAsOwner(a.db, { cipher }, { stationId: bStation, owner: 'lead', password: 'whatever1' })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    const revoked = await revokeAsOwner(a.db, { cipher }, { stationId: bStation, owner: '店主', password: PASSWORD });
    expect(revoked).toMatchObject({ id: bStation, name: '二号打包台' });
    expect(revoked.revokedAt).not.toBeNull();
    await expect(syncOnce(b.db, deps)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
    expect(hubStatus(b.db)).toMatchObject({ connected: false, lastError: { code: 'TOKEN_REVOKED' } });
    // The revoked station still shows its team as it last heard, saying why it is not current.
    const seen = await readTeam(b.db, { cipher });
    expect(seen).toMatchObject({ online: false, error: { code: 'TOKEN_REVOKED' } });
    expect(seen!.stations.find((s) => s.id === bStation)!.revokedAt).toBeNull();
  });

  it('the owner invites a person from a station: the code joins a new station', async () => {
    const made = await inviteAsOwner(a.db, { cipher }, { owner: '店主', password: PASSWORD, user: 'xiaozhao', role: 'service', shops: null });
    expect(made.user).toMatchObject({ name: 'xiaozhao', role: 'service' });
    const c = openFixture(0);
    try {
      const joined = await joinHub(c.db, deps, { url: hub.url, code: made.code, name: '客服台' });
      expect(joined.settings.user.name).toBe('xiaozhao');
      expect((await readTeam(a.db, { cipher }))!.stations.map((s) => s.name)).toContain('客服台');
    } finally {
      c.close();
    }
  });
});
