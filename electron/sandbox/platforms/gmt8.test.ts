// The gateways' own GMT+8 clock, checked against times worked out by hand (UTC + 8 hours).
import { describe, expect, it } from 'vitest';
import { formatGmt8, parseGmt8 } from './gmt8.ts';

describe('sandbox GMT+8 time text', () => {
  it('writes epoch ms as GMT+8 wall time, whole seconds', () => {
    expect(formatGmt8(0)).toBe('1970-01-01 08:00:00');
    // 2024-03-01 02:31:00 UTC is 10:31 in Beijing (the TB4 vector's timestamp).
    expect(formatGmt8(Date.UTC(2024, 2, 1, 2, 31, 0))).toBe('2024-03-01 10:31:00');
    // 16:00 UTC crosses into the next GMT+8 day; the milliseconds are dropped, not rounded.
    expect(formatGmt8(Date.UTC(2023, 11, 31, 16, 0, 0, 999))).toBe('2024-01-01 00:00:00');
    expect(formatGmt8(Date.UTC(2024, 1, 29, 15, 59, 59, 500))).toBe('2024-02-29 23:59:59');
    expect(() => formatGmt8(Number.NaN)).toThrow(RangeError);
  });

  it('reads GMT+8 wall time back to epoch ms and refuses other shapes', () => {
    expect(parseGmt8('2024-03-01 10:31:00')).toBe(Date.UTC(2024, 2, 1, 2, 31, 0));
    expect(parseGmt8('1970-01-01 08:00:00')).toBe(0);
    expect(parseGmt8('2024-01-01 00:00:00')).toBe(Date.UTC(2023, 11, 31, 16, 0, 0));
    for (const bad of ['', '2024-03-01T10:31:00', '2024-03-01 10:31', '2024-3-1 10:31:00', '2024-03-01 10:31:00.000+0800', ' 2024-03-01 10:31:00']) {
      expect(parseGmt8(bad), bad).toBeNaN();
    }
  });

  it('round-trips whole seconds', () => {
    for (const ms of [0, 1_709_260_260_000, 1_704_038_400_000, 4_102_444_799_000]) expect(parseGmt8(formatGmt8(ms))).toBe(ms);
  });
});
