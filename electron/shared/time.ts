// Times are stored as epoch ms UTC and shown as the team's clocks show them (Asia/Shanghai),
// the same in the workbench, exports and the CLI.
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

/** Durations in ms, for limits and windows written as 30 * MINUTE rather than 1_800_000. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;

const dateTimeParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Epoch ms → "2025-03-08 14:05:09" in Asia/Shanghai ("2025-03-08 14:05" without seconds). */
export function formatShanghai(ms: number, withSeconds = true): string {
  const p: Record<string, string> = {};
  for (const part of dateTimeParts.formatToParts(new Date(ms))) p[part.type] = part.value;
  const base = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return withSeconds ? `${base}:${p.second}` : base;
}
