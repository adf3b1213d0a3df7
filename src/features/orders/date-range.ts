// Calendar days for the date filters, always Asia/Shanghai days (docs/architecture.md#conventions, 6: times
// are shown in Shanghai time), whatever the computer's own time zone: a day is "YYYY-MM-DD", a range of days
// is epoch ms from the first day's 00:00:00.000 to the last day's 23:59:59.999 — what the core's filter
// compares created_at / paid_at against (inclusive at both ends).
import type { DateShortcut } from '../../../electron/shared/contract.ts';
import { shanghaiDayToMs } from '../../i18n/format.ts';

/** Shanghai has been UTC+8 without daylight saving since 1991. */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Epoch ms → its Shanghai calendar day. */
export function dayOf(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A typed day if it is a real calendar day written YYYY-MM-DD (also accepts / and . and one-digit parts). */
export function parseDay(text: string): string | null {
  const m = /^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

export function addDays(day: string, n: number): string {
  return dayOf(shanghaiDayToMs(day, 'start')! + n * DAY_MS);
}

export interface DayRange {
  from: number;
  to: number;
}

/** Days [first, last] (either order) as the epoch-ms range the filter takes. */
export function rangeOfDays(first: string, last: string): DayRange {
  const [a, b] = first <= last ? [first, last] : [last, first];
  return { from: shanghaiDayToMs(a, 'start')!, to: shanghaiDayToMs(b, 'end')! };
}

/** The range a shortcut means at `now`: today, yesterday, or the last 7 / 30 days including today. */
export function shortcutRange(s: DateShortcut, now: number): DayRange {
  const today = dayOf(now);
  switch (s) {
    case 'today':
      return rangeOfDays(today, today);
    case 'yesterday':
      return rangeOfDays(addDays(today, -1), addDays(today, -1));
    case 'last7':
      return rangeOfDays(addDays(today, -6), today);
    case 'last30':
      return rangeOfDays(addDays(today, -29), today);
  }
}

/** The weeks of a month as days (null = padding), weeks starting on Monday as Chinese calendars do. */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${pad(year, 4)}-${pad(month)}-${pad(d)}`);
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}
