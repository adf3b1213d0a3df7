import { describe, expect, it } from 'vitest';
import { keyedByHand, keyTimesStale } from './keyed.ts';

const at = (start: number, gap: number, n: number) => Array.from({ length: n }, (_, i) => start + i * gap);

describe('keyedByHand', () => {
  it('a scanner burst is not keyed', () => {
    expect(keyedByHand('ZT7300000001', at(1000, 3, 12))).toBe(false);
    // One hiccup in the burst (the event loop was busy) does not change the verdict.
    expect(keyedByHand('ZT7300000001', [...at(1000, 3, 6), ...at(1200, 3, 6)])).toBe(false);
  });
  it('a person typing, a paste and an IME are keyed', () => {
    expect(keyedByHand('ZT7300000001', at(1000, 140, 12))).toBe(true);
    expect(keyedByHand('ZT7300000001', [])).toBe(true);
    expect(keyedByHand('ZT7300000001', at(1000, 3, 4))).toBe(true);
    expect(keyedByHand('Z', [1000])).toBe(true);
  });
  it('more key presses than characters is keyed: the field was edited after a burst', () => {
    // A half-read label left a burst behind; the packer deleted it and pasted the number.
    expect(keyedByHand('ZT7300000001', at(1000, 3, 20))).toBe(true);
  });
  it('only plain typing keeps the key times', () => {
    expect(keyTimesStale('insertText')).toBe(false);
    for (const kind of ['insertFromPaste', 'deleteContentBackward', 'insertCompositionText', 'insertFromDrop', undefined]) expect(keyTimesStale(kind)).toBe(true);
  });
});
