// A station's claims against a real hub (server/, in-process on PGlite, over loopback HTTP): two
// stations asking for the same orders get one holder each; offline, only the claims a station
// already holds (and that have not expired) let it print, the rest named with their holder; a
// station without a hub is not asked anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { claimOrders, claimRefusalWords, knownHolders, releaseOrders } from './claims.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const cipher = createRawKeyCipher(Buffer.alloc(32, 7), 'local-key');
const deps: HubDeps = { cipher };
const offline = { cipher, fetch: (async () => Promise.reject(new Error('connect ECONNREFUSED'))) as typeof fetch };

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

describe('claims from two stations', () => {
  let a: Fixture;
  let b: Fixture;
  let ids: string[];
  afterAll(() => {
    a?.close();
    b?.close();
  });

  it('a station without a hub is not asked: every order goes on', async () => {
    a = openFixture(3);
    ids = (a.db.$client.prepare('SELECT id FROM orders ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    expect(await claimOrders(a.db, { cipher }, ids)).toBeNull();
  });

  it('online: the first station holds the orders, the second is refused with the holder named', async () => {
    await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '一号打包台' });
    await syncOnce(a.db, deps);
    b = openFixture(0);
    await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('xiaowang', 'packer'), name: '二号打包台' });
    await syncOnce(b.db, deps);
    const ga = await claimOrders(a.db, { cipher }, ids.slice(0, 2));
    expect(ga).toMatchObject({ online: true, refused: [] });
    expect([...ga!.allowed].sort()).toEqual(ids.slice(0, 2));
    const gb = await claimOrders(b.db, { cipher }, ids);
    expect([...gb!.allowed]).toEqual([ids[2]]);
    expect(gb!.refused.map((r) => r.orderId).sort()).toEqual(ids.slice(0, 2));
    const r = gb!.refused[0]!;
    expect(r).toMatchObject({ code: 'claim_held', holder: { stationName: '一号打包台', userName: '店主' } });
    expect(claimRefusalWords(r)).toContain('一号打包台（店主）');
    // The print dialog's column: who holds what, as this station last heard.
    const seenByB = knownHolders(b.db, ids);
    expect(seenByB.get(ids[0]!)).toMatchObject({ mine: false, holder: { stationName: '一号打包台' } });
    expect(seenByB.get(ids[2]!)).toMatchObject({ mine: true });
    const viaApi = await b.call('hub.claims', { ids });
    expect(viaApi.ok && (viaApi.value as { orderId: string; mine: boolean; stationName: string | null }[]).map((c) => [c.orderId, c.mine, c.stationName]).sort()).toEqual(
      [[ids[0], false, '一号打包台'], [ids[1], false, '一号打包台'], [ids[2], true, null]].sort(),
    );
  });

  it('offline: only orders whose claim this station holds may go on; others name the last holder', async () => {
    const ga = await claimOrders(a.db, offline, ids);
    expect(ga!.online).toBe(false);
    expect([...ga!.allowed].sort()).toEqual(ids.slice(0, 2));
    expect(ga!.refused).toEqual([{ orderId: ids[2], code: 'claim_offline', holder: null }]);
    expect(claimRefusalWords(ga!.refused[0]!)).toContain('离线时只能打印本工作站已认领');
    const gb = await claimOrders(b.db, offline, [ids[0]!]);
    expect(gb!.refused[0]).toMatchObject({ code: 'claim_offline', holder: { stationName: '一号打包台', userName: '店主' } });
    // A claim this station held but that has expired no longer lets it print offline.
    const later = await claimOrders(a.db, { ...offline, now: () => Date.now() + 31 * 60 * 1000 }, [ids[0]!]);
    expect(later!.allowed.size).toBe(0);
  });

  it('expiry and release hand an order to the other station', async () => {
    const short = await claimOrders(b.db, { cipher, ttlMs: 1000 }, [ids[2]!]);
    expect(short!.allowed.has(ids[2]!)).toBe(true);
    expect((await claimOrders(a.db, { cipher }, [ids[2]!]))!.refused[0]?.code).toBe('claim_held');
    await new Promise((res) => setTimeout(res, 1100));
    expect((await claimOrders(a.db, { cipher }, [ids[2]!]))!.allowed.has(ids[2]!)).toBe(true);
    expect(await releaseOrders(a.db, { cipher }, [ids[0]!])).toEqual([ids[0]]);
    expect((await claimOrders(b.db, { cipher }, [ids[0]!]))!.allowed.has(ids[0]!)).toBe(true);
  });
});
