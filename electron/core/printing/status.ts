// Printer status over a bidirectional link: the query bytes for each printer language and the
// parsers of their answers (docs/printing/languages.md: TSPL <ESC>!?, ESC/POS DLE EOT, ZPL ~HS).
import { PRINTER_LANGUAGES, type PrinterLanguage } from '../../shared/contract.ts';
import type { FailureReason } from './failure.ts';

/** The API's list of printer languages, under the name the printing code uses. */
export type PrinterLang = PrinterLanguage;
export const PRINTER_LANGS = PRINTER_LANGUAGES;

/** A problem that stops printing; named like the failure reasons so a job's last_error reads the same. */
export type PrinterProblem = Extract<FailureReason, 'paper_out' | 'head_open' | 'paper_jam' | 'ribbon_out' | 'paused' | 'cover_open' | 'overheat' | 'printer_error'>;

export interface PrinterStatus {
  /** No problem: the printer can take (and is finishing) labels. */
  ready: boolean;
  /** Still printing what it was sent (TSPL bit 5); the queue waits for this to clear before confirming. */
  printing: boolean;
  problems: PrinterProblem[];
  /** The raw answer, hex, for logs. */
  raw: string;
  /** What the device said about its problem in its own words (a print component's failure message); goes into the job's error. */
  detail?: string;
}

/** The bytes that ask a printer of this language for its status, or null when it has no such query. */
export function statusQuery(lang: PrinterLang): Buffer | null {
  switch (lang) {
    case 'tspl':
      return Buffer.from([0x1b, 0x21, 0x3f]); // <ESC>!?
    case 'escpos':
      return Buffer.from([0x10, 0x04, 0x02]); // DLE EOT 2: offline cause (cover, paper end, error)
    case 'zpl':
      return Buffer.from('~HS', 'ascii');
    case 'pdf':
      return null;
  }
}

/**
 * How many bytes make a complete answer, so a reader knows when to stop without waiting for a
 * timeout: TSPL and ESC/POS answer one byte; ZPL three STX…ETX strings (counted by ETX).
 */
export function statusAnswerComplete(lang: PrinterLang, answer: Buffer): boolean {
  if (lang === 'zpl') return answer.filter((b) => b === 0x03).length >= 3;
  return answer.length >= 1;
}

const status = (problems: PrinterProblem[], printing: boolean, raw: Buffer): PrinterStatus => ({ ready: problems.length === 0, printing, problems, raw: raw.toString('hex') });

/**
 * TSPL `<ESC>!?` → one byte: 0x00 normal; bit0 head open, bit1 paper jam, bit2 out of paper,
 * bit3 out of ribbon, bit4 pause, bit5 printing, bit6 cover open, bit7 temperature
 * (Gprinter GP-2120T manual p.34, docs/printing/languages.md#tspl).
 */
export function parseTsplStatus(answer: Buffer): PrinterStatus {
  const b = answer[0] ?? 0;
  const problems: PrinterProblem[] = [];
  if (b & 0x01) problems.push('head_open');
  if (b & 0x02) problems.push('paper_jam');
  if (b & 0x04) problems.push('paper_out');
  if (b & 0x08) problems.push('ribbon_out');
  if (b & 0x10) problems.push('paused');
  if (b & 0x40) problems.push('cover_open');
  if (b & 0x80) problems.push('overheat');
  return status(problems, (b & 0x20) !== 0, answer.subarray(0, 1));
}

/**
 * ESC/POS `DLE EOT 2` (offline cause) → one byte: bit2 cover open, bit5 printing stopped by paper
 * end, bit6 error (docs/printing/languages.md#escpos; Epson DLE EOT table). Bits 1 and 4 are always 1 and say
 * nothing.
 */
export function parseEscposStatus(answer: Buffer): PrinterStatus {
  const b = answer[0] ?? 0;
  const problems: PrinterProblem[] = [];
  if (b & 0x04) problems.push('cover_open');
  if (b & 0x20) problems.push('paper_out');
  if (b & 0x40) problems.push('printer_error');
  return status(problems, false, answer.subarray(0, 1));
}

/**
 * ZPL `~HS` → three strings, each STX … ETX CR LF.
 * [UNVERIFIED: docs/printing/languages.md#zpl-ii gives only "three status strings"; the field positions below
 * are from the ZPL II programming guide as remembered, not re-checked here]
 *   1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l — b paper out, c pause, f buffer full, k under temp, l over temp
 *   2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www — o head up, p ribbon out, t label waiting
 *   3: xxxx,y
 * "printing" = formats still in the receive buffer (e) or labels remaining in the batch (u).
 */
export function parseZplStatus(answer: Buffer): PrinterStatus {
  const strings = answer
    .toString('latin1')
    .split('\x03')
    .map((s) => s.replace(/[\x02\r\n]/g, ''))
    .filter((s) => s.length > 0);
  const one = (strings[0] ?? '').split(',');
  const two = (strings[1] ?? '').split(',');
  const flag = (fields: string[], i: number) => (fields[i] ?? '').trim() === '1';
  const problems: PrinterProblem[] = [];
  if (flag(one, 1)) problems.push('paper_out');
  if (flag(one, 2)) problems.push('paused');
  if (flag(one, 11)) problems.push('overheat');
  if (flag(two, 2)) problems.push('head_open');
  if (flag(two, 3)) problems.push('ribbon_out');
  if (strings.length < 2) problems.push('printer_error');
  const formats = Number.parseInt(one[4] ?? '0', 10) || 0;
  const remaining = Number.parseInt(two[8] ?? '0', 10) || 0;
  return status(problems, formats > 0 || remaining > 0, answer);
}

export function parseStatus(lang: PrinterLang, answer: Buffer): PrinterStatus {
  if (lang === 'tspl') return parseTsplStatus(answer);
  if (lang === 'escpos') return parseEscposStatus(answer);
  if (lang === 'zpl') return parseZplStatus(answer);
  throw new Error(`no status query for ${lang}`);
}
