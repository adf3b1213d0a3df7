// Token refresh against the OAuth sandbox on a real station file: refreshed only when due (10 min
// ahead or already expired), the rotated pair stored encrypted with the new expiry, shops without
// an expiry untouched, a revoked refresh token → auth_expired with the re-authorise message (also
// through the sync scheduler, before any adapter is built), a 5xx → nothing changes, one refresh at a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import { AppError } from '../../shared/result.ts';
import { EventBus } from '../api/events.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { shopSettings } from '../platforms/contract.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import { oauthProviderFor } from './oauth/index.ts';
import { startOAuthSandbox, type OAuthSandbox } from '../../sandbox/oauth/sandbox-server.ts';
import { createLocalKeyCipher, keyFileFor, loadShopSecrets, saveShopSecrets, type SecretCipher } from './secrets.ts';
import { AUTH_EXPIRED_MESSAGE, ensureFreshToken } from './token-refresh.ts';

const APP = { appKey: 'key-pdd-31', appSecret: 'APPSECRET-pdd-7e11' };
const T0 = Date.UTC(2026, 2, 1, 2, 0, 0);
let now = T0;
let sandbox: OAuthSandbox;
let dir: string;
let db: Db;
let cipher: SecretCipher;

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ now: () => now, accessTtlSeconds: 3600, apps: [{ platform: 'pdd', ...APP }] });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  now = T0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-refresh-'));
  const file = path.join(dir, 'station.db');
  db = openDatabase(file);
  cipher = createLocalKeyCipher(keyFileFor(file));
});
afterEach(() => {
  sandbox.setFault(null);
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A PDD shop authorised through the sandbox (real code → token exchange); its expiry is in settings. */
async function authorisedShop(id = 's1', withExpiry = true): Promise<{ id: string; refreshToken: string }> {
  const app = { ...APP, oauthBase: sandbox.oauthBaseFor('pdd') };
  const provider = oauthProviderFor('pdd');
  const res = await fetch(provider.authorizeUrl(app, 'http://127.0.0.1:9/cb', 'st'), { redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') as string;
  const tokens = await provider.exchangeCode(app, code, 'http://127.0.0.1:9/cb', { now: () => now });
  const settings = { appKey: APP.appKey, oauthBase: app.oauthBase, ...(withExpiry ? { accessTokenExpiresAt: tokens.accessTokenExpiresAt } : {}) };
  db.$client.prepare(`INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, 'pdd', 'active', ?, ?)`).run(id, `店${id}`, now, JSON.stringify(settings));
  writeTx(db, (tx) => saveShopSecrets(tx, cipher, id, { appSecret: APP.appSecret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken as string }, now));
  return { id, refreshToken: tokens.refreshToken as string };
}

const inFlight = new Map<string, Promise<void>>();
const deps = () => ({ db, secretCipher: cipher, now: () => now, inFlight });
const shop = (id: string) => {
  const row = db.$client.prepare('SELECT state, settings FROM shops WHERE id = ?').get(id) as { state: string; settings: string };
  return { state: row.state, settings: shopSettings(row) };
};

describe('ensureFreshToken', () => {
  it('leaves a token with more than 10 minutes left alone, and refreshes one inside the window', async () => {
    const { id, refreshToken } = await authorisedShop();
    const before = sandbox.counts.refreshes;
    now = T0 + 49 * 60_000; // 11 minutes left
    await ensureFreshToken(deps(), id);
    expect(sandbox.counts.refreshes).toBe(before);

    now = T0 + 51 * 60_000; // 9 minutes left
    await ensureFreshToken(deps(), id);
    expect(sandbox.counts.refreshes).toBe(before + 1);
    const secrets = loadShopSecrets(db, cipher, id);
    expect(secrets?.appSecret).toBe(APP.appSecret);
    expect(secrets?.refreshToken).not.toBe(refreshToken);
    expect(sandbox.isLiveAccessToken(secrets!.accessToken)).toBe(true);
    expect(shop(id).settings.accessTokenExpiresAt).toBe(Math.floor(now / 1000) * 1000 + 3600_000);
    expect(shop(id).state).toBe('active');
  });

  it('refreshes a token that already expired', async () => {
    const { id } = await authorisedShop();
    now = T0 + 5 * 3600_000;
    await ensureFreshToken(deps(), id);
    expect(shop(id).settings.accessTokenExpiresAt).toBeGreaterThan(now);
  });

  it('never touches a shop without a stored expiry', async () => {
    const { id } = await authorisedShop('s2', false);
    const before = sandbox.counts.refreshes;
    now = T0 + 5 * 3600_000;
    await ensureFreshToken(deps(), id);
    expect(sandbox.counts.refreshes).toBe(before);
  });

  it('marks the shop auth_expired with the re-authorise message when the refresh is refused', async () => {
    const { id } = await authorisedShop();
    sandbox.setFault('revokedRefresh');
    now = T0 + 55 * 60_000;
    const err = await ensureFreshToken(deps(), id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SHOP_AUTH_EXPIRED');
    expect((err as AppError).message).toBe(AUTH_EXPIRED_MESSAGE);
    expect(shop(id).state).toBe('auth_expired');
  });

  it('leaves everything as it was on a transient failure', async () => {
    const { id, refreshToken } = await authorisedShop();
    const expiry = shop(id).settings.accessTokenExpiresAt;
    sandbox.setFault('http5xx');
    now = T0 + 55 * 60_000;
    await ensureFreshToken(deps(), id);
    expect(shop(id)).toMatchObject({ state: 'active', settings: { accessTokenExpiresAt: expiry } });
    expect(loadShopSecrets(db, cipher, id)?.refreshToken).toBe(refreshToken);
  });

  it('runs one refresh at a time per shop (a second would spend the rotated token)', async () => {
    const { id } = await authorisedShop();
    const before = sandbox.counts.refreshes;
    now = T0 + 55 * 60_000;
    await Promise.all([ensureFreshToken(deps(), id), ensureFreshToken(deps(), id), ensureFreshToken(deps(), id)]);
    expect(sandbox.counts.refreshes).toBe(before + 1);
    expect(shop(id).state).toBe('active');
  });
});

describe('the sync scheduler', () => {
  it('refreshes before building the adapter, and pauses a shop whose refresh is refused', async () => {
    const { id } = await authorisedShop();
    sandbox.setFault('revokedRefresh');
    now = T0 + 55 * 60_000;
    let built = 0;
    const scheduler = new SyncScheduler({
      db,
      events: new EventBus(),
      now: () => now,
      secretCipher: cipher,
      adapterFor: () => {
        built += 1;
        throw new Error('no adapter in this test');
      },
    });
    const result = await scheduler.syncShop(id);
    expect(result.error).toBe(AUTH_EXPIRED_MESSAGE);
    expect(built).toBe(0);
    expect(shop(id).state).toBe('auth_expired');
    const cursor = db.$client.prepare('SELECT last_error, last_error_code, last_error_kind FROM sync_cursors WHERE shop_id = ?').get(id);
    expect(cursor).toEqual({ last_error: AUTH_EXPIRED_MESSAGE, last_error_code: 'SHOP_AUTH_EXPIRED', last_error_kind: 'auth' });
  });
});
