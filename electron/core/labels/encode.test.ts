// Encoders: every language's bytes decode back to the very bitmap that went in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bitmapsEqual, createBitmap, getPixel, type Bitmap } from './bitmap.ts';
import { decodeEscPos, decodeTspl, decodeZpl, encodeEscPos, encodeTspl, encodeZpl } from './encode.ts';
import { labelToBitmap } from './raster.ts';
import { sampleLabelData } from './sample-data.ts';

/** The decoded bitmap may be padded to whole bytes: the real pixels must match and the padding be white. */
function expectSamePixels(decoded: Bitmap, original: Bitmap): void {
  expect(decoded.height).toBe(original.height);
  expect(decoded.width).toBeGreaterThanOrEqual(original.width);
  expect(decoded.width - original.width).toBeLessThan(8);
  for (let y = 0; y < original.height; y++) {
    for (let x = 0; x < decoded.width; x++) {
      const want = x < original.width ? getPixel(original, x, y) : 0;
      if (getPixel(decoded, x, y) !== want) throw new Error(`pixel ${x},${y}: got ${getPixel(decoded, x, y)} want ${want}`);
    }
  }
}

const arbBitmap = fc
  .record({ width: fc.integer({ min: 1, max: 90 }), height: fc.integer({ min: 1, max: 300 }), seed: fc.integer() })
  .map(({ width, height, seed }) => {
    const bm = createBitmap(width, height);
    let s = seed >>> 0 || 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        s = (s * 1103515245 + 12345) >>> 0;
        if ((s >>> 16) & 1) bm.data[y * bm.stride + (x >> 3)] = (bm.data[y * bm.stride + (x >> 3)] as number) | (0x80 >> (x & 7));
      }
    }
    return bm;
  });

describe('label encoders round-trip', () => {
  const label203 = labelToBitmap(sampleLabelData(), { dpi: 203 });
  const label300 = labelToBitmap(sampleLabelData({ seq: 1, total: 1 }), { dpi: 300 });

  it('renders 76×130 at 203 dpi as 608×1040 dots and at 300 dpi as 898 dots wide', () => {
    expect([label203.width, label203.height, label203.stride]).toEqual([608, 1040, 76]);
    expect([label300.width, label300.height]).toEqual([898, 1535]);
  });

  it('TSPL: SIZE/GAP/CLS/BITMAP/PRINT with inverted bits, decoded to the same pixels', () => {
    const bytes = encodeTspl(label203, { widthMm: 76, heightMm: 130 }, 2);
    const head = bytes.toString('latin1', 0, 80);
    expect(head).toMatch(/^SIZE 76 mm,130 mm\r\nGAP 2 mm,0 mm\r\n/);
    expect(bytes.toString('latin1')).toContain('BITMAP 0,0,76,1040,0,');
    expect(bytes.toString('latin1').endsWith('\r\nPRINT 1,2\r\n')).toBe(true);
    // TSPL prints 0 bits: a white first row byte is 0xFF on the wire.
    const dataStart = bytes.indexOf('BITMAP 0,0,76,1040,0,') + 'BITMAP 0,0,76,1040,0,'.length;
    expect(bytes[dataStart]).toBe(~(label203.data[0] as number) & 0xff);
    const decoded = decodeTspl(bytes);
    expect([decoded.widthMm, decoded.heightMm, decoded.gapMm, decoded.copies]).toEqual([76, 130, 2, 2]);
    expect(bitmapsEqual(decoded.bitmap, label203)).toBe(true);
    expectSamePixels(decodeTspl(encodeTspl(label300, { widthMm: 76, heightMm: 130 })).bitmap, label300);
  });

  it('ZPL: ^GFA hex field decoded to the same pixels', () => {
    const bytes = encodeZpl(label203);
    expect(bytes.toString('latin1')).toMatch(/^\^XA\^PW608\^LL1040\^LH0,0\^FO0,0\^GFA,79040,79040,76,[0-9A-F]+\^FS\^PQ1\^XZ\n$/);
    expect(bitmapsEqual(decodeZpl(bytes).bitmap, label203)).toBe(true);
    expectSamePixels(decodeZpl(encodeZpl(label300)).bitmap, label300);
  });

  it('ESC/POS: GS v 0 bands of ≤ 255 rows and ≤ 4 KB, stacked back to the same pixels', () => {
    const bytes = encodeEscPos(label203, { cut: true });
    expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    let pos = 2;
    let rows = 0;
    while (bytes[pos] === 0x1d && bytes[pos + 1] === 0x76) {
      const stride = (bytes[pos + 4] as number) | ((bytes[pos + 5] as number) << 8);
      const n = (bytes[pos + 6] as number) | ((bytes[pos + 7] as number) << 8);
      expect(stride).toBe(76);
      expect(n).toBeLessThanOrEqual(255);
      expect(stride * n).toBeLessThanOrEqual(4096);
      rows += n;
      pos += 8 + stride * n;
    }
    expect(rows).toBe(1040);
    expect([...bytes.subarray(pos)]).toEqual([0x1d, 0x56, 0x01]);
    expect(bitmapsEqual(decodeEscPos(bytes), label203)).toBe(true);
    expectSamePixels(decodeEscPos(encodeEscPos(label300)), label300);
  });

  it('round-trips arbitrary bitmaps (odd widths, any pattern) in all three languages', () => {
    fc.assert(
      fc.property(arbBitmap, (bm) => {
        expectSamePixels(decodeTspl(encodeTspl(bm, { widthMm: 10, heightMm: 10 })).bitmap, bm);
        expectSamePixels(decodeZpl(encodeZpl(bm)).bitmap, bm);
        expectSamePixels(decodeEscPos(encodeEscPos(bm)), bm);
      }),
      { numRuns: 150 },
    );
  });

  it('decoders refuse bytes that are not what we emit', () => {
    const tspl = encodeTspl(label203, { widthMm: 76, heightMm: 130 });
    expect(() => decodeTspl(tspl.subarray(0, tspl.length - 5000))).toThrow(/short/);
    expect(() => decodeZpl(Buffer.from('^XA^FO0,0^GFA,4,4,1,00FF^FS^XZ'))).toThrow(/4 bytes/);
    expect(() => decodeEscPos(Buffer.from([0x1b, 0x40, 0x07]))).toThrow(/unexpected/);
  });
});
