import { describe, expect, it } from 'vitest';
import { allocateFen, fenToYuan, yuanToFen } from './money.ts';

describe('money', () => {
  it('formats fen as yuan exactly', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(1290)).toBe('12.90');
    expect(fenToYuan(-5)).toBe('-0.05');
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
  });

  it('parses yuan strings exactly, whatever their decimals', () => {
    expect(yuanToFen('12.9')).toBe(1290);
    expect(yuanToFen('12.90')).toBe(1290);
    expect(yuanToFen('12')).toBe(1200);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('-1.5')).toBe(-150);
    // 0.1 + 0.2 style float drift cannot happen: digits are read, not multiplied.
    expect(yuanToFen('19.99')).toBe(1999);
  });

  it('round-trips', () => {
    for (const fen of [0, 1, 99, 100, 1999, 123456789, -42]) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });

  it('refuses what is not a yuan amount', () => {
    for (const bad of ['', '1.234', 'abc', '1,000.00', '¥12', '.5']) expect(() => yuanToFen(bad)).toThrow(/yuan amount/);
  });

  it('splits a total over weighted lines so they add up exactly, largest remainder first', () => {
    expect(allocateFen(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateFen(1000, [300, 700])).toEqual([300, 700]);
    expect(allocateFen(7, [1, 2])).toEqual([2, 5]);
    expect(allocateFen(500, [0, 0])).toEqual([500, 0]);
    for (const [total, weights] of [[999, [3, 7, 11]], [1, [5, 5, 5]], [0, [1, 2]]] as const) {
      expect(allocateFen(total, [...weights]).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });
});
