// tracking.import: trace events from a carrier's export — waybill no., time, status text,
// description, location — as CSV (UTF-8 or GBK, as Excel saves it) or .xlsx. Columns are found by
// their header (Chinese or English), else by position. The file is read by the shared import reader
// (imports/) in a worker thread, bounded in size and rows. Bad rows are reported by line number (the
// first hundred, all counted); unless skipBad is set, one bad row means nothing is written. All good
// rows go in one command transaction (rows + audit + one ops row, docs/architecture.md#data-flow-rules rule 1).
import type { TraceImportLineError, TraceImportProblem, TraceImportResult } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { CARRIER_CODES } from '../../shared/carriers.ts';
import { BadRows } from '../imports/bad-rows.ts';
import type { ColumnSpec } from '../imports/header.ts';
import { MAX_ROWS } from '../imports/limits.ts';
import { readTableOffThread } from '../imports/off-thread.ts';
import { decodeText } from '../imports/text.ts';
import { recordTraceIn, type TraceEventInput } from './record.ts';
import { statusFromText } from './status-words.ts';
import { shopsJson } from '../scope.ts';

export const MAX_IMPORT_ROWS = MAX_ROWS;
type Column = 'waybillNo' | 'time' | 'status' | 'description' | 'location';
export const TRACE_COLUMNS: ColumnSpec<Column> = {
  fields: {
    waybillNo: '运单|单号|快递单|waybill|tracking',
    time: '时间|日期|time|date',
    status: '状态|status',
    description: '描述|详情|内容|轨迹|description|detail',
    location: '地点|位置|城市|网点|location|city',
  },
  required: ['waybillNo', 'time', 'status'],
  // The documented order when the header names none of them.
  order: ['waybillNo', 'time', 'status', 'description', 'location'],
  header: 'always',
};

/** Carrier exports come as UTF-8 (often with a BOM) or as GBK from Excel; UTF-8 is tried strictly first. */
export function decodeCsv(bytes: Uint8Array): string {
  return decodeText(bytes).text;
}

const TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** Excel's day count of a date cell (days since 1899-12-30, wall-clock), as a sheet's time column holds it. */
const EXCEL_SERIAL = /^\d{5}(\.\d+)?$/;

/** "2025-01-02 10:30(:00)" or with slashes, or an Excel date cell, read as Asia/Shanghai wall-clock time (UTC+8, no DST). */
export function parseShanghaiTime(text: string): number | null {
  const t = text.trim();
  if (EXCEL_SERIAL.test(t)) {
    // Rounded to the second: a serial's fraction is a binary float (10:30 comes back as 10:29:59.999…).
    const wall = Math.round((Number(t) - 25_569) * 86_400) * 1000;
    return wall - 8 * 3_600_000;
  }
  const m = TIME.exec(t);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000;
  // Date.UTC rolls 2月30日 over into March: reject dates that do not exist.
  return new Date(ms + 8 * 3_600_000).getUTCDate() === d ? ms : null;
}

interface GoodRow {
  packageId: string;
  event: TraceEventInput;
}

export async function importTraceCsv(ctx: CoreContext, input: { fileName: string; base64: string; skipBad: boolean }): Promise<TraceImportResult> {
  const { table } = await readTableOffThread(Buffer.from(input.base64, 'base64'), input.fileName, { columns: TRACE_COLUMNS, maxRows: MAX_IMPORT_ROWS });
  const records = table.rows.filter((r) => r.cells.length > 0);
  if (records.length === 0) throw reasonError('import.no_rows', { fileName: input.fileName }, `${input.fileName} has no rows under its header`);
  const cell = (r: string[], col: Column): string => (r[TRACE_COLUMNS.order.indexOf(col)] ?? '').trim();

  // A waybill number is unique per carrier (packages_waybill_uq on (carrier_code, waybill_no)); the
  // CSV names no carrier, so the lookup spells out every carrier code for the index's first column.
  // The codes are our own constants, so they are bound as parameters of a fixed IN list.
  // A person scoped to some shops (scope.ts) finds only their shops' packages: another shop's
  // waybill is a row with no package for them, as if it were not on this station.
  const shops = shopsJson(ctx.actor);
  const byWaybill = ctx.db.$client.prepare<(string | null)[], { id: string }>(
    `SELECT id FROM packages WHERE carrier_code IN (${CARRIER_CODES.map(() => '?').join(', ')}) AND waybill_no = ? AND state <> 'cancelled'
       AND (? IS NULL OR order_id IN (SELECT id FROM orders WHERE shop_id IN (SELECT value FROM json_each(?))))`,
  );
  const packageOf = new Map<string, string[]>();
  const errors = new BadRows<TraceImportLineError, TraceImportProblem>();
  const good: GoodRow[] = [];
  for (const { cells: r, line } of records) {
    const waybillNo = cell(r, 'waybillNo');
    const bad = (problem: TraceImportProblem, message: string, value?: string): void =>
      errors.add({ line, waybillNo: waybillNo ? waybillNo.slice(0, 64) : null, problem, ...(value === undefined ? {} : { value: value.slice(0, 64) }), message }, problem);
    if (!waybillNo) {
      bad('missing_waybill', 'The waybill number is empty.');
      continue;
    }
    let ids = packageOf.get(waybillNo);
    if (!ids) packageOf.set(waybillNo, (ids = byWaybill.all(...CARRIER_CODES, waybillNo, shops, shops).map((p) => p.id)));
    if (ids.length === 0) {
      bad('no_package', 'No package has this waybill number.');
      continue;
    }
    if (ids.length > 1) {
      bad('ambiguous_waybill', 'Several carriers have this waybill number.');
      continue;
    }
    const at = parseShanghaiTime(cell(r, 'time'));
    if (at === null) {
      bad('bad_time', `Unreadable time "${cell(r, 'time').slice(0, 64)}" (write it as 2025-01-02 10:30).`, cell(r, 'time'));
      continue;
    }
    const statusText = cell(r, 'status');
    const description = cell(r, 'description') || statusText;
    const status = statusFromText(statusText) ?? (statusText === '' ? statusFromText(description) : null);
    if (status === null) {
      bad('bad_status', `Unknown status "${statusText.slice(0, 64)}".`, statusText);
      continue;
    }
    good.push({ packageId: ids[0]!, event: { at, status, description, location: cell(r, 'location') || null } });
  }

  const rows = records.length;
  const errorCount = errors.total;
  const listed = errors.report().listed;
  if (errorCount > 0 && !input.skipBad) return { rows, imported: 0, duplicates: 0, packages: 0, errors: listed, errorCount, committed: false };
  if (good.length === 0) return { rows, imported: 0, duplicates: 0, packages: 0, errors: listed, errorCount, committed: errorCount === 0 };

  const byPackage = new Map<string, TraceEventInput[]>();
  for (const g of good) {
    const list = byPackage.get(g.packageId);
    if (list) list.push(g.event);
    else byPackage.set(g.packageId, [g.event]);
  }
  const imported = runCommand(
    ctx,
    'tracking.import',
    { fileName: input.fileName, rows, good: good.length, bad: errorCount },
    { tables: ['tracking_events', 'packages'] },
    (scope) => {
      let added = 0;
      let changed = 0;
      for (const [packageId, events] of byPackage) {
        const r = recordTraceIn(scope.tx, packageId, events, 'csv', scope.at);
        added += r.added;
        if (r.added > 0) changed++;
      }
      // One audit entry for the file: trace rows are facts from the carrier (each keeps source 'csv'
      // and its import time), and an audit row per package would double the cost of a large import.
      scope.audit({ entity: 'tracking_import', entityId: input.fileName, after: { rows, events: added, packages: changed, badRows: errorCount } });
      return added;
    },
  );
  return { rows, imported, duplicates: good.length - imported, packages: byPackage.size, errors: listed, errorCount, committed: true };
}
