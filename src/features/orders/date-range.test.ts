import { describe, expect, it } from 'vitest';
import { addDays, dayOf, monthGrid, parseDay, rangeOfDays, shortcutRange } from './date-range.ts';

// 2025-01-02 16:30 UTC is already 2025-01-03 00:30 in Shanghai: "today" is the 3rd there.
const JUST_AFTER_SHANGHAI_MIDNIGHT = Date.UTC(2025, 0, 2, 16, 30);
const startOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 8 * 3600_000;

describe('date filter days (Asia/Shanghai)', () => {
  it('counts today in Shanghai, not in UTC or the computer zone', () => {
    expect(dayOf(JUST_AFTER_SHANGHAI_MIDNIGHT)).toBe('2025-01-03');
    expect(shortcutRange('today', JUST_AFTER_SHANGHAI_MIDNIGHT)).toEqual({ from: startOf(2025, 1, 3), to: startOf(2025, 1, 4) - 1 });
    expect(shortcutRange('yesterday', JUST_AFTER_SHANGHAI_MIDNIGHT)).toEqual({ from: startOf(2025, 1, 2), to: startOf(2025, 1, 3) - 1 });
  });

  it('makes the last 7 and 30 days include today, across a month and a year end', () => {
    expect(shortcutRange('last7', JUST_AFTER_SHANGHAI_MIDNIGHT)).toEqual({ from: startOf(2024, 12, 28), to: startOf(2025, 1, 4) - 1 });
    expect(shortcutRange('last30', JUST_AFTER_SHANGHAI_MIDNIGHT)).toEqual({ from: startOf(2024, 12, 5), to: startOf(2025, 1, 4) - 1 });
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('reads typed days strictly and orders a range picked backwards', () => {
    expect(parseDay('2025-1-9')).toBe('2025-01-09');
    expect(parseDay('2025/02/28')).toBe('2025-02-28');
    expect(parseDay('2025-02-29')).toBeNull();
    expect(parseDay('02/28/2025')).toBeNull();
    expect(parseDay('')).toBeNull();
    expect(rangeOfDays('2025-01-09', '2025-01-02')).toEqual({ from: startOf(2025, 1, 2), to: startOf(2025, 1, 10) - 1 });
  });

  it('lays a month out in weeks from Monday', () => {
    // 2025-01-01 was a Wednesday.
    const grid = monthGrid(2025, 1);
    expect(grid[0]).toEqual([null, null, '2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05']);
    expect(grid.flat().filter(Boolean)).toHaveLength(31);
    expect(grid.every((w) => w.length === 7)).toBe(true);
  });
});
