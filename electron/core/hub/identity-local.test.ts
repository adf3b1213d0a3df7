// Signing in at a station joined to a real hub (server/, in-process on PGlite, over loopback HTTP):
// the join signs the code's person in and commands reach the hub as that hub user (not the station's
// own owner, whom the hub does not know); password and PIN checked by the hub online and against
// the station's own argon2 verifier offline; the lockout after 5 wrong tries; the shop scope
// enforced by the core; leaving gives the station back to its owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenPackerTeam, post, runCli, type PackerTeam } from '../../../server/hub/testkit.ts';
import type { Engine } from '../../../server/db/engine.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { createHandlers } from '../api/handlers.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { createStationClock } from '../station/clock.ts';
import { dispatchAsStation } from '../session.ts';
import { syncOnce } from './client.ts';
import { IDENTITY_KEYS, listPeople, LOCKOUT_MS, MAX_TRIES, signIn } from './identity-local.ts';
import { hubStatus } from './status.ts';

let hub: PackerTeam;
let engine: Engine;
let ownerToken: string;
const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');

// The hub's owner is "boss"; the station's own owner is the fixture's 店主, a name the hub does not know.
beforeAll(async () => {
  hub = await listenPackerTeam();
  ({ engine, ownerToken } = hub);
}, 60_000);

afterAll(() => hub?.close());

describe('signing in at a joined station', () => {
  let f: Fixture;
  let now = Date.now();
  const clockNow = () => now;
  let call: (name: string, input: unknown) => Promise<any>;
  const offline = { cipher, now: clockNow, fetch: (() => Promise.reject(new Error('network down'))) as typeof fetch };

  beforeAll(() => {
    f = openFixture(3);
    const handlers = createHandlers({ db: f.db, events: f.events, clock: createStationClock(f.db, Date.now), now: clockNow, scheduler: { status: () => [], syncNow: () => [] }, secretCipher: cipher });
    call = (name, input) => dispatchAsStation(handlers, f.db, name, input, undefined, f.owner);
  });
  afterAll(() => f?.close());

  it('without a hub the station owner acts, as before', async () => {
    expect(await call('session.status', {})).toMatchObject({ ok: true, value: { joined: false, actor: { name: '店主', role: 'owner' } } });
    expect(await call('session.whoami', {})).toMatchObject({ ok: true, value: { userId: f.owner.userId } });
  });

  it("after joining, the code's person acts, and the hub applies their memo edit (no UNKNOWN_ACTOR)", async () => {
    const code = (await post(hub.url, '/v1/invites', { user: 'boss', role: 'owner' }, ownerToken)).code;
    expect(await call('hub.join', { url: hub.url, code, name: '一号打包台' })).toMatchObject({ ok: true });
    const status = await call('session.status', {});
    expect(status.value).toMatchObject({ joined: true, teamName: '宁波店群', stationName: '一号打包台', actor: { name: 'boss', role: 'owner' } });
    expect(status.value.actor.userId).toMatch(/^user_/);
    expect(await call('orders.setFlag', { ids: [f.idOf(1)], memo: '老板写的备注' })).toMatchObject({ ok: true });
    const round = await syncOnce(f.db, { cipher });
    expect(round.refused).toBe(0);
    expect(hubStatus(f.db)).toMatchObject({ opsWaiting: 0, opsRefused: 0 });
    const op = f.db.$client.prepare(`SELECT actor, hub_state FROM ops WHERE name = 'orders.setFlag'`).get();
    expect(op).toEqual({ actor: 'boss', hub_state: 'acked' });
    const onHub = await engine.query<{ image: { seller_memo: string } }>(`SELECT image FROM rows WHERE tbl = 'orders' AND key = $1`, [JSON.stringify([f.idOf(1)])]);
    expect(onHub.rows[0]?.image.seller_memo).toBe('老板写的备注');
  });

  it('signed out, a joined station answers only sign-in calls; the picker lists the hub team', async () => {
    expect(await call('session.signOut', {})).toMatchObject({ ok: true, value: { joined: true, actor: null } });
    expect(await call('orders.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', reason: 'session.sign_in_needed' } });
    const people = await call('session.people', {});
    expect(people.value.online).toBe(true);
    expect(people.value.people.map((p: any) => [p.name, p.role, p.hasPin])).toEqual([
      ['boss', 'owner', false],
      ['小李', 'packer', true],
    ]);
  });

  it('a wrong password is refused with the tries left; the right one signs in with role and shops', async () => {
    const li = (await call('session.people', {})).value.people.find((p: any) => p.name === '小李');
    expect(await call('session.signIn', { userId: li.id, password: 'wrong one' })).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED', reason: 'session.bad_credentials', details: { attemptsLeft: MAX_TRIES - 1 } },
    });
    const ok = await call('session.signIn', { userId: li.id, password: 'packer password' });
    expect(ok).toMatchObject({ ok: true, value: { actor: { userId: li.id, name: '小李', role: 'packer', shops: ['shop-1'] } } });
    // Verifiers are argon2 hashes, never the password itself.
    const stored = f.db.$client.prepare(`SELECT value FROM meta WHERE key = 'hub.verifiers'`).pluck().get() as string;
    expect(stored).toContain('$argon2id$');
    expect(stored).not.toContain('packer password');
    expect((await call('session.people', {})).value.people.find((p: any) => p.id === li.id).knownHere).toBe(true);
  });

  it('the PIN switch: five wrong PINs lock the person out for a minute, even with the right PIN', async () => {
    const li = (await call('session.people', {})).value.people.find((p: any) => p.name === '小李');
    expect(await call('session.signIn', { userId: li.id, pin: '2468' })).toMatchObject({ ok: true, value: { actor: { name: '小李' } } });
    for (let i = 1; i < MAX_TRIES; i++) {
      expect(await call('session.signIn', { userId: li.id, pin: '0000' })).toMatchObject({ error: { reason: 'session.bad_credentials', details: { attemptsLeft: MAX_TRIES - i } } });
    }
    expect(await call('session.signIn', { userId: li.id, pin: '0000' })).toMatchObject({ error: { reason: 'session.locked', details: { name: '小李', seconds: 60 } } });
    expect(await call('session.signIn', { userId: li.id, pin: '2468' })).toMatchObject({ error: { reason: 'session.locked' } });
    now += LOCKOUT_MS + 1;
    // The hub counted the same five and locks 小李 too, on its own clock: its lock reads as this station's.
    expect(await call('session.signIn', { userId: li.id, pin: '2468' })).toMatchObject({ error: { reason: 'session.locked', details: { name: '小李' } } });
    await engine.query('UPDATE login_attempts SET locked_until = 0 WHERE locked_until IS NOT NULL');
    expect(await call('session.signIn', { userId: li.id, pin: '2468' })).toMatchObject({ ok: true });
    // The count starts again after a good sign-in.
    expect(await call('session.signIn', { userId: li.id, pin: '1111' })).toMatchObject({ error: { details: { attemptsLeft: MAX_TRIES - 1 } } });
  });

  it('offline, only a person who signed in here before gets in, with what the hub accepted', async () => {
    const people = (await call('session.people', {})).value.people;
    const li = people.find((p: any) => p.name === '小李');
    const boss = people.find((p: any) => p.name === 'boss');
    now += LOCKOUT_MS + 1;
    await expect(signIn(f.db, offline, { userId: li.id, password: 'packer password' })).resolves.toMatchObject({ name: '小李', role: 'packer', shops: ['shop-1'] });
    await expect(signIn(f.db, offline, { userId: li.id, pin: '2468' })).resolves.toMatchObject({ name: '小李' });
    await expect(signIn(f.db, offline, { userId: li.id, password: 'guess' })).rejects.toMatchObject({ reason: 'session.bad_credentials' });
    // The picker offline: the list last heard, with who can sign in here without the hub.
    const heard = await listPeople(f.db, offline);
    expect(heard.online).toBe(false);
    expect(heard.people.map((p) => [p.name, p.knownHere])).toEqual([
      ['boss', false],
      ['小李', true],
    ]);
    // Never heard a list (a station that only pulled): the hub's users rows it holds.
    f.db.$client.prepare(`DELETE FROM meta WHERE key = 'hub.people'`).run();
    expect((await listPeople(f.db, offline)).people.map((p) => p.name).sort()).toEqual(['boss', '小李']);
    // boss joined by code, never typed a password here: nothing to check against offline.
    await expect(signIn(f.db, offline, { userId: boss.id, password: 'boss password' })).rejects.toMatchObject({ reason: 'session.offline_unknown' });
  });

  it("a scoped person sees and changes only their shops' orders; their hold reaches the hub as theirs", async () => {
    f.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '另一家店', 'taobao', 'active', 0)").run();
    ingestOrders(f.db, { shopId: 'shop-2', platform: 'taobao', orders: [{ order: platformOrder(90), raw: {} }] }, Date.now());
    const other = f.db.$client.prepare(`SELECT id FROM orders WHERE shop_id = 'shop-2'`).pluck().get() as string;
    const li = (await call('session.people', {})).value.people.find((p: any) => p.name === '小李');
    expect(await call('session.signIn', { userId: li.id, password: 'packer password' })).toMatchObject({ ok: true });
    const list = await call('orders.list', { filter: {} });
    expect(list.value.rows.map((r: any) => r.shopId ?? r.shopName)).not.toContain('另一家店');
    expect(list.value.rows).toHaveLength(3);
    expect((await call('orders.list', { filter: { shopIds: ['shop-2'] } })).value.rows).toHaveLength(0);
    expect(await call('orders.get', { id: other })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'order.out_of_scope' } });
    expect(await call('orders.hold', { ids: [f.idOf(2), other], reason: '缺货' })).toMatchObject({ ok: false, error: { reason: 'order.out_of_scope', details: { count: 1 } } });
    expect(f.db.$client.prepare(`SELECT count(*) FROM orders WHERE hold_reason IS NOT NULL`).pluck().get()).toBe(0);
    expect(await call('orders.hold', { ids: [f.idOf(2)], reason: '缺货' })).toMatchObject({ ok: true });
    await syncOnce(f.db, { cipher });
    const op = f.db.$client.prepare(`SELECT actor, hub_state, hub_reason FROM ops WHERE name = 'orders.hold'`).get();
    expect(op).toEqual({ actor: '小李', hub_state: 'acked', hub_reason: null });
  });

  it("a scoped person's shops, mapping rows, pushes and allocations are their shops'; per-SKU stock stays the team's; naming another shop is refused", async () => {
    const c = f.db.$client;
    c.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-3', '第三家店', 'pdd', 'active', 0)").run();
    const map = c.prepare('INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, sku_id, title, listed_at) VALUES (?, ?, ?, ?, ?, 0)');
    for (const [shop, product, sku] of [
      ['shop-1', 'P1', null],
      ['shop-1', 'P2', 'sku-1'],
      ['shop-2', 'P1', null],
      ['shop-2', 'P3', 'sku-2'],
      ['shop-3', 'P0', 'sku-2'],
      ['shop-3', 'P4', null],
    ] as const) map.run(shop, product, `${product}-s`, sku, `${shop} ${product}`);
    const push = c.prepare("INSERT INTO stock_pushes (id, shop_id, platform_product_id, platform_sku_id, sku_id, mode, quantity, next_at, created_at) VALUES (?, ?, 'P2', 'P2-s', 'sku-1', 'set', 5, 0, ?)");
    ['shop-1', 'shop-2', 'shop-3'].forEach((shop, i) => push.run(`push-${i}`, shop, 1000 + i));
    const alloc = c.prepare("INSERT INTO stock_allocations (shop_id, sku_id, mode, value, updated_at, updated_by) VALUES (?, '*', 'share', 50, 0, 'boss')");
    for (const shop of ['shop-1', 'shop-2', 'shop-3']) alloc.run(shop);
    await post(hub.url, '/v1/invites', { user: '小张', role: 'operator', shops: ['shop-1', 'shop-3'], password: 'zhang password' }, ownerToken);
    const zhang = (await call('session.people', {})).value.people.find((p: any) => p.name === '小张');
    const wholeStock = (await call('stock.list', {})).value;
    expect(await call('session.signIn', { userId: zhang.id, password: 'zhang password' })).toMatchObject({ ok: true, value: { actor: { shops: ['shop-1', 'shop-3'] } } });

    expect((await call('shops.list', {})).value.map((s: any) => s.id).sort()).toEqual(['shop-1', 'shop-3']);
    expect((await call('shops.overview', {})).value.map((s: any) => s.id).sort()).toEqual(['shop-1', 'shop-3']);
    // The mapping table of two shops, in the read's own order (unmapped first, then by shop and product), paged over them.
    const mapping = (await call('mapping.list', {})).value;
    expect(mapping.rows.map((r: any) => `${r.shopId}/${r.platformProductId}`)).toEqual(['shop-1/P1', 'shop-3/P4', 'shop-1/P2', 'shop-3/P0']);
    expect([mapping.total, mapping.unmapped]).toEqual([4, 2]);
    const page = (await call('mapping.list', { limit: 2, offset: 1 })).value;
    expect(page.rows.map((r: any) => `${r.shopId}/${r.platformProductId}`)).toEqual(['shop-3/P4', 'shop-1/P2']);
    expect((await call('mapping.list', { shopId: 'shop-3' })).value.total).toBe(2);
    expect(await call('mapping.list', { shopId: 'shop-2' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'shop.out_of_scope', details: { shopIds: ['shop-2'], count: 1 } } });
    expect((await call('stock.pushes', {})).value.map((p: any) => p.id)).toEqual(['push-2', 'push-0']);
    expect((await call('stock.allocations', {})).value.map((a: any) => a.shopId).sort()).toEqual(['shop-1', 'shop-3']);
    // Stock per SKU is the team's: the same whole list as before signing in.
    expect((await call('stock.list', {})).value).toEqual(wholeStock);

    // Commands naming another shop are refused whole and change nothing.
    const rows = [
      { shopId: 'shop-1', platformProductId: 'P1', platformSkuId: 'P1-s' },
      { shopId: 'shop-2', platformProductId: 'P1', platformSkuId: 'P1-s' },
    ];
    expect(await call('mapping.set', { rows, sku: 'SOCK-01' })).toMatchObject({ ok: false, error: { reason: 'shop.out_of_scope', details: { count: 1 } } });
    expect(c.prepare("SELECT count(*) FROM sku_mappings WHERE platform_product_id = 'P1' AND sku_id IS NOT NULL").pluck().get()).toBe(0);
    expect(await call('stock.push', { shopId: 'shop-2', dryRun: true })).toMatchObject({ ok: false, error: { reason: 'shop.out_of_scope' } });
    expect(await call('stock.push', { dryRun: true })).toMatchObject({ ok: false, error: { reason: 'shop.scope_needs_shop', details: { shops: ['shop-1', 'shop-3'] } } });
    expect(await call('stock.setAllocation', { shopId: 'shop-2', sku: '*', mode: 'share', value: 10 })).toMatchObject({ ok: false, error: { reason: 'shop.out_of_scope' } });
    expect(await call('shops.pause', { id: 'shop-2' })).toMatchObject({ ok: false, error: { reason: 'shop.out_of_scope' } });
    expect(await call('mapping.set', { rows: [rows[0]], sku: 'SOCK-01' })).toMatchObject({ ok: true });
  });

  it("`hub invite --set-password --set-pin` gives a person what they sign in with, from standard input", async () => {
    const made = await runCli(
      ['hub', 'invite', '--hub', hub.url, '--owner', 'boss', '--user', '老王', '--role', 'operator', '--set-password', '--set-pin'],
      'boss password\nwang password\n1357\n',
    );
    expect(made.code, made.stderr).toBe(0);
    const wang = (await call('session.people', {})).value.people.find((p: any) => p.name === '老王');
    expect(wang).toMatchObject({ role: 'operator', hasPin: true });
    expect(await call('session.signIn', { userId: wang.id, pin: '1357' })).toMatchObject({ ok: true, value: { actor: { name: '老王', role: 'operator' } } });
    expect(await call('session.signIn', { userId: wang.id, password: 'wang password' })).toMatchObject({ ok: true });
    const bad = await runCli(['hub', 'invite', '--hub', hub.url, '--owner', 'boss', '--user', '老王', '--role', 'operator', '--set-pin'], 'boss password\n12\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('4 to 8 digits');
  }, 60_000);

  it('leaving the hub gives the station back to its owner and forgets the verifiers', async () => {
    expect(await call('hub.leave', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const boss = (await call('session.people', {})).value.people.find((p: any) => p.name === 'boss');
    expect(await call('session.signIn', { userId: boss.id, password: 'boss password' })).toMatchObject({ ok: true });
    expect(await call('hub.leave', {})).toMatchObject({ ok: true });
    expect(await call('session.status', {})).toMatchObject({ value: { joined: false, actor: { userId: f.owner.userId } } });
    expect(f.db.$client.prepare(`SELECT key FROM meta WHERE key IN (${IDENTITY_KEYS.map(() => '?').join(', ')})`).pluck().all(...IDENTITY_KEYS)).toEqual([]);
  });
});
