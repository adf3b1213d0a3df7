import { describe, expect, it } from 'vitest';
import { priceToFen } from './ChangeRequestForm.tsx';

describe('priceToFen', () => {
  it('reads yuan amounts into integer fen without float error', () => {
    expect(priceToFen('12')).toBe(1200);
    expect(priceToFen('12.5')).toBe(1250);
    expect(priceToFen('0.07')).toBe(7);
    expect(priceToFen(' 19.99 ')).toBe(1999);
    expect(priceToFen('0.29')).toBe(29);
  });
  it('refuses what is not an amount', () => {
    expect(priceToFen('')).toBeNull();
    expect(priceToFen('-1')).toBeNull();
    expect(priceToFen('1.234')).toBeNull();
    expect(priceToFen('abc')).toBeNull();
  });
});
