// Printer-language encoders for a 1-bit label bitmap — TSPL BITMAP, ZPL ^GFA, ESC/POS GS v 0 — and
// decoders that read the bitmap back out of those bytes (the test oracle; no emulator exists for TSPL).
import { createBitmap, type Bitmap } from './bitmap.ts';

export type PrinterLang = 'tspl' | 'zpl' | 'escpos';

export interface LabelStock {
  widthMm: number;
  heightMm: number;
  /** Gap between labels; sent with every job so a mis-set sensor cannot drift the stock. Default 2 mm. */
  gapMm?: number;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/**
 * TSPL: SIZE + GAP + CLS, one BITMAP at 0,0 in overwrite mode, PRINT. In TSPL's BITMAP a 0 bit prints
 * (black), so the bytes are the inverse of ours; padding bits become 1 = unprinted.
 */
export function encodeTspl(bm: Bitmap, stock: LabelStock, copies = 1): Buffer {
  const inverted = Buffer.alloc(bm.data.length);
  for (let i = 0; i < bm.data.length; i++) inverted[i] = ~(bm.data[i] as number) & 0xff;
  return Buffer.concat([
    ascii(`SIZE ${fmt(stock.widthMm)} mm,${fmt(stock.heightMm)} mm\r\nGAP ${fmt(stock.gapMm ?? 2)} mm,0 mm\r\nDIRECTION 1\r\nCLS\r\n`),
    ascii(`BITMAP 0,0,${bm.stride},${bm.height},0,`),
    inverted,
    ascii(`\r\nPRINT 1,${copies}\r\n`),
  ]);
}

/** ZPL: print width and label length in dots, the bitmap as an uncompressed ^GFA hex field at the origin. */
export function encodeZpl(bm: Bitmap, copies = 1): Buffer {
  const total = bm.data.length;
  return ascii(
    `^XA^PW${bm.width}^LL${bm.height}^LH0,0^FO0,0^GFA,${total},${total},${bm.stride},${Buffer.from(bm.data).toString('hex').toUpperCase()}^FS^PQ${copies}^XZ\n`,
  );
}

// Many ESC/POS printers garble one tall GS v 0 image; bands of ≤ 255 rows and ≤ 4 KB print everywhere
// (docs/printing/languages.md#escpos).
const ESCPOS_BAND_BYTES = 4096;

/** ESC/POS: ESC @, then the bitmap as GS v 0 raster bands (1 = black, as ours), then an optional cut. */
export function encodeEscPos(bm: Bitmap, opts: { cut?: boolean } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0x1b, 0x40])];
  const bandRows = Math.max(1, Math.min(255, Math.floor(ESCPOS_BAND_BYTES / bm.stride)));
  for (let y = 0; y < bm.height; y += bandRows) {
    const rows = Math.min(bandRows, bm.height - y);
    parts.push(Buffer.from([0x1d, 0x76, 0x30, 0x00, bm.stride & 0xff, bm.stride >> 8, rows & 0xff, rows >> 8]));
    parts.push(Buffer.from(bm.data.subarray(y * bm.stride, (y + rows) * bm.stride)));
  }
  if (opts.cut) parts.push(Buffer.from([0x1d, 0x56, 0x01]));
  return Buffer.concat(parts);
}

export function encodeBitmap(lang: PrinterLang, bm: Bitmap, stock: LabelStock, copies = 1): Buffer {
  switch (lang) {
    case 'tspl':
      return encodeTspl(bm, stock, copies);
    case 'zpl':
      return encodeZpl(bm, copies);
    case 'escpos':
      return encodeEscPos(bm);
  }
}

// ---- decoders (tests and diagnostics) ----

/** Copies src into a bitmap of the given size at (x, y); pixels beyond either edge are dropped. */
function place(src: Bitmap, width: number, height: number, x0: number, y0: number): Bitmap {
  const out = createBitmap(width, height);
  for (let y = 0; y < src.height && y + y0 < height; y++) {
    for (let x = 0; x < src.width && x + x0 < width; x++) {
      if (((src.data[y * src.stride + (x >> 3)] as number) >> (7 - (x & 7))) & 1) {
        const X = x + x0;
        const i = (y + y0) * out.stride + (X >> 3);
        out.data[i] = (out.data[i] as number) | (0x80 >> (X & 7));
      }
    }
  }
  return out;
}

export interface DecodedTspl {
  bitmap: Bitmap;
  widthMm: number;
  heightMm: number;
  gapMm: number;
  copies: number;
}

/**
 * Reads the TSPL we emit: SIZE, GAP, CLS, BITMAP x,y,widthBytes,height,mode,<binary>, PRINT.
 * The bitmap is widthBytes×8 wide (TSPL cannot say the exact width) with TSPL's inverted bits undone.
 */
export function decodeTspl(bytes: Uint8Array): DecodedTspl {
  const buf = Buffer.from(bytes);
  let pos = 0;
  let widthMm = NaN;
  let heightMm = NaN;
  let gapMm = NaN;
  let copies = 0;
  let bitmap: Bitmap | undefined;
  const line = (): string => {
    const end = buf.indexOf(0x0a, pos);
    const s = buf.toString('latin1', pos, end < 0 ? buf.length : end).replace(/\r$/, '');
    pos = end < 0 ? buf.length : end + 1;
    return s;
  };
  while (pos < buf.length) {
    if (buf.toString('latin1', pos, pos + 7) === 'BITMAP ') {
      // Six comma-separated fields, then exactly widthBytes*height bytes of data.
      let commas = 0;
      let p = pos;
      while (commas < 5 && p < buf.length) if (buf[p++] === 0x2c) commas++;
      const [x, y, wb, h, mode] = buf.toString('latin1', pos + 7, p - 1).split(',').map(Number) as [number, number, number, number, number];
      if (mode !== 0) throw new Error(`BITMAP mode ${mode}: only overwrite (0) is emitted`);
      const raw = buf.subarray(p, p + wb * h);
      if (raw.length !== wb * h) throw new Error('BITMAP data is short');
      const bm = createBitmap(wb * 8, h);
      for (let i = 0; i < raw.length; i++) bm.data[i] = ~(raw[i] as number) & 0xff;
      bitmap = x === 0 && y === 0 ? bm : place(bm, wb * 8 + x, h + y, x, y);
      pos = p + wb * h;
      if (buf[pos] === 0x0d) pos++;
      if (buf[pos] === 0x0a) pos++;
      continue;
    }
    const cmd = line().trim();
    let m: RegExpMatchArray | null;
    if ((m = cmd.match(/^SIZE\s+([\d.]+)\s*mm\s*,\s*([\d.]+)\s*mm$/))) {
      widthMm = Number(m[1]);
      heightMm = Number(m[2]);
    } else if ((m = cmd.match(/^GAP\s+([\d.]+)\s*mm\s*,\s*([\d.]+)\s*mm$/))) {
      gapMm = Number(m[1]);
    } else if ((m = cmd.match(/^PRINT\s+(\d+)(?:\s*,\s*(\d+))?$/))) {
      copies = Number(m[1]) * Number(m[2] ?? 1);
    } else if (cmd !== '' && !/^(CLS|DIRECTION\s+\d+)$/.test(cmd)) {
      throw new Error(`unexpected TSPL command: ${cmd.slice(0, 40)}`);
    }
  }
  if (!bitmap) throw new Error('no BITMAP command');
  return { bitmap, widthMm, heightMm, gapMm, copies };
}

/** Reads the ZPL we emit: ^PW/^LL for the label size in dots, ^FO origin and one ^GFA hex field. */
export function decodeZpl(bytes: Uint8Array): { bitmap: Bitmap; copies: number } {
  const s = Buffer.from(bytes).toString('latin1');
  if (!s.startsWith('^XA') || !s.trimEnd().endsWith('^XZ')) throw new Error('not one ^XA…^XZ label');
  const pw = Number(/\^PW(\d+)/.exec(s)?.[1]);
  const ll = Number(/\^LL(\d+)/.exec(s)?.[1]);
  const fo = /\^FO(\d+),(\d+)/.exec(s);
  const gf = /\^GFA,(\d+),(\d+),(\d+),([0-9A-Fa-f]*)\^FS/.exec(s);
  if (!gf || !fo) throw new Error('no ^FO…^GFA field');
  const total = Number(gf[1]);
  const stride = Number(gf[3]);
  const hex = gf[4] as string;
  if (hex.length !== total * 2) throw new Error(`^GFA says ${total} bytes, carries ${hex.length / 2}`);
  const field = createBitmap(stride * 8, total / stride);
  field.data.set(Buffer.from(hex, 'hex'));
  const width = Number.isFinite(pw) ? pw : field.width;
  const height = Number.isFinite(ll) ? ll : field.height;
  return { bitmap: place(field, width, height, Number(fo[1]), Number(fo[2])), copies: Number(/\^PQ(\d+)/.exec(s)?.[1] ?? 1) };
}

/** Reads ESC/POS: ESC @ and a run of GS v 0 bands (normal mode) stacked top to bottom; a trailing cut is allowed. */
export function decodeEscPos(bytes: Uint8Array): Bitmap {
  const buf = Buffer.from(bytes);
  let pos = 0;
  const bands: { stride: number; rows: number; data: Buffer }[] = [];
  while (pos < buf.length) {
    if (buf[pos] === 0x1b && buf[pos + 1] === 0x40) {
      pos += 2;
    } else if (buf[pos] === 0x1d && buf[pos + 1] === 0x76 && buf[pos + 2] === 0x30) {
      const mode = buf[pos + 3] as number;
      if (mode !== 0) throw new Error(`GS v 0 mode ${mode}: only normal density is emitted`);
      const stride = (buf[pos + 4] as number) | ((buf[pos + 5] as number) << 8);
      const rows = (buf[pos + 6] as number) | ((buf[pos + 7] as number) << 8);
      const data = buf.subarray(pos + 8, pos + 8 + stride * rows);
      if (data.length !== stride * rows) throw new Error('GS v 0 data is short');
      bands.push({ stride, rows, data });
      pos += 8 + stride * rows;
    } else if (buf[pos] === 0x1d && buf[pos + 1] === 0x56) {
      pos += 3;
    } else {
      throw new Error(`unexpected ESC/POS byte 0x${(buf[pos] as number).toString(16)} at ${pos}`);
    }
  }
  if (bands.length === 0) throw new Error('no GS v 0 raster');
  const stride = (bands[0] as { stride: number }).stride;
  if (bands.some((b) => b.stride !== stride)) throw new Error('bands of different widths');
  const bm = createBitmap(stride * 8, bands.reduce((n, b) => n + b.rows, 0));
  let off = 0;
  for (const b of bands) {
    bm.data.set(b.data, off);
    off += b.data.length;
  }
  return bm;
}
