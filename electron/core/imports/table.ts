// One way every import reads its file: an .xlsx (first sheet) or a CSV/text export becomes rows of
// text with the line each came from, the header mapped onto the import's fields, only those columns
// kept, and the whole bounded — the file's size, the unpacked size of a workbook, the number of rows,
// the length of a cell. Whatever a file holds, the answer stays small and the reading stops early.
// Heavy or hostile files are read off the UI's thread: see off-thread.ts.
import path from 'node:path';
import { reasonError } from '../../shared/reasons.ts';
import { mapHeader, type ColumnSpec, type HeaderMapping } from './header.ts';
import { MAX_FILE_BYTES, MAX_ROWS, mb } from './limits.ts';
import { csvRows, decodeText, refuseNonText, type TextEncoding } from './text.ts';
import { xlsxRows, type ColumnWindow } from './xlsx.ts';

export interface TableRow {
  /** Where the row is in the file: Excel's row number, or the CSV line the record starts on. */
  line: number;
  /** The row's cells — in the spec's `order` when a column spec was given, else as in the file. Blank rows have none. */
  cells: string[];
}

export interface TableReadOptions<K extends string = string> {
  /** Map the header onto these fields and keep only their columns. */
  columns?: ColumnSpec<K>;
  /** Rows under the header a file may have (default MAX_ROWS). */
  maxRows?: number;
}

export interface TableRead<K extends string = string> {
  format: 'xlsx' | 'csv';
  /** The text encoding found (CSV); null for a workbook. */
  encoding: TextEncoding | null;
  /** How the first row mapped onto the fields (null without a column spec). */
  header: HeaderMapping<K> | null;
  /** Data rows in file order, blank rows between them included (trailing blank rows are not rows). */
  rows: TableRow[];
}

export const IMPORT_EXTENSIONS = ['.xlsx', '.csv', '.txt'] as const;

function formatOf(fileName: string): 'xlsx' | 'csv' {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw unsupportedType(fileName, ext);
}

/** A name that is not .xlsx / .csv / .txt (`ext`: its extension, lower-cased, or '' without one). */
export function unsupportedType(fileName: string, ext: string) {
  return reasonError('import.unsupported_type', { fileName, ext: ext || fileName }, `Import an .xlsx or .csv file, not "${ext || fileName}"`);
}

/** The file is over MAX_FILE_BYTES. */
export function fileTooLarge(fileName: string, bytes: number) {
  return reasonError('file.too_large', { fileName, size: mb(bytes), max: mb(MAX_FILE_BYTES) }, `${fileName} is ${mb(bytes)}, over the ${mb(MAX_FILE_BYTES)} limit; split it into several files`);
}

/** Reads an import file into bounded rows; a VALIDATION_FAILED reason (import.*) for anything it will not read. */
export async function readTable<K extends string = string>(bytes: Uint8Array, fileName: string, opts: TableReadOptions<K> = {}): Promise<TableRead<K>> {
  const format = formatOf(fileName);
  if (bytes.length > MAX_FILE_BYTES) throw fileTooLarge(fileName, bytes.length);
  if (bytes.length === 0) throw reasonError('import.empty', { fileName }, `${fileName} is empty`);
  const maxRows = opts.maxRows ?? MAX_ROWS;
  const spec = opts.columns;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  let encoding: TextEncoding | null = null;
  const window: ColumnWindow = { keep: null };
  let header: HeaderMapping<K> | null = null;
  let firstDataLine = -1;
  let lastLine = 0;
  const rows: TableRow[] = [];
  const tooMany = (line: number) =>
    reasonError(
      'import.too_many_rows',
      { fileName, maxRows, line },
      `${fileName} has more than ${maxRows.toLocaleString('en-US')} rows (row ${line.toLocaleString('en-US')} still has content); delete the extra rows or split it into several files`,
    );
  const project = (cells: string[]): string[] => {
    if (!header || !spec) return cells;
    const out = spec.order.map((k) => {
      const c = header!.columns[k];
      return c >= 0 ? (cells[c] ?? '') : '';
    });
    return out.every((c) => c.trim() === '') ? [] : out;
  };
  /** Takes the file's rows in order; throws to stop the read. */
  const take = (row: { line: number; cells: string[] }): void => {
    const blank = row.cells.every((c) => c.trim() === '');
    if (firstDataLine < 0) {
      // The first row with anything in it is the header candidate; blank rows before it are nothing.
      if (blank) return;
      if (spec) {
        header = mapHeader(row.cells, spec);
        // From here on only the mapped columns are read off the sheet.
        window.keep = new Set(Object.values<number>(header.columns).filter((c) => c >= 0));
        if (header.isHeader) {
          firstDataLine = row.line + 1;
          lastLine = row.line;
          return;
        }
      }
      firstDataLine = row.line;
      lastLine = row.line - 1;
    }
    if (blank) return;
    if (row.line - firstDataLine + 1 > maxRows) throw tooMany(row.line);
    // Rows the file skips (a sheet stores no empty rows) or leaves empty are blank rows between values.
    for (let l = lastLine + 1; l < row.line; l += 1) rows.push({ line: l, cells: [] });
    rows.push({ line: row.line, cells: project(row.cells) });
    lastLine = row.line;
  };

  if (format === 'xlsx') {
    if (!(buf[0] === 0x50 && buf[1] === 0x4b)) {
      refuseNonText(buf, fileName);
      throw reasonError('import.not_xlsx', { fileName }, `${fileName} is not an .xlsx workbook (perhaps a CSV with its extension changed); save it as .xlsx in Excel, or change the extension back to .csv`);
    }
    for await (const row of xlsxRows(buf, window)) take(row);
  } else {
    refuseNonText(buf, fileName);
    const decoded = decodeText(buf);
    encoding = decoded.encoding;
    csvRows(decoded.text, fileName, take);
  }
  return { format, encoding, header, rows };
}
