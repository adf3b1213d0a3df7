// The first station of a new team brings its rows as owner-only `hub.join` ops. Joining it with a
// code that is not the owner's is refused up front, before the code is spent and with nothing
// written, instead of the hub refusing every brought row afterwards (docs/team-hub.md#join-bootstrap-leave).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { readHubSettings } from './settings.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const deps: HubDeps = { cipher: createRawKeyCipher(Buffer.alloc(32, 9), 'local-key') };
const fixtures: Fixture[] = [];
const fixture = (orders: number) => {
  const f = openFixture(orders);
  fixtures.push(f);
  return f;
};

const inviteCode = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;
const orderCount = (f: Fixture) => f.db.$client.prepare('SELECT count(*) FROM orders').pluck().get();
const opStates = (f: Fixture) => f.db.$client.prepare('SELECT id, hub_state FROM ops ORDER BY seq').all();

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '新店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '新店群', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  for (const f of fixtures) f.close();
  await hub?.close();
  await engine?.close();
});

describe('the first station of a new team', () => {
  it("joining with a packer's code is refused before anything is spent; the owner's code brings every row", async () => {
    const first = fixture(3);
    const packerCode = await inviteCode('小李', 'packer');
    const opsBefore = opStates(first);
    const refused = await joinHub(first.db, deps, { url: hub.url, code: packerCode, name: '一号打包台' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(refused?.message).toMatch(/FORBIDDEN.*first station must join with the owner's code.*not spent/);
    // Nothing changed at the station: not joined, its orders and its op log as they were.
    expect(readHubSettings(first.db)).toBeNull();
    expect(orderCount(first)).toBe(3);
    expect(opStates(first)).toEqual(opsBefore);

    // The owner's code: every row is brought and the hub applies it (none refused ROLE_FORBIDDEN).
    const joined = await joinHub(first.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '一号打包台' });
    expect(joined.broughtRows).toBeGreaterThan(3 * 3);
    expect(await syncOnce(first.db, deps)).toMatchObject({ refused: 0 });

    // The packer's code was not spent: now that the team has rows, a second station joins with it
    // (it holds a shop and SKUs too, but pulls the team's instead of bringing them) and receives the orders.
    const second = fixture(0);
    const joinedSecond = await joinHub(second.db, deps, { url: hub.url, code: packerCode, name: '二号打包台' });
    expect(joinedSecond.broughtRows).toBe(0);
    expect(joinedSecond.settings.user.role).toBe('packer');
    await syncOnce(second.db, deps);
    const ids = (f: Fixture) => f.db.$client.prepare('SELECT id FROM orders ORDER BY id').pluck().all();
    expect(ids(second)).toEqual(ids(first));
  }, 60_000);

  it("a station holding nothing may be a team's first with any code: it has nothing to lose", async () => {
    await createTeam(engine, { team: '空店群', owner: '老板', password: 'correct horse' });
    const owner = (await post(hub.url, '/v1/login', { team: '空店群', user: '老板', password: 'correct horse' })).token;
    const code = (await post(hub.url, '/v1/invites', { user: '客服', role: 'service' }, owner)).code;
    const empty = fixture(0);
    // The fixture's demo shop and its catalogue are all it holds.
    for (const t of ['skus', 'products', 'shops']) empty.db.$client.prepare(`DELETE FROM ${t}`).run();
    const joined = await joinHub(empty.db, deps, { url: hub.url, code, name: '客服台' });
    expect(joined).toMatchObject({ broughtRows: 0, bootstrapOps: 0 });
  }, 60_000);
});
