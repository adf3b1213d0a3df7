// Sync health in words a person understands: the recorded "CODE: message" mapped to what happened and
// what to do, "3 分钟前" for times, and lag/durations in the largest sensible unit. Pure functions that
// return message keys, so they are tested without a renderer; describe* wraps them with t().
import type { TFunction } from 'i18next';

export type SyncErrorKind = 'SHOP_AUTH_EXPIRED' | 'throttled' | 'network' | 'timeout' | 'PLATFORM_ERROR' | 'INVALID_STATE' | 'other';

// Adapters word these differently per platform (TOP code 7 "App Call Limited", PDD 70031, HTTP 429,
// Chinese texts like 调用频率超限), so the match is on words every one of them uses.
const THROTTLED = /throttl|rate.?limit|call limit|limited|too many|\b429\b|限流|频繁|超限|频率/i;
const TIMEOUT = /timeout|timed out|ETIMEDOUT|超时/i;
const NETWORK = /unreachable|network|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|fetch failed|socket|无法连接/i;

/** What kind of failure a recorded "CODE: message" is. */
export function classifySyncError(raw: string): SyncErrorKind {
  const m = /^([A-Z_]+):\s*([\s\S]*)$/.exec(raw);
  const code = m?.[1] ?? '';
  const message = m?.[2] ?? raw;
  if (code === 'SHOP_AUTH_EXPIRED') return 'SHOP_AUTH_EXPIRED';
  if (code === 'INVALID_STATE') return 'INVALID_STATE';
  if (THROTTLED.test(message)) return 'throttled';
  if (TIMEOUT.test(message)) return 'timeout';
  if (NETWORK.test(message)) return 'network';
  if (code === 'PLATFORM_ERROR') return 'PLATFORM_ERROR';
  return 'other';
}

/** The recorded error in words, or null when there is none. */
export function describeSyncError(t: TFunction, raw: string | null): string | null {
  return raw === null ? null : t(`syncError.${classifySyncError(raw)}`);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Amount {
  unit: 'ms' | 'seconds' | 'minutes' | 'hours' | 'days';
  count: number;
}

/** A span in its largest whole unit (89 s → 1 minute; 25 h → 1 day). Negative spans count as 0. */
export function spanOf(ms: number): Amount {
  const v = Math.max(0, ms);
  if (v < SECOND) return { unit: 'ms', count: Math.round(v) };
  if (v < MINUTE) return { unit: 'seconds', count: Math.floor(v / SECOND) };
  if (v < HOUR) return { unit: 'minutes', count: Math.floor(v / MINUTE) };
  if (v < DAY) return { unit: 'hours', count: Math.floor(v / HOUR) };
  return { unit: 'days', count: Math.floor(v / DAY) };
}

/** "3 分钟前"; under 10 seconds (or a clock slightly ahead) is "刚刚". */
export function describeAgo(t: TFunction, at: number | null, now: number): string | null {
  if (at === null) return null;
  if (now - at < 10 * SECOND) return t('ago.justNow');
  const s = spanOf(now - at);
  return t(`ago.${s.unit}`, { count: s.count });
}

/** A lag or duration: "45 秒", "2 小时"; "—" for none. */
export function describeSpan(t: TFunction, ms: number | null): string {
  if (ms === null) return t('duration.none');
  const s = spanOf(ms);
  return t(`duration.${s.unit}`, { count: s.count });
}
