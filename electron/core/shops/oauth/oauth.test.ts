// Every platform's OAuth client against the loopback OAuth sandbox over real HTTP: the authorise
// page's redirect (code and state, or access_denied), the code → token exchange, the refresh that
// rotates tokens, and how each failure is classed (a refused grant vs a transient failure).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGrantRejected, type OAuthApp, type OAuthProvider } from './common.ts';
import { oauthProviderFor } from './index.ts';
import { OAUTH_SANDBOX_PLATFORMS, startOAuthSandbox, type OAuthSandbox, type OAuthSandboxPlatform } from '../../../sandbox/oauth/sandbox-server.ts';
import { rejection } from '../../../testkit/results.ts';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
let sandbox: OAuthSandbox;
let now = Date.UTC(2026, 2, 1, 2, 0, 0);
const deps = { now: () => now };

const appFor = (platform: OAuthSandboxPlatform): OAuthApp => ({
  appKey: `key-${platform}`,
  appSecret: `secret-${platform}-0123456789`,
  oauthBase: sandbox.oauthBaseFor(platform),
});

beforeAll(async () => {
  sandbox = await startOAuthSandbox({ now: () => now, accessTtlSeconds: 3600 });
  for (const p of OAUTH_SANDBOX_PLATFORMS) sandbox.addApp({ platform: p, appKey: `key-${p}`, appSecret: `secret-${p}-0123456789` });
});
afterAll(() => sandbox.close());

/** Opens the authorise URL like a browser that does not follow redirects, and reads where it was sent. */
async function authorize(provider: OAuthProvider, app: OAuthApp, state: string, extra = ''): Promise<URL> {
  const res = await fetch(provider.authorizeUrl(app, REDIRECT, state) + extra, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe.each(OAUTH_SANDBOX_PLATFORMS)('%s OAuth against the sandbox', (platform) => {
  const provider = oauthProviderFor(platform);

  it('authorises, exchanges the code once, and refreshes with rotation', async () => {
    sandbox.setFault(null);
    const app = appFor(platform);
    const back = await authorize(provider, app, 'st-1');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    const tokens = await provider.exchangeCode(app, code as string, REDIRECT, deps);
    expect(tokens.accessToken).toMatch(/^at-/);
    expect(tokens.refreshToken).toMatch(/^rt-/);
    expect(tokens.accessTokenExpiresAt).toBe(now + 3600_000);
    expect(sandbox.isLiveAccessToken(tokens.accessToken)).toBe(true);

    // A code is one-shot.
    const again = await rejection(provider.exchangeCode(app, code as string, REDIRECT, deps));
    expect(isGrantRejected(again)).toBe(true);

    now += 50 * 60_000;
    const fresh = await provider.refresh(app, tokens.refreshToken as string, deps);
    expect(fresh.accessToken).not.toBe(tokens.accessToken);
    expect(fresh.refreshToken).not.toBe(tokens.refreshToken);
    expect(fresh.accessTokenExpiresAt).toBe(now + 3600_000);
    // The spent refresh token is refused from now on.
    expect(isGrantRejected(await rejection(provider.refresh(app, tokens.refreshToken as string, deps)))).toBe(true);
  });

  it('passes a refusal on the authorise page back as access_denied', async () => {
    sandbox.setFault(null);
    const back = await authorize(provider, appFor(platform), 'st-2', '&deny=1');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-2');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('classes an invalid code and a revoked refresh token as refused, a 5xx as transient', async () => {
    const app = appFor(platform);
    sandbox.setFault(null);
    const code = (await authorize(provider, app, 'st-3')).searchParams.get('code') as string;
    sandbox.setFault('invalidCode');
    expect(isGrantRejected(await rejection(provider.exchangeCode(app, code, REDIRECT, deps)))).toBe(true);

    sandbox.setFault(null);
    const code2 = (await authorize(provider, app, 'st-4')).searchParams.get('code') as string;
    const tokens = await provider.exchangeCode(app, code2, REDIRECT, deps);
    sandbox.setFault('revokedRefresh');
    expect(isGrantRejected(await rejection(provider.refresh(app, tokens.refreshToken as string, deps)))).toBe(true);

    sandbox.setFault('http5xx');
    const transient = await rejection(provider.refresh(app, tokens.refreshToken as string, deps));
    expect(isGrantRejected(transient)).toBe(false);
    expect(transient.details).toMatchObject({ retryable: true });
    sandbox.setFault(null);
    // The 5xx spent nothing: the refresh token still works.
    expect((await provider.refresh(app, tokens.refreshToken as string, deps)).accessToken).toMatch(/^at-/);
  });

  it('is refused with the wrong app secret (a signature or client check)', async () => {
    sandbox.setFault(null);
    const app = appFor(platform);
    const code = (await authorize(provider, app, 'st-5')).searchParams.get('code') as string;
    const err = await rejection(provider.exchangeCode({ ...app, appSecret: 'not-the-secret' }, code, REDIRECT, deps));
    expect(err.code).toBe('PLATFORM_ERROR');
    expect(isGrantRejected(err)).toBe(true);
  });
});

describe('authorise URLs in each platform’s production shape', () => {
  const app = { appKey: 'AK', appSecret: 'S' };
  it.each([
    ['taobao', 'https://oauth.taobao.com/authorize?response_type=code&client_id=AK&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Foauth%2Fcallback&state=s&view=web'],
    ['tmall', 'https://oauth.taobao.com/authorize?response_type=code&client_id=AK&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Foauth%2Fcallback&state=s&view=web'],
    ['pdd', 'https://mms.pinduoduo.com/open.html?response_type=code&client_id=AK&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Foauth%2Fcallback&state=s'],
    ['jd', 'https://open-oauth.jd.com/oauth2/to_login?app_key=AK&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Foauth%2Fcallback&state=s&scope=snsapi_base'],
  ])('%s', (platform, expected) => {
    expect(oauthProviderFor(platform).authorizeUrl(app, REDIRECT, 's')).toBe(expected);
  });

  it('douyin keeps its params in the back office hash route', () => {
    expect(oauthProviderFor('douyin').authorizeUrl(app, REDIRECT, 's')).toBe(
      'https://fxg.jinritemai.com/index.html#/ffa/open/applicationAuthorize?response_type=code&app_id=AK&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Foauth%2Fcallback&state=s',
    );
  });

  it('refuses a platform without OAuth', () => {
    expect(() => oauthProviderFor('sandbox')).toThrow(/no OAuth/);
  });
});
