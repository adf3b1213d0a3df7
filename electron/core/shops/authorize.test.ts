// Shop authorisation through the API on a real station file: the loopback redirect end to end (the
// browser's hops replayed with fetch), a pasted code, a pasted redirect URL, refusals (wrong state,
// denied, one-shot), and shops.updateCredentials — tokens stored encrypted, never in plain text in
// the database file, the ops log or the audit log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthorizeStart, ShopSummary } from '../../shared/contract.ts';
import type { Result } from '../../shared/result.ts';
import { createCore, type Core } from '../app.ts';
import { shopSettings } from '../platforms/contract.ts';
import { parsePastedCode } from './authorize.ts';
import { startOAuthSandbox, type OAuthSandbox } from '../../sandbox/oauth/sandbox-server.ts';
import { loadShopSecrets } from './secrets.ts';
import { testDbOf } from '../../testkit/station-db.ts';

const APP = { appKey: 'key-taobao-7781', appSecret: 'APPSECRET-taobao-5d1c9e' };
let sandbox: OAuthSandbox;
let dir: string;
let core: Core;

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ accessTtlSeconds: 86_400, apps: [{ platform: 'taobao', ...APP }, { platform: 'kuaishou', ...APP }] });
});
afterAll(() => sandbox.close());

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-authorize-'));
  core = await createCore({ dbFile: path.join(dir, 'station.db'), demo: false, sync: false });
});
afterEach(async () => {
  sandbox.setFault(null);
  await core.station.existingAuthorizer()?.close();
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** A connected shop whose authorisation expired, pointed at the OAuth sandbox. */
async function expiredShop(platform: 'taobao' | 'kuaishou' = 'taobao'): Promise<string> {
  const shop = ok<ShopSummary>(await core.call('shops.add', { platform, name: `${platform}店`, ...APP, accessToken: 'OLD-ACCESS-TOKEN-000' }));
  const settings = { ...shopSettings(testDbOf(core).$client.prepare('SELECT settings FROM shops WHERE id = ?').get(shop.id) as { settings: string }), oauthBase: sandbox.oauthBaseFor(platform) };
  testDbOf(core).$client.prepare(`UPDATE shops SET settings = ?, state = 'auth_expired' WHERE id = ?`).run(JSON.stringify(settings), shop.id);
  return shop.id;
}

/** The browser's first hop: the platform's authorise page answers with a redirect to our loopback. */
async function approve(url: string, extra = ''): Promise<string> {
  const res = await fetch(url + extra, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location') ?? '';
}

function shopRow(id: string): { state: string; settings: Record<string, unknown> } {
  const row = testDbOf(core).$client.prepare('SELECT state, settings FROM shops WHERE id = ?').get(id) as { state: string; settings: string };
  return { state: row.state, settings: shopSettings(row) };
}

/** Every byte SQLite wrote for this station (the WAL holds recent pages before a checkpoint). */
function stationBytes(): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('station.db') && !f.endsWith('.key'))
    .map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
    .join('');
}

describe('shops.authorizeStart + the loopback redirect', () => {
  it('completes by itself when the browser lands on the loopback, and stores the tokens encrypted', async () => {
    const id = await expiredShop();
    const start = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    expect(start.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    expect(new URL(start.url).searchParams.get('redirect_uri')).toBe(start.redirectUri);
    expect(new URL(start.url).searchParams.get('state')).toBe(start.state);
    expect(start.expiresAt - Date.now()).toBeGreaterThan(9 * 60_000);

    const done = core.station.existingAuthorizer()?.waitFor(start.state);
    const callback = await approve(start.url);
    expect(callback.startsWith(start.redirectUri)).toBe(true);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('授权成功，可以关闭此页');
    expect((await done)?.state).toBe('active');

    const row = shopRow(id);
    expect(row.state).toBe('active');
    expect(row.settings.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const secrets = loadShopSecrets(testDbOf(core), core.secretCipher!, id);
    expect(secrets?.appSecret).toBe(APP.appSecret);
    expect(secrets?.accessToken).toMatch(/^at-/);
    expect(sandbox.isLiveAccessToken(secrets!.accessToken)).toBe(true);

    // The one command: an ops row and an audit entry, neither carrying a secret.
    const ops = testDbOf(core).$client.prepare(`SELECT args FROM ops WHERE name = 'shops.authorizeComplete'`).all() as { args: string }[];
    expect(ops).toHaveLength(1);
    const audit = JSON.stringify(testDbOf(core).$client.prepare(`SELECT * FROM audit_log WHERE command = 'shops.authorizeComplete'`).all());
    expect(audit).toContain('auth_expired');
    for (const text of [ops[0]!.args, audit, stationBytes()]) {
      expect(text).not.toContain(secrets!.accessToken);
      expect(text).not.toContain(secrets!.refreshToken);
      expect(text).not.toContain(APP.appSecret);
    }
    // One-shot: with no authorisation left the listener is gone; with another in flight (same port
    // reused) the same redirect replayed is refused.
    await expect(fetch(callback)).rejects.toThrow();
    const second = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    expect(new URL(second.redirectUri).port).not.toBe('');
    const replay = new URL(callback);
    replay.port = new URL(second.redirectUri).port;
    expect((await fetch(replay)).status).toBe(400);
  });

  it('answers a wrong state on the loopback with an error page and leaves the shop alone', async () => {
    const id = await expiredShop();
    const start = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    const callback = new URL(await approve(start.url));
    callback.searchParams.set('state', `${start.state}x`);
    const page = await fetch(callback);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('授权链接无效或已过期');
    expect(shopRow(id).state).toBe('auth_expired');
  });

  it('reports a refusal on the authorise page and stores nothing', async () => {
    const id = await expiredShop();
    const start = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    const done = core.station.existingAuthorizer()!.waitFor(start.state);
    const page = await fetch(await approve(start.url, '&deny=1'));
    expect(page.status).toBe(400);
    await expect(done).rejects.toThrow(/access_denied/);
    expect(shopRow(id).state).toBe('auth_expired');
    expect(loadShopSecrets(testDbOf(core), core.secretCipher!, id)?.accessToken).toBe('OLD-ACCESS-TOKEN-000');
  });
});

describe('shops.authorizeComplete (pasted)', () => {
  it('takes the bare code', async () => {
    const id = await expiredShop('kuaishou');
    const start = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    const code = new URL(await approve(start.url)).searchParams.get('code') as string;
    const shop = ok<ShopSummary>(await core.call('shops.authorizeComplete', { id, state: start.state, code }));
    expect(shop.state).toBe('active');
    expect(loadShopSecrets(testDbOf(core), core.secretCipher!, id)?.refreshToken).toMatch(/^rt-/);
    // Kuaishou says 180 days for the refresh token; the expiry lands in settings.
    expect(shopRow(id).settings.refreshTokenExpiresAt).toBeGreaterThan(Date.now() + 179 * 86_400_000);
  });

  it('takes the whole redirect URL, and refuses one whose state is not this authorisation', async () => {
    const id = await expiredShop();
    const start = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    const redirect = await approve(start.url);
    const forged = new URL(redirect);
    forged.searchParams.set('state', 'someone-elses-state');
    const refused = await core.call('shops.authorizeComplete', { id, state: start.state, code: forged.toString() });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('VALIDATION_FAILED');

    const shop = ok<ShopSummary>(await core.call('shops.authorizeComplete', { id, state: start.state, code: redirect }));
    expect(shop.state).toBe('active');
    // Spent: the same paste again is refused.
    const again = await core.call('shops.authorizeComplete', { id, state: start.state, code: redirect });
    expect(!again.ok && again.error.code).toBe('INVALID_STATE');
  });

  it('refuses an unknown state, and a code the platform rejects', async () => {
    const id = await expiredShop();
    const wrong = await core.call('shops.authorizeComplete', { id, state: 'never-issued', code: 'abc' });
    expect(!wrong.ok && wrong.error.code).toBe('INVALID_STATE');

    const start = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id }));
    const rejected = await core.call('shops.authorizeComplete', { id, state: start.state, code: 'code-made-up' });
    expect(!rejected.ok && rejected.error.code).toBe('PLATFORM_ERROR');
    expect(shopRow(id).state).toBe('auth_expired');
  });

  it("refuses a state issued for another shop, and leaves that shop's authorisation usable", async () => {
    const a = await expiredShop();
    const b = await expiredShop('kuaishou');
    const startA = ok<AuthorizeStart>(await core.call('shops.authorizeStart', { id: a }));
    const redirect = await approve(startA.url);
    // Shop B presents shop A's state and code: refused, and nothing is stored on either shop.
    const crossed = await core.call('shops.authorizeComplete', { id: b, state: startA.state, code: redirect });
    expect(!crossed.ok && crossed.error.code).toBe('INVALID_STATE');
    expect(shopRow(b).state).toBe('auth_expired');
    expect(shopRow(a).state).toBe('auth_expired');
    // A's own completion still works: the refusal did not spend A's one-shot state.
    const shop = ok<ShopSummary>(await core.call('shops.authorizeComplete', { id: a, state: startA.state, code: redirect }));
    expect(shop.state).toBe('active');
  });

  it('is owner-only', async () => {
    const id = await expiredShop();
    const r = await core.call('shops.authorizeStart', { id }, { userId: 'u', name: '打包员', role: 'packer' });
    expect(!r.ok && r.error.code).toBe('FORBIDDEN');
  });
});

describe('shops.updateCredentials', () => {
  it('stores pasted tokens encrypted, keeps the app secret, sets the expiry and re-activates the shop', async () => {
    const id = await expiredShop();
    const expiresAt = Date.now() + 3600_000;
    const shop = ok<ShopSummary>(
      await core.call('shops.updateCredentials', { id, accessToken: 'PASTED-ACCESS-9c81e2', refreshToken: 'PASTED-REFRESH-44d0aa', accessTokenExpiresAt: expiresAt }),
    );
    expect(shop.state).toBe('active');
    expect(loadShopSecrets(testDbOf(core), core.secretCipher!, id)).toEqual({ appSecret: APP.appSecret, accessToken: 'PASTED-ACCESS-9c81e2', refreshToken: 'PASTED-REFRESH-44d0aa' });
    expect(shopRow(id).settings.accessTokenExpiresAt).toBe(expiresAt);
    const everything = JSON.stringify(testDbOf(core).$client.prepare('SELECT * FROM ops').all()) + JSON.stringify(testDbOf(core).$client.prepare('SELECT * FROM audit_log').all()) + stationBytes();
    expect(everything).not.toContain('PASTED-ACCESS-9c81e2');
    expect(everything).not.toContain('PASTED-REFRESH-44d0aa');

    // A later paste without an expiry drops the old one (it belonged to the old token).
    ok(await core.call('shops.updateCredentials', { id, accessToken: 'PASTED-ACCESS-second' }));
    expect(shopRow(id).settings.accessTokenExpiresAt).toBeUndefined();
    expect(loadShopSecrets(testDbOf(core), core.secretCipher!, id)?.refreshToken).toBe('PASTED-REFRESH-44d0aa');
  });
});

describe('parsePastedCode', () => {
  it('reads a bare code, a query, and a fragment', () => {
    expect(parsePastedCode('  abc123 ')).toEqual({ code: 'abc123' });
    expect(parsePastedCode('http://127.0.0.1:5/oauth/callback?code=c1&state=s1')).toEqual({ code: 'c1', state: 's1' });
    expect(parsePastedCode('https://x.example/cb#/done?code=c2&state=s2')).toEqual({ code: 'c2', state: 's2' });
    expect(parsePastedCode('http://127.0.0.1:5/oauth/callback?error=access_denied&state=s3')).toEqual({ error: 'access_denied', state: 's3' });
  });
});

describe('the authorisation window', () => {
  let clockMs = Date.now();
  let timed: Core;
  let timedDir: string;
  beforeEach(async () => {
    timedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-authorize-clock-'));
    timed = await createCore({ dbFile: path.join(timedDir, 'station.db'), demo: false, sync: false, now: () => clockMs });
  });
  afterEach(async () => {
    await timed.station.existingAuthorizer()?.close();
    await timed.close();
    fs.rmSync(timedDir, { recursive: true, force: true });
  });

  async function startOn(): Promise<{ id: string; start: AuthorizeStart; redirect: string }> {
    const shop = ok<ShopSummary>(await timed.call('shops.add', { platform: 'taobao', name: '计时店', ...APP, accessToken: 'OLD-ACCESS-TOKEN-000' }));
    const settings = { ...shopSettings(testDbOf(timed).$client.prepare('SELECT settings FROM shops WHERE id = ?').get(shop.id) as { settings: string }), oauthBase: sandbox.oauthBaseFor('taobao') };
    testDbOf(timed).$client.prepare(`UPDATE shops SET settings = ?, state = 'auth_expired' WHERE id = ?`).run(JSON.stringify(settings), shop.id);
    const start = ok<AuthorizeStart>(await timed.call('shops.authorizeStart', { id: shop.id }));
    return { id: shop.id, start, redirect: await approve(start.url) };
  }

  it('lasts ten minutes: just inside it completes', async () => {
    const { id, start, redirect } = await startOn();
    expect(start.expiresAt - clockMs).toBe(10 * 60_000);
    clockMs += 10 * 60_000 - 1_000;
    expect(ok<ShopSummary>(await timed.call('shops.authorizeComplete', { id, state: start.state, code: redirect })).state).toBe('active');
  });

  it('past ten minutes the state is refused as timed out, and the shop is left as it was', async () => {
    const { id, start, redirect } = await startOn();
    clockMs += 10 * 60_000;
    const late = await timed.call('shops.authorizeComplete', { id, state: start.state, code: redirect });
    expect(!late.ok && late.error.code).toBe('INVALID_STATE');
    const row = testDbOf(timed).$client.prepare('SELECT state FROM shops WHERE id = ?').get(id) as { state: string };
    expect(row.state).toBe('auth_expired');
  });
});
