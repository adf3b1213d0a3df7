// Column arithmetic for receipt printers in Chinese mode: text is GB18030, where every character that
// needs more than one byte prints as a full-width (24-dot) glyph and ASCII as a half-width (12-dot) one.
// node-thermal-printer counts JS string length and so misaligns CJK (docs/printing/languages.md#escpos); this
// does not.
import iconv from 'iconv-lite';
import { printable } from './doc-text.ts';

/**
 * Characters per line in font A (12×24 dots): 58 mm paper prints 384 dots, 80 mm paper 576
 * (docs/printing/languages.md#escpos).
 */
export const RECEIPT_COLUMNS = { 58: 32, 80: 48 } as const;
export type ReceiptWidth = keyof typeof RECEIPT_COLUMNS;

/** Columns one character takes: ASCII is one byte and half-width; anything GB18030 encodes in 2 or 4 bytes is full-width. */
export function charColumns(ch: string): 1 | 2 {
  return (ch.codePointAt(0) as number) < 0x80 ? 1 : 2;
}

export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** Breaks text into lines of at most `width` columns, by character (Chinese has no spaces); explicit newlines kept. */
export function wrapColumns(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of printable(text).split('\n')) {
    let line = '';
    let used = 0;
    for (const ch of para) {
      const w = charColumns(ch);
      if (used + w > width && line !== '') {
        out.push(line.trimEnd());
        line = '';
        used = 0;
        if (ch === ' ') continue;
      }
      line += ch;
      used += w;
    }
    out.push(line.trimEnd());
  }
  return out;
}

/**
 * `left` and `right` on one line, right flush to the edge; when both do not fit, left wraps and right
 * goes on the last line if room is left there, else on a line of its own.
 */
export function leftRight(left: string, right: string, width: number): string[] {
  const rightW = columns(right);
  const lines = wrapColumns(left, width);
  const last = lines[lines.length - 1] ?? '';
  const gap = width - columns(last) - rightW;
  if (gap >= 1) {
    lines[lines.length - 1] = last + ' '.repeat(gap) + right;
    return lines;
  }
  lines.push(' '.repeat(Math.max(0, width - rightW)) + right);
  return lines;
}

/** The bytes the printer reads in Chinese mode. iconv-lite's GB18030 covers GBK and GB2312 too. */
export function gb18030(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}
