// Display formats shared by every screen: money from integer fen, times in Asia/Shanghai.
import { formatShanghai } from '../../electron/shared/time.ts';

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 12345 fen → "¥123.45"; negative amounts keep their sign before the symbol. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  return `${sign}¥${yuan.format(Math.abs(fen) / 100)}`;
}

/** Epoch ms → "2025-03-08 14:05" in Asia/Shanghai (seconds optional); "—" when there is none. */
export function formatTime(ms: number | null | undefined, withSeconds = false): string {
  if (ms === null || ms === undefined) return '—';
  return formatShanghai(ms, withSeconds);
}

/** A date input value ("2025-03-08") read as a Shanghai calendar day → epoch ms of its start or end. */
export function shanghaiDayToMs(day: string, edge: 'start' | 'end'): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  // Shanghai has been UTC+8 without daylight saving since 1991.
  const startUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - 8 * 3600_000;
  return edge === 'start' ? startUtc : startUtc + 24 * 3600_000 - 1;
}
