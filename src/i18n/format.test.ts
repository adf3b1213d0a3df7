import { describe, expect, it } from 'vitest';
import { formatFen, formatTime, shanghaiDayToMs } from './format.ts';

describe('display formats', () => {
  it('shows fen as yuan with two decimals and grouping', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-250)).toBe('-¥2.50');
  });

  it('shows times in Asia/Shanghai regardless of the machine zone', () => {
    // 2025-01-01T16:30:00Z is 2025-01-02 00:30 in Shanghai.
    expect(formatTime(Date.UTC(2025, 0, 1, 16, 30, 0))).toBe('2025-01-02 00:30');
    expect(formatTime(Date.UTC(2025, 0, 1, 16, 30, 7), true)).toBe('2025-01-02 00:30:07');
    expect(formatTime(null)).toBe('—');
  });

  it('turns a Shanghai calendar day into its first and last millisecond', () => {
    const start = shanghaiDayToMs('2025-01-02', 'start')!;
    const end = shanghaiDayToMs('2025-01-02', 'end')!;
    expect(formatTime(start, true)).toBe('2025-01-02 00:00:00');
    expect(formatTime(end, true)).toBe('2025-01-02 23:59:59');
    expect(end - start).toBe(86_400_000 - 1);
    expect(shanghaiDayToMs('bad', 'start')).toBeUndefined();
  });
});
