// Pure helpers of the 物流 page: how long a problem has stood (days + hours), carrier names, and the
// scorecard's sort — kept out of the components so they are tested under plain Node.
import { CARRIERS } from '../../../electron/shared/carriers.ts';
import type { ScorecardRow } from '../../../electron/shared/contract.ts';

/** A problem can appear without any write (24 h simply pass): the views look again this often. */
export const EXCEPTIONS_REFRESH_MS = 5 * 60_000;

/** An age in ms → whole days and the hours left over (floored: "1 天 23 小时" until it is 2 days). */
export function ageParts(ms: number): { d: number; h: number } {
  const hours = Math.max(0, Math.floor(ms / 3_600_000));
  return { d: Math.floor(hours / 24), h: hours % 24 };
}

export function carrierName(code: string, zh: boolean): string {
  const c = CARRIERS.find((x) => x.code === code);
  return c ? (zh ? c.zh : c.en) : code;
}

export const SCORECARD_KEYS = ['carrierCode', 'province', 'shipped', 'signed', 'medianHours', 'p90Hours', 'exceptionRate'] as const;
export type ScorecardKey = (typeof SCORECARD_KEYS)[number];

/** Sorted copy; rows without a value (no signed package → no median) go last whichever the direction. */
export function sortScorecard(rows: readonly ScorecardRow[], key: ScorecardKey, dir: 'asc' | 'desc'): ScorecardRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, 'zh-CN') : (x as number) - (y as number);
    return c * sign || a.carrierCode.localeCompare(b.carrierCode) || a.province.localeCompare(b.province, 'zh-CN');
  });
}
