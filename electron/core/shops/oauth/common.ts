// What every platform's OAuth module shares: the provider shape (authorise URL, code → tokens,
// refresh), the token set they all return, the HTTP call that keeps an error body readable, and the
// two failure classes the callers act on — a rejected grant (re-authorise) or a transient failure.
import { AppError } from '../../../shared/result.ts';
import { platformError } from '../../platforms/gateway.ts';

/** What a provider needs of a shop: the app's identity and where its OAuth endpoints live. */
export interface OAuthApp {
  appKey: string;
  appSecret: string;
  /**
   * Overrides the platform's OAuth host(s) (settings.oauthBase): the authorise page and the token
   * endpoints are then `${oauthBase}<the platform's path>`, so the loopback OAuth sandbox (or a
   * proxy) can stand in. For PDD and Douyin, whose tokens come from the signed gateway, it
   * overrides that gateway for token calls too.
   */
  oauthBase?: string;
  /** Kuaishou's authorise scopes (settings.oauthScope), when the default list does not fit the app. */
  scope?: string;
}

/** Tokens as every platform's answer is normalised: absolute expiries in epoch ms (UTC). */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  accessTokenExpiresAt?: number;
  refreshTokenExpiresAt?: number;
  /** The seller account the platform says it authorised (nick, shop name or id), for the audit log. */
  account?: string;
}

export interface OAuthDeps {
  now: () => number;
  /** Injectable for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface OAuthProvider {
  /** The page to open in the seller's browser; it comes back to redirectUri with code and state. */
  authorizeUrl(app: OAuthApp, redirectUri: string, state: string): string;
  exchangeCode(app: OAuthApp, code: string, redirectUri: string, deps: OAuthDeps): Promise<TokenSet>;
  refresh(app: OAuthApp, refreshToken: string, deps: OAuthDeps): Promise<TokenSet>;
}

export const DEFAULT_OAUTH_TIMEOUT_MS = 15_000;

/**
 * The platform refused the grant itself: an invalid or used code, a revoked or expired refresh
 * token, a wrong app secret. Retrying cannot help; the seller has to authorise again.
 */
export function grantRejected(label: string, code: string | number, message: string): AppError {
  return platformError(`${label}: ${message}`, { code, retryable: false, throttled: false, grantRejected: true });
}

/** Transient: 5xx, network, throttling, a garbled body. The next try may well succeed. */
export function transientFailure(label: string, code: string | number, message: string, throttled = false): AppError {
  return platformError(`${label}: ${message}`, { code, retryable: true, throttled });
}

/** Whether an error is a refusal of the grant (as opposed to a transient failure). */
export function isGrantRejected(err: unknown): boolean {
  if (!(err instanceof AppError)) return false;
  const d = err.details as { grantRejected?: unknown } | undefined;
  return err.code === 'PLATFORM_ERROR' && d?.grantRejected === true;
}

export interface HttpAnswer {
  status: number;
  /** The body as a JSON object, or null when it was not one. */
  json: Record<string, unknown> | null;
}

/**
 * One OAuth HTTP call. Unlike the gateway helper this keeps the body of a 4xx — OAuth servers put
 * `error: invalid_grant` there — and leaves its meaning to the provider. Network failures, 5xx and
 * 429 are transient; so is a 2xx whose body is not JSON (cut off in transit).
 */
export async function oauthHttp(label: string, url: string, init: RequestInit, deps: OAuthDeps): Promise<HttpAnswer> {
  const doFetch = deps.fetch ?? fetch;
  let res: Response;
  let text: string;
  try {
    res = await doFetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_OAUTH_TIMEOUT_MS) });
    text = await res.text();
  } catch (e) {
    throw transientFailure(label, 'NETWORK', `network error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (res.status >= 500 || res.status === 429) throw transientFailure(label, `HTTP_${res.status}`, `HTTP ${res.status}`, res.status === 429);
  let json: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = null;
  }
  if (json === null && res.ok) throw transientFailure(label, 'BAD_JSON', 'the answer is not a JSON object');
  return { status: res.status, json };
}

/** A required non-empty string field of a token answer, or a transient failure naming it. */
export function tokenField(label: string, obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  // A success envelope without the token is a platform glitch, not a refusal: worth another try.
  throw transientFailure(label, 'BAD_ANSWER', `the answer has no ${key}`);
}

export function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A positive number of seconds (number or numeric string) → epoch ms from now; else undefined. */
export function expiresInToAt(now: number, seconds: unknown): number | undefined {
  const n = typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : seconds;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
  return now + Math.round(n * 1000);
}

/** An absolute UNIX time in seconds (number or numeric string) → epoch ms; else undefined. */
export function unixSecondsToMs(seconds: unknown): number | undefined {
  const n = typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : seconds;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
  return Math.round(n * 1000);
}

/** `${base}${path}` with the base's trailing slashes dropped, so a base with a prefix keeps it. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** A URL with query params appended (URLSearchParams encodes them). */
export function withQuery(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** Drop undefined fields so `exactOptionalPropertyTypes` callers get a clean TokenSet. */
export function tokenSet(t: { accessToken: string; refreshToken?: string | undefined; accessTokenExpiresAt?: number | undefined; refreshTokenExpiresAt?: number | undefined; account?: string | undefined }): TokenSet {
  return {
    accessToken: t.accessToken,
    ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
    ...(t.accessTokenExpiresAt !== undefined ? { accessTokenExpiresAt: t.accessTokenExpiresAt } : {}),
    ...(t.refreshTokenExpiresAt !== undefined ? { refreshTokenExpiresAt: t.refreshTokenExpiresAt } : {}),
    ...(t.account ? { account: t.account } : {}),
  };
}

/** Where one platform's token answer keeps what `access_token` and `refresh_token` do not say. */
export interface TokenAnswerShape {
  /** The account's name or id fields, the first one present wins. */
  account: readonly string[];
  /** The refresh token's lifetime in seconds from now, when the answer has one. */
  refreshExpiresIn?: string;
  /** Absolute expiries in UNIX seconds, preferred to the relative `expires_in` ones when present. */
  expiresAt?: string;
  refreshExpiresAt?: string;
}

/** A token answer (`access_token`, `refresh_token`, `expires_in` and the platform's own fields) → TokenSet. */
export function readTokenAnswer(label: string, answer: Record<string, unknown>, now: number, shape: TokenAnswerShape): TokenSet {
  const at = (key: string | undefined) => (key ? unixSecondsToMs(answer[key]) : undefined);
  const inSeconds = (key: string | undefined) => (key ? expiresInToAt(now, answer[key]) : undefined);
  return tokenSet({
    accessToken: tokenField(label, answer, 'access_token'),
    refreshToken: optionalString(answer, 'refresh_token'),
    accessTokenExpiresAt: at(shape.expiresAt) ?? expiresInToAt(now, answer.expires_in),
    refreshTokenExpiresAt: at(shape.refreshExpiresAt) ?? inSeconds(shape.refreshExpiresIn),
    account: shape.account.reduce<string | undefined>((found, key) => found ?? optionalString(answer, key), undefined),
  });
}

/** An answer that is neither a token nor a refusal the platform words: worth another try. */
export function unexpectedAnswer(label: string, status: number): AppError {
  return transientFailure(label, `HTTP_${status}`, `unexpected answer (HTTP ${status})`);
}

/** A gateway's numbered refusal: throttling and transient codes are retried, any other refuses the grant. */
export function gatewayRefusal(label: string, code: number, message: string, throttle: ReadonlySet<number>, transient: ReadonlySet<number>): AppError {
  if (throttle.has(code)) return transientFailure(label, code, message, true);
  if (transient.has(code)) return transientFailure(label, code, message);
  return grantRejected(label, Number.isFinite(code) ? code : 'error', message);
}
