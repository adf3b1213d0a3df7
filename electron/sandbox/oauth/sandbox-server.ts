// A loopback OAuth server that plays every platform's authorisation for tests and offline use: each
// platform's authorise page (auto-approves with a 302 to redirect_uri carrying code and state, or
// error=access_denied on `?deny=1` or the 'deny' fault) and its token endpoints in that platform's
// shape — Taobao's form POST /token, PDD's signed gateway (pdd.pop.auth.token.*), JD's and
// Kuaishou's /oauth2/*, Douyin's signed token.create / token.refresh. Signatures are checked with
// the platform sandboxes' signers (electron/sandbox/platforms/<p>/server-protocol.ts), written from
// the protocol notes and never the adapters' sign.ts: a client that signs wrongly is refused. Codes are one-shot and expire after 10 minutes; a refresh rotates
// both tokens and retires the old refresh token. Faults: a refused code, revoked refresh tokens,
// 5xx. Every platform lives under its own prefix (`${url}/taobao`, `${url}/pdd`, ...): that prefix
// is the shop's `oauthBase`.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { DOUDIAN_CODES, expectedSign as doudianExpectedSign } from '../platforms/douyin/server-protocol.ts';
import { PDD_CODES, expectedSign as pddExpectedSign } from '../platforms/pdd/server-protocol.ts';

export const OAUTH_SANDBOX_PLATFORMS = ['taobao', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;
export type OAuthSandboxPlatform = (typeof OAUTH_SANDBOX_PLATFORMS)[number];

export type OAuthFault =
  | 'deny' // the seller refuses on the authorise page
  | 'invalidCode' // every code exchange is refused as an invalid code
  | 'revokedRefresh' // every refresh is refused: the seller revoked the app
  | 'http5xx'; // token endpoints answer 502

export interface OAuthSandboxApp {
  platform: OAuthSandboxPlatform;
  appKey: string;
  appSecret: string;
  /**
   * Issue this access token every time instead of a fresh one: a platform sandbox gateway knows
   * one token per app, so a shop authorised here can then sync against it. Refresh tokens still rotate.
   */
  accessToken?: string;
}

export interface OAuthSandboxOptions {
  apps?: OAuthSandboxApp[];
  /** Access-token lifetime in seconds (default: each platform's usual, e.g. Kuaishou 48 h). */
  accessTtlSeconds?: number;
  /** Refresh-token lifetime in seconds (default 30 days; Kuaishou 180 days). */
  refreshTtlSeconds?: number;
  now?: () => number;
  /** Loopback port (default 0: any free port). */
  port?: number;
}

export interface OAuthSandbox {
  /** Base URL; a platform's oauthBase is `${url}/${platform}` (see oauthBaseFor). */
  url: string;
  oauthBaseFor(platform: OAuthSandboxPlatform | 'tmall'): string;
  addApp(app: OAuthSandboxApp): void;
  setFault(fault: OAuthFault | null): void;
  /** Whether the token is a live access token this server issued (adapters' sandboxes may ask). */
  isLiveAccessToken(token: string): boolean;
  /** Retire every refresh token of an app key (the seller revoked the authorisation). */
  revokeRefreshTokens(appKey: string): void;
  readonly counts: { authorizations: number; exchanges: number; refreshes: number };
  close(): Promise<void>;
}

const CODE_TTL_MS = 10 * 60_000;
const SKEW_S = 600;
/**
 * Each platform's usual access-token lifetime [UNVERIFIED except Kuaishou's 48 h,
 * docs/platforms/kuaishou.md#gateway-and-common-parameters].
 */
const DEFAULT_ACCESS_TTL_S: Record<OAuthSandboxPlatform, number> = {
  taobao: 86_400,
  pdd: 86_400,
  jd: 365 * 86_400,
  douyin: 7 * 86_400,
  kuaishou: 172_800,
};
const DEFAULT_REFRESH_TTL_S: Record<OAuthSandboxPlatform, number> = {
  taobao: 30 * 86_400,
  pdd: 30 * 86_400,
  jd: 365 * 86_400,
  douyin: 14 * 86_400,
  kuaishou: 180 * 86_400,
};

interface Grant {
  platform: OAuthSandboxPlatform;
  appKey: string;
  expiresAt: number;
}
interface CodeGrant extends Grant {
  redirectUri: string;
}

/** Why a token call was refused, in the neutral form each platform's shape is built from. */
type Refusal = { kind: 'invalid_client' | 'invalid_grant' | 'bad_sign' | 'bad_request'; message: string };
type Issued = { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number; account: string };

const token = (prefix: string): string => `${prefix}${randomBytes(18).toString('base64url')}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendPage(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html;charset=utf-8' });
  res.end(`<!doctype html><meta charset="utf-8"><title>OAuth sandbox</title><p>${text.replace(/[<>&]/g, '')}</p>`);
}

export async function startOAuthSandbox(opts: OAuthSandboxOptions = {}): Promise<OAuthSandbox> {
  const now = opts.now ?? Date.now;
  const apps = new Map<string, OAuthSandboxApp>();
  const appId = (platform: OAuthSandboxPlatform, appKey: string): string => `${platform}\u0000${appKey}`;
  for (const app of opts.apps ?? []) apps.set(appId(app.platform, app.appKey), app);
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const counts = { authorizations: 0, exchanges: 0, refreshes: 0 };
  let fault: OAuthFault | null = null;

  const accessTtl = (p: OAuthSandboxPlatform): number => opts.accessTtlSeconds ?? DEFAULT_ACCESS_TTL_S[p];
  const refreshTtl = (p: OAuthSandboxPlatform): number => opts.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_S[p];

  function issue(platform: OAuthSandboxPlatform, appKey: string): Issued {
    const t = now();
    const accessToken = apps.get(appId(platform, appKey))?.accessToken ?? token('at-');
    const refreshToken = token('rt-');
    accessTokens.set(accessToken, { platform, appKey, expiresAt: t + accessTtl(platform) * 1000 });
    refreshTokens.set(refreshToken, { platform, appKey, expiresAt: t + refreshTtl(platform) * 1000 });
    return { accessToken, refreshToken, expiresIn: accessTtl(platform), refreshExpiresIn: refreshTtl(platform), account: `sandbox-${platform}-seller` };
  }

  /** The app, checked against the secret when the platform sends one in clear (Taobao, JD, Kuaishou). */
  function app(platform: OAuthSandboxPlatform, appKey: string | null, appSecret?: string | null): OAuthSandboxApp | Refusal {
    const found = appKey ? apps.get(appId(platform, appKey)) : undefined;
    if (!found) return { kind: 'invalid_client', message: `unknown app key "${appKey ?? ''}"` };
    if (appSecret !== undefined && appSecret !== found.appSecret) return { kind: 'invalid_client', message: 'wrong app secret' };
    return found;
  }

  function exchange(platform: OAuthSandboxPlatform, appKey: string, code: string | null): Issued | Refusal {
    counts.exchanges += 1;
    if (fault === 'invalidCode') return { kind: 'invalid_grant', message: 'invalid authorization code' };
    const grant = code ? codes.get(code) : undefined;
    // One-shot: a code is gone once presented, whether or not the exchange succeeds.
    if (code) codes.delete(code);
    if (!grant || grant.platform !== platform || grant.appKey !== appKey) return { kind: 'invalid_grant', message: 'invalid authorization code' };
    if (grant.expiresAt <= now()) return { kind: 'invalid_grant', message: 'authorization code expired' };
    return issue(platform, appKey);
  }

  function refresh(platform: OAuthSandboxPlatform, appKey: string, refreshToken: string | null): Issued | Refusal {
    counts.refreshes += 1;
    const grant = refreshToken ? refreshTokens.get(refreshToken) : undefined;
    if (fault === 'revokedRefresh' || !grant || grant.platform !== platform || grant.appKey !== appKey) {
      return { kind: 'invalid_grant', message: 'refresh token revoked or invalid' };
    }
    if (grant.expiresAt <= now()) return { kind: 'invalid_grant', message: 'refresh token expired' };
    // Rotation: the old refresh token is spent.
    refreshTokens.delete(refreshToken as string);
    return issue(platform, appKey);
  }

  const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && 'kind' in v;

  // ---- authorise pages ----------------------------------------------------------------------
  /** The query names each platform's authorise page uses for the app key. */
  const AUTHORIZE_PATHS: Record<string, { platform: OAuthSandboxPlatform; appKeyParam: string }> = {
    '/taobao/authorize': { platform: 'taobao', appKeyParam: 'client_id' },
    '/pdd/open.html': { platform: 'pdd', appKeyParam: 'client_id' },
    '/jd/oauth2/to_login': { platform: 'jd', appKeyParam: 'app_key' },
    '/douyin/ffa/open/applicationAuthorize': { platform: 'douyin', appKeyParam: 'app_id' },
    '/kuaishou/oauth/authorize': { platform: 'kuaishou', appKeyParam: 'app_id' },
  };

  function authorizePage(url: URL, res: ServerResponse, route: { platform: OAuthSandboxPlatform; appKeyParam: string }): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    const found = app(route.platform, q.get(route.appKeyParam));
    // Without a known app or a redirect target the page cannot send the seller anywhere: it says so.
    if (isRefusal(found)) return sendPage(res, 400, `应用无效 / invalid app: ${found.message}`);
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return sendPage(res, 400, 'redirect_uri 缺失或无效 / missing or invalid redirect_uri');
    if (q.get('response_type') !== 'code') return sendPage(res, 400, 'response_type must be code');
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (fault === 'deny' || q.get('deny') === '1') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'the seller refused the authorisation');
    } else {
      counts.authorizations += 1;
      const code = token('code-');
      codes.set(code, { platform: route.platform, appKey: found.appKey, redirectUri, expiresAt: now() + CODE_TTL_MS });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  // ---- token endpoints, one per platform shape ------------------------------------------------
  async function taobaoToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const found = app('taobao', form.get('client_id'), form.get('client_secret'));
    if (isRefusal(found)) return sendJson(res, 401, { error: 'invalid_client', error_description: found.message });
    const grantType = form.get('grant_type');
    const out =
      grantType === 'authorization_code'
        ? exchange('taobao', found.appKey, form.get('code'))
        : grantType === 'refresh_token'
          ? refresh('taobao', found.appKey, form.get('refresh_token'))
          : ({ kind: 'bad_request', message: `unsupported grant_type "${grantType ?? ''}"` } as Refusal);
    if (isRefusal(out)) return sendJson(res, 400, { error: out.kind === 'bad_request' ? 'unsupported_grant_type' : 'invalid_grant', error_description: out.message });
    sendJson(res, 200, {
      access_token: out.accessToken,
      token_type: 'Bearer',
      expires_in: out.expiresIn,
      refresh_token: out.refreshToken,
      re_expires_in: out.refreshExpiresIn,
      taobao_user_nick: out.account,
      taobao_user_id: '706388888',
    });
  }

  async function pddRouter(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pddError = (code: number, msg: string): void =>
      sendJson(res, 200, { error_response: { error_code: code, error_msg: msg, sub_code: String(code), sub_msg: msg, request_id: token('') } });
    let params: Record<string, string>;
    try {
      const parsed = JSON.parse(await readBody(req)) as Record<string, unknown>;
      params = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    } catch {
      return pddError(PDD_CODES.badParams, 'body is not JSON');
    }
    const found = app('pdd', params.client_id ?? null);
    if (isRefusal(found)) return pddError(PDD_CODES.badParams, found.message);
    if (params.sign !== pddExpectedSign(params, found.appSecret)) return pddError(PDD_CODES.badSign, '签名校验失败');
    if (Math.abs(Number(params.timestamp) - now() / 1000) > SKEW_S) return pddError(PDD_CODES.badTimestamp, 'timestamp out of range');
    let out: Issued | Refusal;
    let key: string;
    if (params.type === 'pdd.pop.auth.token.create') {
      out = exchange('pdd', found.appKey, params.code ?? null);
      key = 'pop_auth_token_create_response';
    } else if (params.type === 'pdd.pop.auth.token.refresh') {
      out = refresh('pdd', found.appKey, params.refresh_token ?? null);
      key = 'pop_auth_token_refresh_response';
    } else {
      return pddError(PDD_CODES.badParams, `unknown type ${params.type ?? ''}`);
    }
    // [UNVERIFIED] PDD's code for a refused code/refresh token; the client treats any non-transient code as a refusal.
    if (isRefusal(out)) return pddError(PDD_CODES.badParams, out.message);
    const t = Math.floor(now() / 1000);
    sendJson(res, 200, {
      [key]: {
        access_token: out.accessToken,
        expires_at: t + out.expiresIn,
        expires_in: out.expiresIn,
        refresh_token: out.refreshToken,
        refresh_token_expires_at: t + out.refreshExpiresIn,
        refresh_token_expires_in: out.refreshExpiresIn,
        owner_id: '100200300',
        owner_name: out.account,
        scope: ['pdd.order.number.list.increment.get'],
        request_id: token(''),
      },
    });
  }

  function jdToken(url: URL, res: ServerResponse, kind: 'code' | 'refresh'): void {
    const q = url.searchParams;
    const found = app('jd', q.get('app_key'), q.get('app_secret'));
    if (isRefusal(found)) return sendJson(res, 200, { code: 401, msg: found.message });
    const out = kind === 'code' ? exchange('jd', found.appKey, q.get('code')) : refresh('jd', found.appKey, q.get('refresh_token'));
    if (isRefusal(out)) return sendJson(res, 200, { code: 402, msg: out.message });
    sendJson(res, 200, {
      access_token: out.accessToken,
      expires_in: out.expiresIn,
      refresh_token: out.refreshToken,
      scope: 'snsapi_base',
      open_id: out.account,
      uid: '5566778899',
      time: now(),
      token_type: 'bearer',
      code: 0,
    });
  }

  async function douyinToken(req: IncomingMessage, url: URL, res: ServerResponse, method: 'token.create' | 'token.refresh'): Promise<void> {
    const envelope = (code: number, msg: string, data: unknown = {}): void =>
      sendJson(res, 200, { code, msg, sub_code: code === DOUDIAN_CODES.success ? '' : `isv.sandbox:${code}`, sub_msg: code === DOUDIAN_CODES.success ? '' : msg, log_id: token(''), data });
    const body = await readBody(req);
    const q = url.searchParams;
    const found = app('douyin', q.get('app_key'));
    if (isRefusal(found)) return envelope(DOUDIAN_CODES.badParam, found.message);
    const timestamp = q.get('timestamp') ?? '';
    const expected = doudianExpectedSign({ appKey: found.appKey, method, body, timestamp }, found.appSecret, 'hmac-sha256');
    if (q.get('method') !== method || q.get('sign') !== expected) return envelope(DOUDIAN_CODES.badSign, '签名校验失败');
    if (Math.abs(Number(timestamp) - now() / 1000) > SKEW_S) return envelope(DOUDIAN_CODES.badTimestamp, 'timestamp out of range');
    let param: Record<string, unknown>;
    try {
      param = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return envelope(DOUDIAN_CODES.badParam, 'param_json is not JSON');
    }
    const str = (k: string): string | null => (typeof param[k] === 'string' ? (param[k] as string) : null);
    const out = method === 'token.create' ? exchange('douyin', found.appKey, str('code')) : refresh('douyin', found.appKey, str('refresh_token'));
    // [UNVERIFIED] Douyin's code for a refused grant: a business failure.
    if (isRefusal(out)) return envelope(DOUDIAN_CODES.business, out.message);
    envelope(DOUDIAN_CODES.success, 'success', {
      access_token: out.accessToken,
      expires_in: out.expiresIn,
      refresh_token: out.refreshToken,
      scope: 'SCOPE',
      shop_id: 4463798,
      shop_name: out.account,
    });
  }

  function kuaishouToken(url: URL, res: ServerResponse, kind: 'code' | 'refresh'): void {
    const q = url.searchParams;
    const found = app('kuaishou', q.get('app_id'), q.get('app_secret'));
    if (isRefusal(found)) return sendJson(res, 200, { result: 21, error: 'invalid_client', error_msg: found.message });
    const expectedGrant = kind === 'code' ? 'code' : 'refresh_token';
    if (q.get('grant_type') !== expectedGrant) return sendJson(res, 200, { result: 2, error: 'unsupported_grant_type', error_msg: `grant_type must be ${expectedGrant}` });
    const out = kind === 'code' ? exchange('kuaishou', found.appKey, q.get('code')) : refresh('kuaishou', found.appKey, q.get('refresh_token'));
    // 24 = an authorisation error in the PHP SDK's mapping (docs/platforms/kuaishou.md#decrypt-push-backs-and-codes).
    if (isRefusal(out)) return sendJson(res, 200, { result: 24, error: 'invalid_grant', error_msg: out.message });
    sendJson(res, 200, {
      result: 1,
      access_token: out.accessToken,
      expires_in: out.expiresIn,
      refresh_token: out.refreshToken,
      refresh_token_expires_in: out.refreshExpiresIn,
      open_id: out.account,
      token_type: 'bearer',
      scopes: ['merchant_order'],
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const route = AUTHORIZE_PATHS[path];
    if (route && req.method === 'GET') return authorizePage(url, res, route);
    const isToken = /^\/(taobao\/token|pdd\/api\/router|jd\/oauth2\/(access|refresh)_token|douyin\/token\/(create|refresh)|kuaishou\/oauth2\/(access|refresh)_token)$/.test(path);
    if (!isToken) return sendJson(res, 404, { error: 'not_found', path });
    if (fault === 'http5xx') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    if (path === '/taobao/token' && req.method === 'POST') return taobaoToken(req, res);
    if (path === '/pdd/api/router' && req.method === 'POST') return pddRouter(req, res);
    if (path === '/jd/oauth2/access_token') return jdToken(url, res, 'code');
    if (path === '/jd/oauth2/refresh_token') return jdToken(url, res, 'refresh');
    if (path === '/douyin/token/create' && req.method === 'POST') return douyinToken(req, url, res, 'token.create');
    if (path === '/douyin/token/refresh' && req.method === 'POST') return douyinToken(req, url, res, 'token.refresh');
    if (path === '/kuaishou/oauth2/access_token' && req.method === 'GET') return kuaishouToken(url, res, 'code');
    if (path === '/kuaishou/oauth2/refresh_token' && req.method === 'POST') return kuaishouToken(url, res, 'refresh');
    sendJson(res, 405, { error: 'method_not_allowed' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    oauthBaseFor: (platform) => `${url}/${platform === 'tmall' ? 'taobao' : platform}`,
    addApp: (a) => void apps.set(appId(a.platform, a.appKey), a),
    setFault: (f) => {
      fault = f;
    },
    isLiveAccessToken: (t) => {
      const g = accessTokens.get(t);
      return g !== undefined && g.expiresAt > now();
    },
    revokeRefreshTokens: (appKey) => {
      for (const [t, g] of refreshTokens) if (g.appKey === appKey) refreshTokens.delete(t);
    },
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
