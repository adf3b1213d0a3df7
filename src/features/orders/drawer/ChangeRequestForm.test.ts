import { describe, expect, it } from 'vitest';
import { yuanToFen } from './ChangeRequestForm.tsx';

describe('yuanToFen', () => {
  it('reads yuan amounts into integer fen without float error', () => {
    expect(yuanToFen('12')).toBe(1200);
    expect(yuanToFen('12.5')).toBe(1250);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen(' 19.99 ')).toBe(1999);
    expect(yuanToFen('0.29')).toBe(29);
  });
  it('refuses what is not an amount', () => {
    expect(yuanToFen('')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
  });
});
