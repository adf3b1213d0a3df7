// A shop's OAuth authorisation, end to end: shops.authorizeStart (the authorise URL and a loopback
// redirect listener on 127.0.0.1), the code coming back on that listener or pasted into
// shops.authorizeComplete, the code → token exchange, and storing the tokens (encrypted; the
// non-secret expiry in settings) in one audited command. Also shops.updateCredentials (tokens
// pasted by hand). Secrets never reach the ops row, the audit log or a log line.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Actor, ApiParsedInput, AuthorizeStart, ShopSummary } from '../../shared/contract.ts';
import { redact } from '../../shared/redact.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { EventBus } from '../api/events.ts';
import type { HybridClock } from '../api/hlc.ts';
import type { Db } from '../db/open.ts';
import type { Narrowed, StoredShop } from '../db/rows.ts';
import { shopSettings } from '../platforms/contract.ts';
import { shopSummary } from './connect.ts';
import { oauthAppOf, oauthProviderFor, type OAuthApp, type OAuthProvider, type TokenSet } from './oauth/index.ts';
import { loadShopSecrets, storeShopSecrets, type SecretCipher } from './secrets.ts';

/** How long the loopback listener waits for the browser, and a pasted code is accepted. */
export const AUTHORIZE_TIMEOUT_MS = 10 * 60_000;
export const CALLBACK_PATH = '/oauth/callback';

export interface AuthorizerDeps {
  db: Db;
  events: EventBus;
  clock: HybridClock;
  now: () => number;
  secretCipher: SecretCipher | undefined;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

interface Session {
  state: string;
  shopId: string;
  provider: OAuthProvider;
  app: OAuthApp;
  redirectUri: string;
  expiresAt: number;
  actor: Actor;
  timer: NodeJS.Timeout;
  settle: { resolve: (s: ShopSummary) => void; reject: (e: unknown) => void };
  done: Promise<ShopSummary>;
}

type ShopRow = Narrowed<Pick<StoredShop, 'id' | 'platform' | 'state' | 'settings'>, { state: ShopSummary['state'] }>;

/** Equal-length digests, so the comparison neither short-circuits nor leaks the state's length. */
/** The seller declined (or the platform sent no code): final, nothing to retry. */
const refused = (error: string) =>
  reasonError('shop.authorize_refused', { error, code: error, retryable: false, throttled: false }, `the seller refused the authorisation (${error})`);

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * What a person pasted: the bare code, or the whole redirect URL (query or fragment) carrying
 * code / state / error. Returns the parts found.
 */
export function parsePastedCode(pasted: string): { code?: string; state?: string; error?: string } {
  const text = pasted.trim();
  const looksLikeUrl = /^https?:\/\//i.test(text) || /[?&#](code|error)=/.test(text);
  if (!looksLikeUrl) return { code: text };
  let params: URLSearchParams;
  try {
    const u = new URL(text, 'http://127.0.0.1');
    params = new URLSearchParams(u.search);
    // Some platforms (hash-routed pages) put the answer in the fragment.
    if (!params.has('code') && !params.has('error') && u.hash) params = new URLSearchParams(u.hash.replace(/^#/, '').replace(/^[^?]*\?/, ''));
  } catch {
    return { code: text };
  }
  const get = (k: string): string | undefined => params.get(k) ?? undefined;
  const out: { code?: string; state?: string; error?: string } = {};
  const code = get('code');
  const state = get('state');
  const error = get('error');
  if (code) out.code = code;
  if (state) out.state = state;
  if (error) out.error = error;
  return out;
}

const PAGE_STYLE = 'body{font:16px/1.6 system-ui,sans-serif;margin:15vh auto;max-width:32em;text-align:center;color:#222}';

function sendPage(res: ServerResponse, status: number, zh: string, en: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    // The page's URL carries the code: keep it out of caches and other sites' Referer.
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>ShopFleet</title><style>${PAGE_STYLE}</style><h1>${zh}</h1><p>${en}</p></html>`);
}

/** Writes an authorisation's tokens: secrets encrypted and merged, the expiry in settings, the shop active. */
export function storeAuthorizedTokens(
  ctx: CoreContext,
  cipher: SecretCipher,
  command: 'shops.authorizeComplete' | 'shops.updateCredentials',
  shopId: string,
  tokens: TokenSet & { appSecret?: string; appKey?: string },
): ShopSummary {
  // The ops row is replicated to the team hub: ids and non-secret facts only.
  const args = { id: shopId, ...(tokens.account ? { account: tokens.account } : {}), ...(tokens.appKey ? { appKeyChanged: true } : {}) };
  return runCommand(ctx, command, args, { tables: ['shops', 'shop_secrets'] }, (scope) => {
    const row = scope.tx.$client.prepare<[string], ShopRow>('SELECT id, platform, state, settings FROM shops WHERE id = ?').get(shopId);
    if (!row) throw reasonError('shop.not_found', { shopId }, `No shop with id "${shopId}"`);
    storeShopSecrets(
      scope.tx,
      cipher,
      shopId,
      {
        accessToken: tokens.accessToken,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.appSecret ? { appSecret: tokens.appSecret } : {}),
      },
      scope.at,
    );
    const settings = { ...shopSettings(row) };
    if (tokens.appKey) settings.appKey = tokens.appKey;
    // A token with no known expiry must not keep the old one: the refresher would act on a stale date.
    if (tokens.accessTokenExpiresAt !== undefined) settings.accessTokenExpiresAt = tokens.accessTokenExpiresAt;
    else delete settings.accessTokenExpiresAt;
    if (tokens.refreshTokenExpiresAt !== undefined) settings.refreshTokenExpiresAt = tokens.refreshTokenExpiresAt;
    else delete settings.refreshTokenExpiresAt;
    // New credentials fix an expired authorisation; a shop an operator paused stays paused.
    const state = row.state === 'auth_expired' ? 'active' : row.state;
    ctx.db.$client.prepare('UPDATE shops SET settings = ?, state = ? WHERE id = ?').run(JSON.stringify(settings), state, shopId);
    scope.audit({
      entity: 'shop',
      entityId: shopId,
      field: 'credentials',
      before: { state: row.state },
      after: { state, ...(tokens.account ? { account: tokens.account } : {}), accessTokenExpiresAt: tokens.accessTokenExpiresAt ?? null },
    });
    const summary = shopSummary(ctx.db, shopId);
    if (!summary) throw reasonError('shop.not_found', { shopId }, `No shop with id "${shopId}"`);
    return summary;
  });
}

/** The 'shops.updateCredentials' command: tokens (and optionally a new app key/secret) pasted by hand. */
export function updateCredentials(ctx: CoreContext, cipher: SecretCipher | undefined, input: ApiParsedInput<'shops.updateCredentials'>): ShopSummary {
  if (!cipher) throw reasonError('shop.no_cipher', {}, 'this station has no secret cipher, so shop credentials cannot be stored (use a database file, not :memory:)');
  return storeAuthorizedTokens(ctx, cipher, 'shops.updateCredentials', input.id, {
    accessToken: input.accessToken,
    ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
    ...(input.accessTokenExpiresAt !== undefined ? { accessTokenExpiresAt: input.accessTokenExpiresAt } : {}),
    ...(input.appSecret ? { appSecret: input.appSecret } : {}),
    ...(input.appKey ? { appKey: input.appKey } : {}),
  });
}

/**
 * The authorisations in flight for one station, and the loopback listener their redirects land on
 * (started with the first, closed when the last one ends). Sessions live in memory only: a restart
 * means starting the authorisation again.
 */
export class Authorizer {
  private readonly sessions = new Map<string, Session>();
  private server: Server | null = null;
  private listening: Promise<number> | null = null;

  constructor(private readonly deps: AuthorizerDeps) {}

  /** 'shops.authorizeStart': the URL for the seller's browser and where it will come back. */
  async start(actor: Actor, shopId: string): Promise<AuthorizeStart> {
    const { db } = this.deps;
    const cipher = this.cipher();
    const row = db.$client.prepare<[string], ShopRow>('SELECT id, platform, state, settings FROM shops WHERE id = ?').get(shopId);
    if (!row) throw reasonError('shop.not_found', { shopId }, `No shop with id "${shopId}"`);
    const provider = oauthProviderFor(row.platform);
    const app = oauthAppOf(shopSettings(row), loadShopSecrets(db, cipher, shopId)?.appSecret, shopId);
    const port = await this.listen();
    const redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
    const state = randomBytes(24).toString('base64url');
    const expiresAt = this.deps.now() + AUTHORIZE_TIMEOUT_MS;
    let settle!: Session['settle'];
    const done = new Promise<ShopSummary>((resolve, reject) => (settle = { resolve, reject }));
    // Nobody may be waiting (the UI learns from db.changed): an unobserved failure is not a crash.
    done.catch(() => {});
    const timer = setTimeout(() => this.fail(state, reasonError('shop.authorize_expired', {}, 'The authorisation timed out; start again')), AUTHORIZE_TIMEOUT_MS);
    timer.unref();
    this.sessions.set(state, { state, shopId, provider, app, redirectUri, expiresAt, actor, timer, settle, done });
    return { url: provider.authorizeUrl(app, redirectUri, state), redirectUri, state, expiresAt };
  }

  /** 'shops.authorizeComplete': a pasted code, or the pasted redirect URL that carries it. */
  async complete(actor: Actor, input: ApiParsedInput<'shops.authorizeComplete'>): Promise<ShopSummary> {
    const pasted = parsePastedCode(input.code);
    if (pasted.state !== undefined && !sameSecret(pasted.state, input.state)) {
      throw reasonError('shop.authorize_other_session', {}, 'the pasted URL belongs to another authorisation');
    }
    const session = this.take(input.state);
    if (!session || session.shopId !== input.id) {
      if (session) this.sessions.set(session.state, session); // not this shop's: leave it for its owner
      throw reasonError('shop.authorize_expired', { shopId: input.id }, 'Unknown or expired authorisation; start again');
    }
    if (pasted.error) {
      const err = refused(pasted.error);
      this.end(session, err);
      throw err;
    }
    if (!pasted.code) {
      this.sessions.set(session.state, session);
      throw reasonError('shop.authorize_no_code', {}, 'no authorisation code in what was pasted');
    }
    return this.exchange(session, pasted.code, actor);
  }

  /** Resolves when the authorisation with this state ends (loopback or paste); rejects on failure or timeout. */
  waitFor(state: string): Promise<ShopSummary> {
    const session = [...this.sessions.values()].find((s) => sameSecret(s.state, state));
    if (!session) return Promise.reject(reasonError('shop.authorize_expired', {}, 'no authorisation in flight with that state'));
    return session.done;
  }

  /** The loopback port while listening (tests), else null. */
  get port(): number | null {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : null;
  }

  /** End every authorisation in flight and stop listening. */
  async close(): Promise<void> {
    for (const s of [...this.sessions.values()]) this.end(s, new AppError('INVALID_STATE', 'the station is closing'));
    await this.stopListening(true);
  }

  private cipher(): SecretCipher {
    const c = this.deps.secretCipher;
    if (!c) throw reasonError('shop.no_cipher', {}, 'this station has no secret cipher, so shop credentials cannot be stored (use a database file, not :memory:)');
    return c;
  }

  /** Removes and returns the live session with this state (one-shot), comparing in constant time. */
  private take(state: string): Session | undefined {
    let found: Session | undefined;
    // Compare against every session, so the time taken does not say which prefix matched.
    for (const s of this.sessions.values()) if (sameSecret(s.state, state)) found = s;
    if (!found) return undefined;
    this.sessions.delete(found.state);
    if (found.expiresAt <= this.deps.now()) {
      this.end(found, reasonError('shop.authorize_expired', {}, 'The authorisation timed out; start again'));
      return undefined;
    }
    return found;
  }

  private async exchange(session: Session, code: string, actor: Actor): Promise<ShopSummary> {
    try {
      // The network call happens outside any transaction; the write is one command afterwards.
      const fetchOpt = this.deps.fetch ? { fetch: this.deps.fetch } : {};
      const tokens = await session.provider.exchangeCode(session.app, code, session.redirectUri, { now: this.deps.now, ...fetchOpt });
      const ctx: CoreContext = { db: this.deps.db, actor, events: this.deps.events, clock: this.deps.clock, now: this.deps.now };
      const summary = storeAuthorizedTokens(ctx, this.cipher(), 'shops.authorizeComplete', session.shopId, tokens);
      this.end(session, null, summary);
      return summary;
    } catch (err) {
      this.end(session, err);
      throw err;
    }
  }

  private fail(state: string, err: AppError): void {
    const s = this.sessions.get(state);
    if (!s) return;
    this.sessions.delete(state);
    this.end(s, err);
  }

  private end(session: Session, err: unknown, value?: ShopSummary): void {
    clearTimeout(session.timer);
    this.sessions.delete(session.state);
    if (err) session.settle.reject(err);
    else if (value) session.settle.resolve(value);
    if (this.sessions.size === 0) void this.stopListening();
  }

  private listen(): Promise<number> {
    if (this.listening) return this.listening;
    const server = createServer((req, res) => void this.onRequest(req, res));
    // The listener must not keep a CLI or a test process alive on its own.
    server.unref();
    this.server = server;
    this.listening = new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      // Loopback only, a free port: RFC 8252 §7.3 (native apps' loopback redirect).
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
    return this.listening;
  }

  /** Stop accepting; `force` also cuts open connections (a page being answered finishes otherwise). */
  private async stopListening(force = false): Promise<void> {
    const server = this.server;
    this.server = null;
    this.listening = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (force) server.closeAllConnections();
    else server.closeIdleConnections();
    await closed;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return sendPage(res, 404, '找不到页面', 'Not found');
    const state = url.searchParams.get('state') ?? '';
    const session = state ? this.take(state) : undefined;
    if (!session) return sendPage(res, 400, '授权链接无效或已过期，请回到 ShopFleet 重新授权', 'This authorisation link is invalid or expired; start again in ShopFleet.');
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      this.end(session, refused(error ?? 'NO_CODE'));
      return sendPage(res, 400, '授权未完成，可以关闭此页', 'Authorisation was not granted; you can close this page.');
    }
    try {
      await this.exchange(session, code, session.actor);
      sendPage(res, 200, '授权成功，可以关闭此页', 'Authorised, you can close this page');
    } catch (err) {
      // The message names the platform's refusal, never a secret.
      console.error(`[oauth] ${session.shopId}: code exchange failed:`, redact(err instanceof Error ? err.message : String(err)));
      sendPage(res, 502, '授权失败，请回到 ShopFleet 查看原因', 'Authorisation failed; see ShopFleet for the reason.');
    }
  }
}
