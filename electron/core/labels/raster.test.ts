// Raster backend and labelBytes: sizes per DPI, the calibration offset, and bytes that decode to the label.
import { describe, expect, it } from 'vitest';
import { bitmapsEqual, getPixel } from './bitmap.ts';
import { decodeEscPos, decodeTspl, decodeZpl } from './encode.ts';
import { labelBytes } from './print-bytes.ts';
import { labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';

describe('raster', () => {
  it('sizes each template in printer dots at 203 and 300 dpi', () => {
    const d = sampleLabelData();
    const size = (template: '76x130' | '100x150' | '100x180', dpi: number) => {
      const bm = labelToBitmap(d, { template, dpi });
      return [bm.width, bm.height];
    };
    expect(size('76x130', 203)).toEqual([608, 1040]);
    expect(size('100x150', 203)).toEqual([800, 1200]);
    expect(size('100x180', 203)).toEqual([800, 1440]);
    expect(size('100x150', 300)).toEqual([1181, 1772]);
  });

  it('moves the whole label by the printer calibration offset, dot for dot', () => {
    const d = sampleLabelData();
    const base = labelToBitmap(d);
    const moved = labelToBitmap(d, { offset: { x: 5, y: 3 } });
    let compared = 0;
    for (let y = 0; y < base.height - 3; y += 3) {
      for (let x = 0; x < base.width - 5; x++) {
        if (getPixel(moved, x + 5, y + 3) !== getPixel(base, x, y)) throw new Error(`differs at ${x},${y}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100_000);
    // Nothing was drawn into the strip the offset uncovered.
    for (let y = 0; y < 3; y++) for (let x = 0; x < moved.width; x++) expect(getPixel(moved, x, y)).toBe(0);
  });

  it('is deterministic: the same data gives the same bitmap', () => {
    expect(bitmapsEqual(labelToBitmap(sampleLabelData()), labelToBitmap(sampleLabelData()))).toBe(true);
    expect(bitmapsEqual(labelToBitmap(sampleLabelData()), labelToBitmap(sampleLabelData({ seq: 4 })))).toBe(false);
  });

  it('labelBytes: each language decodes to the label bitmap', () => {
    const d = sampleLabelData();
    const bm = labelToBitmap(d, { template: '100x150' });
    const opts = { dpi: 203, template: '100x150' as const };
    expect(bitmapsEqual(decodeTspl(labelBytes(d, { ...opts, lang: 'tspl' })).bitmap, bm)).toBe(true);
    expect(bitmapsEqual(decodeZpl(labelBytes(d, { ...opts, lang: 'zpl' })).bitmap, bm)).toBe(true);
    expect(bitmapsEqual(decodeEscPos(labelBytes(d, { ...opts, lang: 'escpos' })), bm)).toBe(true);
    const tspl = decodeTspl(labelBytes(d, { ...opts, lang: 'tspl', copies: 2, gapMm: 3 }));
    expect([tspl.widthMm, tspl.heightMm, tspl.gapMm, tspl.copies]).toEqual([100, 150, 3, 2]);
  });
});
