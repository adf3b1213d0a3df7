// Setting 离线配额 from a station, against a real hub (server/, in-process on PGlite, over loopback
// HTTP): an owner's station sets a quota for another station by its name and a SKU's code, both
// stations pull the hub-owned row, a removal arrives as a deletion; a station that joined as a
// packer gets the hub's refusal until an operator types their own hub password; names this station
// does not know are refused before the hub is asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubQuotaView } from '../../shared/api/hub.ts';
import type { Result } from '../../shared/result.ts';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { dispatch, type Handlers } from '../api/dispatch.ts';
import { createHandlers } from '../api/handlers.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { createStationClock } from '../station/clock.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const PASSWORD = 'correct horse';
const cipher = createRawKeyCipher(Buffer.alloc(32, 7), 'local-key');
const deps: HubDeps = { cipher };

const inviteCode = async (user: string, role: string, password?: string): Promise<string> =>
  (await post(hub.url, '/v1/invites', { user, role, ...(password ? { password } : {}) }, ownerToken)).code;

/** The station's API with a secret store (the fixture's own handlers have none, so they cannot reach a hub). */
function apiOf(f: Fixture): Handlers {
  return createHandlers({ db: f.db, events: f.events, clock: createStationClock(f.db), now: Date.now, scheduler: { status: () => [], syncNow: () => [] }, secretCipher: cipher });
}

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '杭州店群', owner: '店主', password: PASSWORD });
  ownerToken = (await post(hub.url, '/v1/login', { team: '杭州店群', user: '店主', password: PASSWORD })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

describe('离线配额 set from a station', () => {
  let a: Fixture;
  let b: Fixture;
  let apiA: Handlers;
  let apiB: Handlers;
  let bStation: string;
  afterAll(() => {
    a?.close();
    b?.close();
  });

  beforeAll(async () => {
    a = openFixture(0);
    apiA = apiOf(a);
    ok(await dispatch(apiA, 'warehouses.add', { code: 'WH1', name: '一号仓' }, a.owner));
    // The team's first station joins with the owner's code and brings its SKUs and warehouse.
    await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '主管台' });
    await syncOnce(a.db, deps);
    b = openFixture(0);
    apiB = apiOf(b);
    bStation = (await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('xiaowang', 'packer'), name: '二号打包台' })).settings.stationId;
    await syncOnce(b.db, deps);
  }, 60_000);

  it("the owner's station sets a quota by station name and SKU code; both stations pull it, and a removal reaches both", async () => {
    const set = ok<{ set: number; removed: number }>(
      await dispatch(apiA, 'hub.setQuotas', { quotas: [{ station: '二号打包台', sku: 'NZ-2301-BK-M', quantity: 3 }, { station: '二号打包台', sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 1 }] }, a.owner),
    );
    expect(set).toEqual({ set: 2, removed: 0 });
    // The hub holds them under the ids it keys quotas by.
    const onHub = await fetch(`${hub.url}/v1/quotas`, { headers: { authorization: `Bearer ${ownerToken}` } }).then((r) => r.json());
    const whId = (a.db.$client.prepare("SELECT id FROM warehouses WHERE code = 'WH1'").get() as { id: string }).id;
    expect(onHub.quotas.map((q: { stationName: string; skuId: string; warehouseId: string; quantity: number }) => [q.stationName, q.skuId, q.warehouseId, q.quantity])).toEqual([
      ['二号打包台', 'sku-1', '', 3],
      ['二号打包台', 'sku-1', whId, 1],
    ]);

    // The setting station pulled them at once, with the names it knows.
    const listedA = ok<HubQuotaView[]>(await dispatch(apiA, 'hub.quotas', { sku: 'NZ-2301-BK-M' }, a.owner));
    expect(listedA.map((q) => [q.stationName, q.mine, q.sku, q.warehouse, q.quantity, q.setBy])).toEqual([
      ['二号打包台', false, 'NZ-2301-BK-M', null, 3, '店主'],
      ['二号打包台', false, 'NZ-2301-BK-M', 'WH1', 1, '店主'],
    ]);
    expect(ok<HubQuotaView[]>(await dispatch(apiA, 'hub.quotas', { sku: 'SOCK-01' }, a.owner))).toEqual([]);
    // The station the quota is for pulls it too (its packer may read them).
    await syncOnce(b.db, deps);
    const listedB = ok<HubQuotaView[]>(await dispatch(apiB, 'hub.quotas', {}, b.as('packer')));
    expect(listedB.map((q) => [q.stationId, q.mine, q.warehouse, q.quantity])).toEqual([
      [bStation, true, null, 3],
      [bStation, true, 'WH1', 1],
    ]);

    const removed = ok(await dispatch(apiA, 'hub.setQuotas', { quotas: [{ station: bStation, sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: null }] }, a.owner));
    expect(removed).toEqual({ set: 0, removed: 1 });
    await syncOnce(b.db, deps);
    for (const [api, f] of [[apiA, a], [apiB, b]] as const) {
      expect(ok<HubQuotaView[]>(await dispatch(api, 'hub.quotas', {}, f.owner)).map((q) => [q.warehouseId, q.quantity])).toEqual([['', 3]]);
    }
  });

  it('a station that joined as a packer is refused by the hub; an operator signs in with their own hub password', async () => {
    await inviteCode('lead', 'operator', 'lead password');
    const operator = b.as('operator', 'lead');
    const input = { quotas: [{ station: '主管台', sku: 'SOCK-01', quantity: 5 }] };
    const refused = await dispatch(apiB, 'hub.setQuotas', input, operator);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('FORBIDDEN');
    const wrong = await dispatch(apiB, 'hub.setQuotas', { ...input, password: 'not it' }, operator);
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('UNAUTHENTICATED');
    // A packer's own password does not make them a setter.
    await inviteCode('xiaowang', 'packer', 'packer password');
    const packerLogin = await dispatch(apiB, 'hub.setQuotas', { ...input, user: 'xiaowang', password: 'packer password' }, operator);
    expect(packerLogin.ok ? 'ok' : packerLogin.error.code).toBe('FORBIDDEN');

    expect(ok(await dispatch(apiB, 'hub.setQuotas', { ...input, password: 'lead password' }, operator))).toEqual({ set: 1, removed: 0 });
    const listed = ok<HubQuotaView[]>(await dispatch(apiB, 'hub.quotas', { sku: 'SOCK-01' }, operator));
    expect(listed.map((q) => [q.stationName, q.mine, q.quantity, q.setBy])).toEqual([['主管台', false, 5, 'lead']]);
  });

  it('a station, SKU or warehouse this station does not know is refused before the hub is asked', async () => {
    const before = (await fetch(`${hub.url}/v1/quotas`, { headers: { authorization: `Bearer ${ownerToken}` } }).then((r) => r.json())).quotas.length;
    for (const [q, words] of [
      [{ station: '三号台', sku: 'NZ-2301-BK-M', quantity: 1 }, /no station "三号台".*主管台/],
      [{ station: '主管台', sku: 'NOPE-1', quantity: 1 }, /no SKU with the code "NOPE-1"/],
      [{ station: '主管台', sku: 'NZ-2301-BK-M', warehouse: 'WH9', quantity: 1 }, /no warehouse with the code "WH9"/],
    ] as const) {
      const r = await dispatch(apiA, 'hub.setQuotas', { quotas: [q] }, a.owner);
      expect(r.ok ? 'ok' : r.error.code).toBe('NOT_FOUND');
      expect(r.ok ? '' : r.error.message).toMatch(words);
    }
    const after = (await fetch(`${hub.url}/v1/quotas`, { headers: { authorization: `Bearer ${ownerToken}` } }).then((r) => r.json())).quotas.length;
    expect(after).toBe(before);
  });
});
