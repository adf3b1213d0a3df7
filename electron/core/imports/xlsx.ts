// The first worksheet of an .xlsx as rows of text, streamed: the sheet XML is inflated and parsed
// chunk by chunk, cells outside the kept columns are skipped as they pass, and the caller stops the
// read as soon as it has enough (a cap reached). Sizes are checked against the zip directory before
// anything is inflated and enforced again while inflating (zip.ts).
//
// Rows come as Excel shows them: shared and inline strings as text, numbers as their digits (a
// number past 2^53 cannot hold its digits — Excel kept a float — and says so in the cell), booleans
// TRUE/FALSE, formulas as their cached result.
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { reasonError } from '../../shared/reasons.ts';
import { AppError } from '../../shared/result.ts';
import { MAX_CELL_CHARS, MAX_COLUMNS, XLSX_LIMITS, mb } from './limits.ts';
import { entryChunks, readZipDirectory, type ZipEntry } from './zip.ts';

/** Which columns (0-based) to keep; the reader may be told after the first row (a header mapped). */
export interface ColumnWindow {
  keep: ReadonlySet<number> | null;
}

export interface SheetRow {
  /** The row number Excel shows. */
  line: number;
  /** Kept cells at their column index ('' elsewhere), trailing empties dropped. */
  cells: string[];
}

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Feeds an entry's inflated chunks through a SAX parser, yielding after each chunk whatever the handlers queued. */
async function* parseEntry<T>(buf: Buffer, entry: ZipEntry, limit: number, setup: (p: SaxesParser, out: T[]) => void): AsyncGenerator<T> {
  const parser = new SaxesParser({ position: false });
  const out: T[] = [];
  setup(parser, out);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of entryChunks(buf, entry, limit)) {
      parser.write(decoder.write(chunk));
      if (out.length > 0) yield* out.splice(0);
    }
    parser.write(decoder.end());
    parser.close();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const why = (err as Error).message.slice(0, 200);
    throw reasonError('import.bad_xml', { part: entry.name, why }, `${entry.name} in the .xlsx is not valid XML (${why}); save it again in Excel`);
  }
  yield* out.splice(0);
}

async function readAll(buf: Buffer, entry: ZipEntry, limit: number, setup: (p: SaxesParser, out: string[]) => void): Promise<string[]> {
  const all: string[] = [];
  for await (const v of parseEntry(buf, entry, limit, setup)) all.push(v);
  return all;
}

/** "BC12" → 54 (0-based column of the cell reference), or -1. */
export function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i += 1) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

/** A number cell's <v> as Excel shows it in General format. */
function numberText(v: string): string {
  const t = v.trim();
  if (t === '') return '';
  const n = Number(t);
  if (!Number.isFinite(n)) return t;
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return `${n.toExponential()} (number cell: digits lost — format the column as text)`;
  return String(n);
}

const cut = (s: string): string => (s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS)}…` : s);

function tooBig(entry: ZipEntry, limit: number): AppError {
  return reasonError(
    'import.part_too_large',
    { part: entry.name, size: mb(entry.uncompressedSize), max: mb(limit) },
    `${entry.name} unpacks to ${mb(entry.uncompressedSize)}, over the ${mb(limit)} limit: not a normal import file; save only the columns you need, or split it into several files`,
  );
}

/** The first sheet's rows, in order. Throws a VALIDATION_FAILED reason (import.*) for damaged, encrypted or oversized files. */
export async function* xlsxRows(buf: Buffer, window: ColumnWindow): AsyncGenerator<SheetRow> {
  const entries = new Map(readZipDirectory(buf).map((e) => [e.name, e]));
  const part = (name: string) => entries.get(name);

  // Which part is the first sheet: workbook.xml's first <sheet>, through the workbook's relationships.
  let sheetPath: string | null = null;
  const workbook = part('xl/workbook.xml');
  const rels = part('xl/_rels/workbook.xml.rels');
  for (const e of [workbook, rels]) if (e && e.uncompressedSize > XLSX_LIMITS.smallPartBytes) throw tooBig(e, XLSX_LIMITS.smallPartBytes);
  if (workbook && rels) {
    const [firstId] = await readAll(buf, workbook, XLSX_LIMITS.smallPartBytes, (p, out) =>
      p.on('opentag', (tag) => {
        if (local(tag.name) === 'sheet' && out.length === 0) out.push((tag as SaxesTagPlain).attributes['r:id'] ?? Object.entries((tag as SaxesTagPlain).attributes).find(([k]) => local(k) === 'id')?.[1] ?? '');
      }),
    );
    const targets = await readAll(buf, rels, XLSX_LIMITS.smallPartBytes, (p, out) =>
      p.on('opentag', (tag) => {
        const a = (tag as SaxesTagPlain).attributes;
        if (local(tag.name) === 'Relationship' && a.Id === firstId && a.Target) out.push(a.Target);
      }),
    );
    const target = targets[0];
    if (target) sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  }
  if (!sheetPath || !entries.has(sheetPath)) {
    const sheets = [...entries.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort((a, b) => Number(/\d+/.exec(a.slice(14))?.[0]) - Number(/\d+/.exec(b.slice(14))?.[0]));
    sheetPath = sheets[0] ?? null;
  }
  const sheet = sheetPath ? part(sheetPath) : undefined;
  if (!sheet) throw reasonError('import.no_sheet', {}, 'The .xlsx has no worksheet');
  const sst = part('xl/sharedStrings.xml');

  // Every size is checked before anything is inflated.
  if (sheet.uncompressedSize > XLSX_LIMITS.sheetBytes) throw tooBig(sheet, XLSX_LIMITS.sheetBytes);
  if (sst && sst.uncompressedSize > XLSX_LIMITS.sharedStringsBytes) throw tooBig(sst, XLSX_LIMITS.sharedStringsBytes);
  const total = sheet.uncompressedSize + (sst?.uncompressedSize ?? 0);
  if (total > XLSX_LIMITS.totalBytes) throw tooBig({ ...sheet, name: 'worksheet + sharedStrings', uncompressedSize: total }, XLSX_LIMITS.totalBytes);

  const shared = sst ? await readSharedStrings(buf, sst) : [];

  let line = 0;
  let cells: string[] = [];
  let col = -1;
  let type = 'n';
  let keepCell = false;
  let value = '';
  let inValue = false;
  let inInline = false;
  let inText = false;
  let phonetic = 0;
  const kept = (c: number) => (window.keep ? window.keep.has(c) : c < MAX_COLUMNS);
  yield* parseEntry<SheetRow>(buf, sheet, XLSX_LIMITS.sheetBytes, (p, out) => {
    p.on('opentag', (tag) => {
      const name = local(tag.name);
      const a = (tag as SaxesTagPlain).attributes;
      if (name === 'row') {
        const r = Number(a.r);
        line = Number.isSafeInteger(r) && r > line ? r : line + 1;
        cells = [];
        col = -1;
      } else if (name === 'c') {
        const ref = a.r ? columnOf(a.r) : -1;
        col = ref >= 0 ? ref : col + 1;
        type = a.t ?? 'n';
        keepCell = kept(col);
        value = '';
      } else if (name === 'v') inValue = true;
      else if (name === 'is') inInline = true;
      else if (name === 't') inText = true;
      else if (name === 'rPh') phonetic += 1;
    });
    const onText = (text: string) => {
      if (!keepCell || value.length > MAX_CELL_CHARS) return;
      if (inValue || (inInline && inText && phonetic === 0)) value += text;
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', (tag) => {
      const name = local(tag.name);
      if (name === 'v') inValue = false;
      else if (name === 'is') inInline = false;
      else if (name === 't') inText = false;
      else if (name === 'rPh') phonetic -= 1;
      else if (name === 'c') {
        if (keepCell) {
          let text: string;
          if (type === 's') text = shared[Number(value)] ?? '';
          else if (type === 'b') text = value.trim() === '1' ? 'TRUE' : 'FALSE';
          else if (type === 'n') text = numberText(value);
          else text = value; // str, inlineStr, e, d
          if (text !== '') {
            while (cells.length < col) cells.push('');
            cells[col] = cut(text);
          }
        }
        keepCell = false;
      } else if (name === 'row') out.push({ line, cells });
    });
  });
}

/** Every shared string, in order (rich-text runs joined, phonetic guides left out). */
async function readSharedStrings(buf: Buffer, sst: ZipEntry): Promise<string[]> {
  let current = '';
  let inText = false;
  let phonetic = 0;
  return readAll(buf, sst, XLSX_LIMITS.sharedStringsBytes, (p, out) => {
    p.on('opentag', (tag) => {
      const name = local(tag.name);
      if (name === 'si') current = '';
      else if (name === 't') inText = true;
      else if (name === 'rPh') phonetic += 1;
    });
    const onText = (text: string) => {
      if (inText && phonetic === 0 && current.length <= MAX_CELL_CHARS) current += text;
    };
    p.on('text', onText);
    p.on('cdata', onText);
    p.on('closetag', (tag) => {
      const name = local(tag.name);
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic -= 1;
      else if (name === 'si') out.push(cut(current));
    });
  });
}
