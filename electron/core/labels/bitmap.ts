// The 1-bit label bitmap every printer language carries: rows padded to whole bytes, MSB first,
// 1 = black (the PBM P4 and ESC/POS/ZPL layout) — plus PBM reading and pixel comparison for tests.

export interface Bitmap {
  width: number;
  height: number;
  /** Bytes per row: ceil(width / 8). */
  stride: number;
  data: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  const stride = Math.ceil(width / 8);
  return { width, height, stride, data: new Uint8Array(stride * height) };
}

export function getPixel(bm: Bitmap, x: number, y: number): 0 | 1 {
  return ((bm.data[y * bm.stride + (x >> 3)] as number) >> (7 - (x & 7))) & 1 ? 1 : 0;
}

export function blackCount(bm: Bitmap, region?: { x: number; y: number; w: number; h: number }): number {
  const r = region ?? { x: 0, y: 0, w: bm.width, h: bm.height };
  let n = 0;
  for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) n += getPixel(bm, x, y);
  return n;
}

/** Reads a binary PBM (P4), what `pdftoppm -mono` writes. */
export function parsePbm(bytes: Uint8Array): Bitmap {
  // Header: "P4", whitespace, width, whitespace, height, one whitespace byte; '#' starts a comment line.
  let pos = 0;
  const tokens: string[] = [];
  while (tokens.length < 3) {
    while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos] as number))) pos++;
    if (bytes[pos] === 0x23) {
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      continue;
    }
    let tok = '';
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos] as number))) tok += String.fromCharCode(bytes[pos++] as number);
    tokens.push(tok);
  }
  pos++;
  if (tokens[0] !== 'P4') throw new Error(`not a binary PBM (magic ${tokens[0]})`);
  const width = Number(tokens[1]);
  const height = Number(tokens[2]);
  const bm = createBitmap(width, height);
  if (bytes.length - pos < bm.data.length) throw new Error('PBM data is short');
  bm.data.set(bytes.subarray(pos, pos + bm.data.length));
  return bm;
}

export function toPbm(bm: Bitmap): Uint8Array {
  const head = Buffer.from(`P4\n${bm.width} ${bm.height}\n`, 'ascii');
  return Buffer.concat([head, bm.data]);
}

export interface Agreement {
  /** Pixels compared (the overlap of both sizes). */
  pixels: number;
  /** Share of compared pixels with the same value. */
  equal: number;
  /** Black pixels in both ÷ black in either: the agreement of the ink alone, not of the paper. */
  inkOverlap: number;
  blackA: number;
  blackB: number;
}

/** Pixel agreement of two bitmaps over their common area (sizes may differ by a rounding dot). */
export function compareBitmaps(a: Bitmap, b: Bitmap): Agreement {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let same = 0;
  let both = 0;
  let either = 0;
  let blackA = 0;
  let blackB = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const pa = getPixel(a, x, y);
      const pb = getPixel(b, x, y);
      blackA += pa;
      blackB += pb;
      if (pa === pb) same++;
      if (pa & pb) both++;
      if (pa | pb) either++;
    }
  }
  return { pixels: w * h, equal: same / (w * h), inkOverlap: either ? both / either : 1, blackA, blackB };
}

export function bitmapsEqual(a: Bitmap, b: Bitmap): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  // Padding bits past the width carry no pixels; compare only real ones.
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) if (getPixel(a, x, y) !== getPixel(b, x, y)) return false;
  return true;
}
