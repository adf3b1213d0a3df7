// A person whose shop scope grows on the hub: the station they joined pulls the gained shop's rows
// written before the change, although none of those rows changes again (the hub sends a group's
// rows only as they change, so the station's cursor alone would never bring them), and whoever is
// signed in as that person acts with the new scope at once. A real hub (PGlite) over loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { dispatchAsStation } from '../session.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { joinHub, syncOnce, type HubDeps } from './client.ts';
import { readHubSettings } from './settings.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const cipher = createRawKeyCipher(Buffer.alloc(32, 5), 'local-key');
const deps: HubDeps = { cipher };

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '温州店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '温州店群', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

describe('a shop scope that grows', () => {
  let a: Fixture;
  let b: Fixture;
  afterAll(() => {
    a?.close();
    b?.close();
  });

  it("the person's station receives the gained shop's older orders, and they act on them", async () => {
    // The owner's station holds two shops' orders and brings them to the team.
    a = openFixture(2);
    a.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '温州童装店', 'taobao', 'active', 0)").run();
    ingestOrders(a.db, { shopId: 'shop-2', platform: 'taobao', orders: [{ order: platformOrder(70), raw: {} }, { order: platformOrder(71), raw: {} }] }, Date.now());
    const ownerCode = (await post(hub.url, '/v1/invites', { user: '店主', role: 'owner' }, ownerToken)).code;
    await joinHub(a.db, deps, { url: hub.url, code: ownerCode, name: '总台' });
    expect(await syncOnce(a.db, deps)).toMatchObject({ refused: 0 });

    // 小王 works on shop-1 only: their station receives shop-1's orders and none of shop-2's.
    const code = (await post(hub.url, '/v1/invites', { user: '小王', role: 'service', shops: ['shop-1'], password: 'wang password' }, ownerToken)).code;
    b = openFixture(0);
    b.db.$client.prepare("DELETE FROM shops WHERE id = 'shop-1'").run();
    await joinHub(b.db, deps, { url: hub.url, code, name: '客服台' });
    await syncOnce(b.db, deps);
    const shopsOf = (f: Fixture) => f.db.$client.prepare('SELECT shop_id, count(*) AS n FROM orders GROUP BY shop_id ORDER BY shop_id').all();
    expect(shopsOf(b)).toEqual([{ shop_id: 'shop-1', n: 2 }]);
    const before = await syncOnce(b.db, deps);
    expect(before.pulled).toBe(0);

    // The owner gives 小王 shop-2 as well. Nothing of shop-2 changes afterwards.
    const hubRowsOfShop2 = async () => (await engine.query<{ n: number }>(`SELECT max(sync_id) AS n FROM rows WHERE grp = 'shop:shop-2'`)).rows[0]!.n;
    const shop2Before = await hubRowsOfShop2();
    await post(hub.url, '/v1/invites', { user: '小王', role: 'service', shops: ['shop-1', 'shop-2'] }, ownerToken);
    await syncOnce(b.db, deps);
    expect(await hubRowsOfShop2()).toBe(shop2Before);
    expect(shopsOf(b)).toEqual([
      { shop_id: 'shop-1', n: 2 },
      { shop_id: 'shop-2', n: 2 },
    ]);
    const items = (f: Fixture) => f.db.$client.prepare("SELECT o.platform_order_id, i.line_no, i.title FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.shop_id = 'shop-2' ORDER BY 1, 2").all();
    expect(items(b)).toEqual(items(a));
    expect(b.db.$client.prepare("SELECT name FROM shops WHERE id = 'shop-2'").pluck().get()).toBe('温州童装店');
    expect(readHubSettings(b.db)!.user.shops).toEqual(['shop-1', 'shop-2']);

    // 小王, signed in since the join, acts on shop-2 without signing in again; the pulled orders
    // are searchable like ingested ones.
    const call = (name: string, input: unknown) => dispatchAsStation(b.handlers, b.db, name, input, undefined, b.owner);
    const found = await call('orders.list', { filter: { q: platformOrder(70).platformOrderId } });
    expect(found).toMatchObject({ ok: true, value: { rows: [{ platformOrderId: platformOrder(70).platformOrderId }] } });
    const other = b.db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'shop-2' LIMIT 1").pluck().get() as string;
    expect(await call('orders.addNote', { id: other, body: '客户要礼盒' })).toMatchObject({ ok: true });
    expect(await syncOnce(b.db, deps)).toMatchObject({ refused: 0 });

    // A second round pulls nothing again: the re-pull happened once.
    expect((await syncOnce(b.db, deps)).pulled).toBe(0);
  }, 90_000);
});
