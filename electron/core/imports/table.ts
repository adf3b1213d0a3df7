// One way every import reads its file: an .xlsx (first sheet) or a CSV/text export becomes rows of
// text with the line each came from, the header mapped onto the import's fields, only those columns
// kept, and the whole bounded — the file's size, the unpacked size of a workbook, the number of rows,
// the length of a cell. Whatever a file holds, the answer stays small and the reading stops early.
// Heavy or hostile files are read off the UI's thread: see off-thread.ts.
import path from 'node:path';
import { AppError } from '../../shared/result.ts';
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
  throw new AppError('VALIDATION_FAILED', `请导入 .xlsx 或 .csv 文件，不能导入 "${ext || fileName}" / import .xlsx or .csv files, not "${ext || fileName}"`);
}

/** Reads an import file into bounded rows; VALIDATION_FAILED in words for anything it will not read. */
export async function readTable<K extends string = string>(bytes: Uint8Array, fileName: string, opts: TableReadOptions<K> = {}): Promise<TableRead<K>> {
  const format = formatOf(fileName);
  if (bytes.length > MAX_FILE_BYTES) throw new AppError('VALIDATION_FAILED', `${fileName} 有 ${mb(bytes.length)}，超过 ${mb(MAX_FILE_BYTES)} 的上限；请分成几个文件 / the file is larger than ${mb(MAX_FILE_BYTES)}`);
  if (bytes.length === 0) throw new AppError('VALIDATION_FAILED', `${fileName} 是空文件 / the file is empty`);
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
    new AppError(
      'VALIDATION_FAILED',
      `${fileName} 超过 ${maxRows.toLocaleString('en-US')} 行（第 ${line.toLocaleString('en-US')} 行还有内容）；请删掉多余的行或分成几个文件 / more than ${maxRows} rows (row ${line} has content)`,
      { maxRows, line },
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
      throw new AppError('VALIDATION_FAILED', `${fileName} 不是 .xlsx 工作簿（也许是改了扩展名的 CSV）；请在 Excel 里另存为 .xlsx，或把扩展名改回 .csv / ${fileName} is not an .xlsx workbook`);
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
