// A shop's authorisation travels to the station that takes the shop over, end to end: stations on
// real SQLite files (each with its own secret key), the real platform scheduler and lease gate, a
// real hub (server/, in-process, over loopback HTTP; PGlite, and PostgreSQL when the cluster is
// there), the PDD sandbox gateway for orders and the OAuth sandbox for token refreshes (refresh
// tokens rotate on use). Station A authorises the shop and syncs it, then goes silent; station B,
// never authorised, takes the lease after expiry, fetches the authorisation, ingests from A's
// cursor and refreshes the token — the rotated pair reaches the hub, and A, taking the shop back,
// gets it. With sharing turned off a station without an authorisation gives the lease back at once
// and says why.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { unseal } from '../../../server/hub/shop-credentials.ts';
import { post, runCli, TEST_ENGINES } from '../../../server/hub/testkit.ts';
import { HOUR, MINUTE } from '../../sandbox/demo/generator.ts';
import { pddOrders } from '../../testkit/pdd-orders.ts';
import { startOAuthSandbox, type OAuthSandbox } from '../../sandbox/oauth/sandbox-server.ts';
import { startPlatformServer, type PlatformServer } from '../../sandbox/platforms/pdd/server.ts';
import { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { createPddAdapter, PDD_LIMITS } from '../platforms/pdd/adapter.ts';
import type { PlatformAdapter } from '../platforms/contract.ts';
import { oauthProviderFor } from '../shops/oauth/index.ts';
import { createLocalKeyCipher, keyFileFor, loadShopSecrets, saveShopSecrets, type SecretCipher } from '../shops/secrets.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import { joinHub, syncOnce } from './client.ts';
import { readCredentialState } from './credential-state.ts';
import { HubLeaseGate } from './leases.ts';
import { HubSyncService } from './schedule.ts';
import { uploadPendingCredentials } from './shop-credentials.ts';
import { hubStatus } from './status.ts';

const APP = { appKey: 'pdd-app-auth', appSecret: 'pdd-APPSECRET-42', accessToken: 'pdd-ACCESS-7' };
const TTL_MS = 2000;

describe.each(TEST_ENGINES)('a shop taken over with the authorisation from the hub ($name)', (te) => {
  const key = randomBytes(32);
  const dir = mkdtempSync(join(tmpdir(), 'shop-auth-'));
  const clock = { now: Date.now() };
  const START = clock.now;
  let engine: Engine;
  let drop: () => Promise<void>;
  let hub: RunningHub;
  let ownerToken: string;
  let server: PlatformServer;
  let oauth: OAuthSandbox;

  interface Station {
    name: string;
    db: Db;
    cipher: SecretCipher;
    scheduler: SyncScheduler;
    pages: { fromMs: number }[];
  }
  const stations: Station[] = [];

  function station(name: string): Station {
    const file = join(dir, `${name}.db`);
    const db = openDatabase(file);
    // Each station has its own key: what it fetched is stored through its own cipher.
    const cipher = createLocalKeyCipher(keyFileFor(file));
    const pages: Station['pages'] = [];
    const scheduler = new SyncScheduler({
      db,
      events: new EventBus(),
      now: () => clock.now,
      backfillMs: 6 * HOUR,
      secretCipher: cipher,
      leases: new HubLeaseGate({ db, cipher, ttlMs: TTL_MS }),
      adapterFor: (shop) => {
        const inner = createPddAdapter(shop, { now: () => clock.now });
        const counted: PlatformAdapter = Object.create(inner);
        counted.pullPage = (w, page) => {
          pages.push({ fromMs: w.fromMs });
          return inner.pullPage(w, page);
        };
        return counted;
      },
    });
    const s = { name, db, cipher, scheduler, pages };
    stations.push(s);
    return s;
  }
  const invite = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;
  const orderCount = (db: Db) => db.$client.prepare("SELECT count(*) FROM orders WHERE shop_id = 's1'").pluck().get() as number;
  const cursorOf = (db: Db) => db.$client.prepare("SELECT cursor_ms FROM sync_cursors WHERE shop_id = 's1'").pluck().get() as number;
  const hubCopy = async () => {
    const r = await engine.query<{ team_id: string; sealed: string; version: number; station_id: string }>("SELECT team_id, sealed, version, station_id FROM shop_credentials WHERE shop_id = 's1'");
    const row = r.rows[0];
    return row ? { version: Number(row.version), stationId: row.station_id, secrets: unseal(key, row.team_id, 's1', Number(row.version), row.sealed) } : null;
  };
  /** One round of the station's hub sync service (push, pull, then the queued authorisations). */
  const hubRound = async (s: Station) => {
    const service = new HubSyncService({ db: s.db, events: new EventBus(), secretCipher: s.cipher, periodMs: 3_600_000 });
    service.start();
    await service.kick();
    await service.stop();
  };
  const expire = () => new Promise((res) => setTimeout(res, TTL_MS + 250));

  beforeAll(async () => {
    const db = await te.open();
    engine = db.engine;
    drop = db.drop;
    hub = await listenHub(await createHubApp({ engine, credentialKey: key }), { port: 0 });
    await createTeam(engine, { team: '杭州店群', owner: '店主', password: 'correct horse' });
    ownerToken = (await post(hub.url, '/v1/login', { team: '杭州店群', user: '店主', password: 'correct horse' })).token;
    oauth = await startOAuthSandbox({ now: () => clock.now, accessTtlSeconds: 3600, apps: [{ platform: 'pdd', ...APP }] });
    server = await startPlatformServer({ orders: pddOrders(5, 60, START - 5 * HOUR, START - 10 * MINUTE), ...APP, now: () => clock.now });
  }, 60_000);

  afterAll(async () => {
    for (const s of stations) {
      await s.scheduler.stop();
      s.db.$client.close();
    }
    await server?.close();
    await oauth?.close();
    await hub?.close();
    await engine?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  let a: Station;
  let b: Station;
  let aRefreshToken: string;

  it('A authorises the shop (OAuth), joins as the owner and syncs it: its authorisation reaches the hub, sealed', async () => {
    a = station('一号打包台');
    const app = { ...APP, oauthBase: oauth.oauthBaseFor('pdd') };
    const provider = oauthProviderFor('pdd');
    const res = await fetch(provider.authorizeUrl(app, 'http://127.0.0.1:9/cb', 'st'), { redirect: 'manual' });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') as string;
    const tokens = await provider.exchangeCode(app, code, 'http://127.0.0.1:9/cb', { now: () => clock.now });
    aRefreshToken = tokens.refreshToken as string;
    // Only what may be read travels in settings; the secrets stay in shop_secrets.
    const settings = { appKey: APP.appKey, gateway: server.url, oauthBase: app.oauthBase, accessTokenExpiresAt: tokens.accessTokenExpiresAt, pageSize: 20 };
    a.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES ('s1', '拼多多旗舰店', 'pdd', 'active', 0, ?)").run(JSON.stringify(settings));
    writeTx(a.db, (tx) => saveShopSecrets(tx, a.cipher, 's1', { appSecret: APP.appSecret, accessToken: tokens.accessToken, refreshToken: aRefreshToken }));

    await joinHub(a.db, { cipher: a.cipher }, { url: hub.url, code: await invite('店主', 'owner'), name: a.name });
    await syncOnce(a.db, { cipher: a.cipher });
    expect(await hubCopy()).toBeNull();
    const r = await a.scheduler.syncShop('s1');
    expect(r.error).toBeUndefined();
    expect(r.leftTo).toBeUndefined();
    expect(orderCount(a.db)).toBe(60);
    // Holding the shop, A found the hub without a copy and sent its own.
    expect(await hubCopy()).toMatchObject({ version: 1, secrets: { appSecret: APP.appSecret, accessToken: APP.accessToken, refreshToken: aRefreshToken } });
    expect(readCredentialState(a.db).s1).toEqual({ version: 1 });
    await syncOnce(a.db, { cipher: a.cipher });
  });

  it('A goes silent; B, never authorised, takes the lease after expiry, fetches the authorisation and ingests from A’s cursor; its refreshed token reaches the hub', async () => {
    b = station('二号打包台');
    await joinHub(b.db, { cipher: b.cipher }, { url: hub.url, code: await invite('xiaowang', 'operator'), name: b.name });
    await syncOnce(b.db, { cipher: b.cipher });
    const aCursor = cursorOf(a.db);
    expect(cursorOf(b.db)).toBe(aCursor);
    expect(loadShopSecrets(b.db, b.cipher, 's1')).toBeNull();

    server.orders.push(...pddOrders(6, 20, START + 5 * MINUTE, START + 50 * MINUTE));
    // 55 minutes on: the access token has 5 minutes left, so B's round refreshes it first.
    clock.now = START + 55 * MINUTE;
    await expire();
    const refreshes = oauth.counts.refreshes;
    const r = await b.scheduler.syncShop('s1');
    expect(r.error).toBeUndefined();
    expect(r.leftTo).toBeUndefined();
    expect(b.pages[0]!.fromMs).toBe(aCursor - PDD_LIMITS.overlapMs);
    expect(orderCount(b.db)).toBe(80);
    expect(oauth.counts.refreshes).toBe(refreshes + 1);
    const onB = loadShopSecrets(b.db, b.cipher, 's1')!;
    expect(onB).toMatchObject({ appSecret: APP.appSecret, accessToken: APP.accessToken });
    expect(onB.refreshToken).not.toBe(aRefreshToken);
    // Stored through B's own cipher: A's key does not open B's row.
    expect(() => loadShopSecrets(b.db, a.cipher, 's1')).toThrow();
    // The rotated pair is queued, then sent with B's next hub round.
    expect(readCredentialState(b.db).s1?.pending).toBe(1);
    expect((await hubCopy())!.version).toBe(1);
    // The hub out of reach: the upload stays queued (no secret written anywhere else) for the next round.
    const offline = await uploadPendingCredentials(b.db, { cipher: b.cipher, fetch: (async () => Promise.reject(new Error('connect ECONNREFUSED'))) as typeof fetch });
    expect(offline).toEqual({ uploaded: [], notKept: [], waiting: ['s1'] });
    expect(readCredentialState(b.db).s1?.pending).toBe(1);
    expect(JSON.stringify(b.db.$client.prepare('SELECT key, value FROM meta').all())).not.toContain(onB.refreshToken);
    // B's next hub round (the station's own sync service) sends it.
    await hubRound(b);
    const copy = (await hubCopy())!;
    expect(copy.version).toBe(2);
    expect(copy.secrets?.refreshToken).toBe(onB.refreshToken);
    expect(readCredentialState(b.db).s1).toEqual({ version: 2 });
    const audit = (await engine.query<{ action: string; user_name: string; version: number }>("SELECT action, user_name, version FROM credential_audit WHERE shop_id = 's1' ORDER BY at, id")).rows;
    expect(audit.map((x) => [x.action, x.user_name, Number(x.version)])).toEqual(
      expect.arrayContaining([
        ['upload', '店主', 1],
        ['fetch', 'xiaowang', 1],
        ['upload', 'xiaowang', 2],
      ]),
    );
  });

  it('B goes silent; A takes the shop back with the rotated refresh token, not its spent one', async () => {
    await b.scheduler.stop();
    // A is back on the hub: it receives B's orders first.
    await syncOnce(a.db, { cipher: a.cipher });
    server.orders.push(...pddOrders(7, 5, START + 56 * MINUTE, START + 60 * MINUTE));
    // B's refresh gave the token another hour (the expiry travels in the shop's settings): 5 minutes are left of it.
    clock.now = START + 110 * MINUTE;
    await expire();
    a.pages.length = 0;
    const refreshes = oauth.counts.refreshes;
    const fromB = (await hubCopy())!.secrets!.refreshToken;
    const r = await a.scheduler.syncShop('s1');
    expect(r.error).toBeUndefined();
    expect(r.leftTo).toBeUndefined();
    expect(r.pulled).toBeGreaterThan(0);
    // The token was due again: A refreshed it with B's rotated refresh token (the platform retired
    // A's own when B refreshed; spending it would have paused the shop as auth_expired).
    expect(oauth.counts.refreshes).toBe(refreshes + 1);
    expect(a.db.$client.prepare("SELECT state FROM shops WHERE id = 's1'").pluck().get()).toBe('active');
    const onA = loadShopSecrets(a.db, a.cipher, 's1')!;
    expect([aRefreshToken, fromB]).not.toContain(onA.refreshToken);
    expect(readCredentialState(a.db).s1).toEqual({ version: 2, pending: 1 });
    await hubRound(a);
    expect(await hubCopy()).toMatchObject({ version: 3, secrets: { refreshToken: onA.refreshToken } });
  });

  it('sharing turned off: a station without an authorisation gives the lease back at once and says why; nothing is marked on the shared shop', async () => {
    // The owner's switch, from the CLI (password on standard input), with who fetched what so far.
    const off = await runCli(['hub', 'credentials', '--hub', hub.url, '--owner', '店主', '--sharing', 'off', '--audit', '--json'], 'correct horse\n');
    expect(off.code).toBe(0);
    const answer = JSON.parse(off.stdout);
    expect(answer).toMatchObject({ enabled: false, keyConfigured: true });
    expect(answer.audit).toContainEqual(expect.objectContaining({ shopId: 's1', action: 'fetch', userName: 'xiaowang', version: 1 }));
    expect(off.stdout).not.toMatch(/pdd-APPSECRET|pdd-ACCESS|rt-/);
    expect(await hubCopy()).toBeNull();
    const c = station('三号打包台');
    await joinHub(c.db, { cipher: c.cipher }, { url: hub.url, code: await invite('xiaozhao', 'operator'), name: c.name });
    await syncOnce(c.db, { cipher: c.cipher });
    await a.scheduler.stop();
    await expire();
    const r = await c.scheduler.syncShop('s1');
    expect(r.leftTo).toEqual({ reason: 'no_authorisation', stationName: null });
    expect(c.pages).toEqual([]);
    expect(hubStatus(c.db).leases).toContainEqual(expect.objectContaining({ shopId: 's1', mine: false, authorisation: 'sharing_off' }));
    // Given back on the hub at once: the next station whose round comes due may take it.
    const leases = await (await fetch(`${hub.url}/v1/leases`, { headers: { authorization: `Bearer ${ownerToken}` } })).json();
    expect(leases.leases).toContainEqual(expect.objectContaining({ shopId: 's1', holder: null }));
    expect(c.db.$client.prepare("SELECT state FROM shops WHERE id = 's1'").pluck().get()).toBe('active');
    // Authorising the shop on C ends its problem (and queues an upload the hub will not keep while sharing is off).
    writeTx(c.db, (tx) => saveShopSecrets(tx, c.cipher, 's1', { appSecret: APP.appSecret, accessToken: APP.accessToken }));
    expect(hubStatus(c.db).leases.find((l) => l.shopId === 's1')?.authorisation).toBeUndefined();
    expect(readCredentialState(c.db).s1).toEqual({ pending: 1 });
    // A, authorised itself, still syncs the shop with sharing off.
    const ra = await a.scheduler.syncShop('s1');
    expect(ra.error).toBeUndefined();
    expect(ra.leftTo).toBeUndefined();
  });

  it('a change made on the station taking the shop, not yet on the hub, wins over an older copy there', async () => {
    const c = stations.find((s) => s.name === '三号打包台')!;
    const on = await fetch(`${hub.url}/v1/credentials/sharing`, { method: 'PUT', headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }) });
    expect(await on.json()).toMatchObject({ enabled: true });
    // A (holding the shop) sends a copy the platform no longer accepts; C authorised the shop itself meanwhile, unsent.
    writeTx(a.db, (tx) => saveShopSecrets(tx, a.cipher, 's1', { appSecret: APP.appSecret, accessToken: 'pdd-ACCESS-stale' }));
    await hubRound(a);
    expect(await hubCopy()).toMatchObject({ version: 1, secrets: { accessToken: 'pdd-ACCESS-stale' } });
    expect(readCredentialState(c.db).s1?.pending).toBe(1);
    await a.scheduler.stop();
    await expire();
    const r = await c.scheduler.syncShop('s1');
    expect(r.error).toBeUndefined();
    expect(r.leftTo).toBeUndefined();
    expect(loadShopSecrets(c.db, c.cipher, 's1')?.accessToken).toBe(APP.accessToken);
    expect(await hubCopy()).toMatchObject({ version: 2, secrets: { accessToken: APP.accessToken } });
    expect(readCredentialState(c.db).s1).toEqual({ version: 2 });
  });
});
