import { describe, expect, it } from 'vitest';
import { formatCover } from './stock-words.ts';

describe('days of cover in words', () => {
  it('rounds down, so a SKU never looks further from running out than it is', () => {
    expect(formatCover(null)).toBe('—');
    expect(formatCover(0)).toBe('0.0');
    expect(formatCover(2.99)).toBe('2.9');
    expect(formatCover(9.96)).toBe('9.9');
    expect(formatCover(10.9)).toBe('10');
    expect(formatCover(1234)).toBe('999+');
  });
});
