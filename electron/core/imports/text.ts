// A CSV or text export as rows of text: the encoding found from the bytes (UTF-8 with or without
// BOM, UTF-16 with BOM as Excel's "Unicode text", else GBK/GB18030 as Excel on Chinese Windows saves
// "CSV"), the delimiter from the first line (comma, tab or semicolon), and a file that is not text
// at all refused in words rather than read as garbage.
import { parse } from 'csv-parse/sync';
import { reasonError } from '../../shared/reasons.ts';
import { AppError } from '../../shared/result.ts';
import { MAX_CELL_CHARS } from './limits.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** The text of an export and the encoding it was in; UTF-8 is tried strictly first, so valid UTF-8 is never misread as GBK. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const b = bytes;
  let encoding: TextEncoding;
  let body = b;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) (encoding = 'utf-8'), (body = b.subarray(3));
  else if (b[0] === 0xff && b[1] === 0xfe) (encoding = 'utf-16le'), (body = b.subarray(2));
  else if (b[0] === 0xfe && b[1] === 0xff) (encoding = 'utf-16be'), (body = b.subarray(2));
  else {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
    } catch {
      encoding = 'gb18030';
    }
  }
  const text = new TextDecoder(encoding).decode(body);
  return { text, encoding };
}

/** Refuses bytes that are a workbook or a binary file under a text name, saying what to do instead. */
export function refuseNonText(bytes: Uint8Array, fileName: string): void {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw reasonError('import.xlsx_named_csv', { fileName }, `${fileName} is an Excel workbook (.xlsx), not a CSV; change its extension to .xlsx, or save it as CSV in Excel`);
  }
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw reasonError('import.old_xls', { fileName }, `${fileName} is an old Excel file (.xls) or an encrypted workbook; save it as .xlsx or CSV in Excel`);
  }
}

/** The delimiter the first line uses most, outside quotes (comma when it uses none). */
export function guessDelimiter(text: string): ',' | '\t' | ';' {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i += 1) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === '\t' || c === ';')) counts[c] += 1;
  }
  const best = (Object.entries(counts) as [',' | '\t' | ';', number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

export interface TextRow {
  /** The line the record starts on (1-based). */
  line: number;
  cells: string[];
}

/**
 * Hands each record of a CSV text to `onRow` as it is parsed; nothing is kept here, so a file of a
 * million lines costs no memory, and `onRow` stops the read by throwing (a cap reached). Blank lines
 * are records with no cells.
 */
export function csvRows(text: string, fileName: string, onRow: (row: TextRow) => void): void {
  if (text.includes('\u0000')) throw reasonError('import.not_text', { fileName }, `${fileName} is not a text file (it has binary content); import an .xlsx or CSV`);
  let next = 1;
  try {
    parse(text, {
      bom: true,
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: false,
      // One record larger than this is not an export row (an unclosed quote swallowing the file).
      max_record_size: 64 * 1024,
      on_record: (record: string[], ctx: { lines: number }) => {
        const cells = record.length === 1 && record[0] === '' ? [] : record.map((c) => (c.length > MAX_CELL_CHARS ? `${c.slice(0, MAX_CELL_CHARS)}…` : c));
        onRow({ line: next, cells });
        // ctx.lines is the line the record ended on; the next record starts on the line after it.
        next = ctx.lines + 1;
        return null;
      },
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const e = err as Error & { lines?: number };
    const why = e.message.slice(0, 200);
    throw reasonError('import.bad_csv', { fileName, why, ...(e.lines ? { line: e.lines } : {}) }, `${fileName} is not a readable CSV${e.lines ? ` (near line ${e.lines})` : ''}: ${why}`);
  }
}
