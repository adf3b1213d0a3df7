// The station's clock observes the hub's timestamps: a pulled row carries the greatest hybrid
// timestamp of its columns, and the next op of the station that pulled it sorts after it, so an
// edit made after seeing another station's newer edit wins even when this station's wall clock
// is behind (docs/team-hub.md#known-limits-of-the-station-side). Two stations, one real hub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { HybridClock } from '../api/hlc.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const deps: HubDeps = { cipher: createRawKeyCipher(Buffer.alloc(32, 9), 'local-key') };

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '时钟店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '时钟店群', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

const join = async (f: Fixture, name: string) => {
  const code = (await post(hub.url, '/v1/invites', { user: '店主', role: 'owner' }, ownerToken)).code as string;
  await joinHub(f.db, deps, { url: hub.url, code, name });
};
const memoOf = (f: Fixture, id: string) => f.db.$client.prepare('SELECT seller_memo FROM orders WHERE id = ?').pluck().get(id);
const lastHlc = (f: Fixture) => f.db.$client.prepare(`SELECT hlc FROM ops WHERE name = 'orders.setFlag' ORDER BY seq DESC LIMIT 1`).pluck().get() as string;

describe('pulled timestamps move the station clock', () => {
  let ahead: Fixture;
  let behind: Fixture;

  afterAll(() => {
    ahead?.close();
    behind?.close();
  });

  it('an edit made after pulling a newer edit wins, though this station’s wall clock is an hour behind', async () => {
    ahead = openFixture(2);
    await join(ahead, '快的打包台');
    await syncOnce(ahead.db, deps);
    behind = openFixture(0);
    await join(behind, '慢的打包台');
    await syncOnce(behind.db, deps);
    const id = ahead.idOf(1);
    expect(memoOf(behind, id)).toBeNull();

    // Both fixtures' wall clocks start at the same fake instant; this one's runs an hour ahead.
    ahead.ctx().clock.observe(HybridClock.encode(Date.now() + 3_600_000, 0, 'wall'));
    expect(await ahead.call('orders.setFlag', { ids: [id], memo: '快钟写的' })).toMatchObject({ ok: true });
    await syncOnce(ahead.db, deps);
    await syncOnce(behind.db, deps);
    expect(memoOf(behind, id)).toBe('快钟写的');

    // Seen, then overwritten: the later edit in real order must win on the hub and on both stations.
    expect(await behind.call('orders.setFlag', { ids: [id], memo: '看到之后改的' })).toMatchObject({ ok: true });
    expect(lastHlc(behind) > lastHlc(ahead)).toBe(true);
    await syncOnce(behind.db, deps);
    await syncOnce(ahead.db, deps);
    expect(memoOf(behind, id)).toBe('看到之后改的');
    expect(memoOf(ahead, id)).toBe('看到之后改的');
  }, 60_000);
});
