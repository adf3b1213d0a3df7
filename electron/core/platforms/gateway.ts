// What every platform adapter does the same way around its gateway: the transport call with its
// failure classes, the window check, and newest-first paging walked from the last page backwards.
// Signing, parameters, error codes and payload shapes stay in each platform's own folder.
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { shopSettings, type PageToken, type PulledPage, type PullWindow, type ShopRecord } from './contract.ts';

export interface PlatformErrorDetails {
  code: number | string;
  /** Worth trying again next round (5xx, network, throttling, transient platform codes). */
  retryable: boolean;
  /** The platform asked us to slow down. */
  throttled: boolean;
  [extra: string]: unknown;
}

/**
 * A platform's error, or a transport failure on the way to it. It names the platform.error reason, so
 * a person reads the platform's own words (subMsg when it gave some) wherever it surfaces.
 */
export const platformError = (message: string, details: PlatformErrorDetails): AppError =>
  reasonError('platform.error', { ...details, platformWords: typeof details.subMsg === 'string' && details.subMsg !== '' ? details.subMsg : message }, message);

/** The platform refused the shop's token: only the seller re-authorising helps (the shop.auth_expired reason). */
export const authExpiredError = (message: string, details: Record<string, unknown> = {}): AppError =>
  reasonError('shop.auth_expired', { ...details, reason: message }, message);

/**
 * One HTTP call whose answer must be a JSON object. Network failures, 5xx/429 and cut-off or
 * garbled bodies are transport problems — retryable; other HTTP statuses are not.
 */
export async function fetchJsonObject(label: string, url: string | URL, init: RequestInit, timeoutMs: number): Promise<Record<string, unknown>> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (e) {
    throw platformError(`${label}: network error: ${e instanceof Error ? e.message : String(e)}`, { code: 'NETWORK', retryable: true, throttled: false });
  }
  if (!res.ok) {
    const retryable = res.status >= 500 || res.status === 429;
    throw platformError(`${label}: HTTP ${res.status}`, { code: `HTTP_${res.status}`, retryable, throttled: res.status === 429 });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // A cut-off or garbled body is a transport problem: the same request may well succeed next round.
    throw platformError(`${label}: response is not valid JSON`, { code: 'BAD_JSON', retryable: true, throttled: false });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw platformError(`${label}: response is not a JSON object`, { code: 'BAD_JSON', retryable: true, throttled: false });
  }
  return json as Record<string, unknown>;
}

/** Refuse an empty, reversed or over-long window before spending a call on it. */
export function checkWindow(label: string, window: PullWindow, maxWindowMs: number): void {
  const { fromMs, toMs } = window;
  const fail = (m: string): AppError => platformError(`${label}: ${m}`, { code: 'BAD_WINDOW', retryable: false, throttled: false });
  if (!(toMs > fromMs)) throw fail(`empty or reversed window ${fromMs}..${toMs}`);
  if (toMs - fromMs > maxWindowMs) throw fail(`window of ${toMs - fromMs} ms exceeds the ${maxWindowMs} ms limit`);
}

export interface CountedPage {
  total: number;
  payloads: unknown[];
}

/**
 * Newest-first paging, walked from the last page down to the first. The first call (page null)
 * reads the first page to learn the total; if that is the whole window it is done, otherwise it
 * fetches the last page. Sorted newest first, an order that changes while we page leaves the
 * window and shifts older orders toward pages not yet read — so nothing is skipped (at worst one
 * is read twice), unlike paging forwards. The token is the next page number to fetch.
 */
export async function pullBackwards(opts: {
  label: string;
  page: PageToken | null;
  pageSize: number;
  /** The platform's first page number (0 or 1). */
  firstPage: 0 | 1;
  fetchPage: (page: number) => Promise<CountedPage>;
}): Promise<PulledPage> {
  const { label, pageSize, firstPage, fetchPage } = opts;
  const lastOf = (total: number): number => Math.max(firstPage, Math.ceil(total / pageSize) - 1 + firstPage);
  if (opts.page === null) {
    const first = await fetchPage(firstPage);
    let lastNo = lastOf(first.total);
    if (lastNo === firstPage) return { payloads: first.payloads, next: null };
    let lastPage = await fetchPage(lastNo);
    // The window grew between the two calls (a late-indexed change): start from its new end.
    for (let tries = 0; tries < 3 && lastOf(lastPage.total) > lastNo; tries += 1) {
      lastNo = lastOf(lastPage.total);
      lastPage = await fetchPage(lastNo);
    }
    return { payloads: lastPage.payloads, next: String(lastNo - 1) };
  }
  const n = Number(opts.page);
  if (!Number.isInteger(n) || n < firstPage) {
    throw platformError(`${label}: bad page token "${opts.page}"`, { code: 'BAD_TOKEN', retryable: false, throttled: false });
  }
  const got = await fetchPage(n);
  return { payloads: got.payloads, next: n > firstPage ? String(n - 1) : null };
}

/**
 * What a shop of any gateway platform keeps in its settings, with the secrets merged in memory by
 * the scheduler (shops/secrets.ts). pageSize (1..100) and timeoutMs are optional overrides.
 */
export interface GatewaySettings {
  gateway: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  pageSize?: number;
  timeoutMs?: number;
}

/**
 * Read a shop's gateway settings; a missing credential is INVALID_STATE naming the key.
 * `secretKeys` lists where the signing secret may live, first found wins (Kuaishou's signSecret
 * before its appSecret); the error names the first.
 */
export function gatewaySettings(
  shop: Pick<ShopRecord, 'id' | 'settings'>,
  label: string,
  defaultGateway: string,
  secretKeys: readonly string[] = ['appSecret'],
): GatewaySettings {
  const s = shopSettings(shop);
  const opt = (key: string): string | undefined => (typeof s[key] === 'string' && s[key] !== '' ? (s[key] as string) : undefined);
  const req = (key: string, value = opt(key)): string => {
    if (value === undefined) throw reasonError('shop.settings_missing', { shopId: shop.id, key }, `${label} shop settings lack "${key}"`);
    return value;
  };
  const pageSize = typeof s.pageSize === 'number' && Number.isInteger(s.pageSize) && s.pageSize >= 1 && s.pageSize <= 100 ? s.pageSize : undefined;
  const timeoutMs = typeof s.timeoutMs === 'number' && s.timeoutMs > 0 ? s.timeoutMs : undefined;
  return {
    gateway: opt('gateway')?.replace(/\/+$/, '') ?? defaultGateway,
    appKey: req('appKey'),
    appSecret: req(secretKeys[0] ?? 'appSecret', secretKeys.map(opt).find((v) => v !== undefined)),
    accessToken: req('accessToken'),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** How a caller keeps under a platform's per-second quota from its own side. */
export interface Pacing {
  /** Start calls at least this far apart. */
  minIntervalMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** Real time: what adapters use; tests may pass a fake clock. */
export const realPacing = (minIntervalMs: number): Pacing => ({ minIntervalMs, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });

/**
 * Sends `items` in chunks of at most `size`, one chunk at a time, starting calls at least
 * `pacing.minIntervalMs` apart (decrypt APIs: a batch-size cap and a call-rate quota). A failing call
 * stops the walk and rejects, so the caller retries the whole request.
 */
export async function pacedBatches<T>(items: readonly T[], size: number, pacing: Pacing, send: (batch: T[]) => Promise<void>): Promise<void> {
  let lastStart = -Infinity;
  for (let i = 0; i < items.length; i += size) {
    const wait = lastStart + pacing.minIntervalMs - pacing.now();
    if (wait > 0) await pacing.sleep(wait);
    lastStart = pacing.now();
    await send(items.slice(i, i + size));
  }
}
