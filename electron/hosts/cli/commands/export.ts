// `shopfleet export`: the workbench's export (same filter, same columns) written to a file.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_COLUMNS, type ExportColumn } from '../../../shared/contract.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { resolveSelection, SELECTION_OPTIONS } from '../filter-args.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { PRIVATE_FILE_MODE } from '../../../core/db/private-files.ts';
import { UsageError } from '../usage.ts';

export function parseColumns(raw: string | undefined): ExportColumn[] {
  if (raw === undefined) return [...EXPORT_COLUMNS];
  const cols = raw.split(',').map((c) => c.trim()).filter((c) => c !== '');
  const unknown = cols.filter((c) => !(EXPORT_COLUMNS as readonly string[]).includes(c));
  if (cols.length === 0 || unknown.length > 0) {
    throw new UsageError(`--columns: unknown ${unknown.length ? unknown.join(', ') : '(empty)'}; choose from ${EXPORT_COLUMNS.join(',')}`);
  }
  return cols as ExportColumn[];
}

export function formatOf(out: string): 'xlsx' | 'csv' {
  const ext = path.extname(out).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv') return 'csv';
  throw new UsageError('--out must end in .xlsx or .csv');
}

export async function exportOrders(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, columns: { type: 'string' }, out: { type: 'string' }, ...SELECTION_OPTIONS },
  });
  if (!values.out) throw new UsageError('export needs --out FILE.xlsx or --out FILE.csv');
  const format = formatOf(values.out);
  const columns = parseColumns(values.columns);
  const out = path.resolve(values.out);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const selection = await resolveSelection(core, values);
    const which = selection.kind === 'ids' ? { ids: selection.ids } : { filter: selection.filter };
    const file = await callOrThrow<{ base64: string; rowCount: number }>(core, 'orders.export', { ...which, columns, format });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Write beside and rename, so a reader never sees half a spreadsheet.
    const tmp = `${out}.part-${process.pid}`;
    // Buyers' names and addresses: readable by this user only.
    fs.writeFileSync(tmp, Buffer.from(file.base64, 'base64'), { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, out);
    process.stderr.write(`exported ${file.rowCount} orders to ${out}\n`);
    return 0;
  });
}
