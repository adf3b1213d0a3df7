// Sync health in words a person understands: the stored classification (code and kind, decided by
// the scheduler when the round failed) mapped to what happened and what to do, "3 分钟前" for times, and lag/durations in the largest sensible unit. Pure functions that
// return message keys, so they are tested without a renderer; describe* wraps them with t().
import type { TFunction } from 'i18next';
import type { SyncError } from '../../../electron/shared/sync-errors.ts';

/** The syncError.* words for a stored error. */
export type SyncErrorWords = 'auth' | 'throttled' | 'transient' | 'fatal' | 'INVALID_STATE' | 'other';

/** Which words fit a stored error: its kind, except a shop set up wrong and errors not from the platform. */
export function syncErrorWords(e: SyncError): SyncErrorWords {
  if (e.kind === 'auth' || e.kind === 'throttled' || e.kind === 'fatal') return e.kind;
  if (e.code === 'INVALID_STATE') return 'INVALID_STATE';
  return e.code === 'PLATFORM_ERROR' ? 'transient' : 'other';
}

/** The recorded error in words, or null when there is none. */
export function describeSyncError(t: TFunction, e: SyncError | null): string | null {
  return e === null ? null : t(`syncError.${syncErrorWords(e)}`);
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
