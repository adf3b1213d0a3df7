// tracking.import: trace events from a carrier's CSV export — waybill no., time, status text,
// description, location. Columns are found by their header (Chinese or English), else by position.
// Bad rows are reported by line number; unless skipBad is set, one bad row means nothing is written.
// All good rows go in one command transaction (rows + audit + one ops row, DESIGN.md rule 1).
import { parse } from 'csv-parse/sync';
import type { TraceImportLineError, TraceImportResult } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { CARRIER_CODES } from '../../shared/carriers.ts';
import { recordTraceIn, type TraceEventInput } from './record.ts';
import { statusFromText } from './status-words.ts';

export const MAX_IMPORT_ROWS = 200_000;
const COLUMNS = ['waybillNo', 'time', 'status', 'description', 'location'] as const;
type Column = (typeof COLUMNS)[number];
const HEADER_WORDS: Record<Column, RegExp> = {
  waybillNo: /运单|单号|快递单|waybill|tracking/i,
  time: /时间|日期|time|date/i,
  status: /状态|status/i,
  description: /描述|详情|内容|轨迹|description|detail/i,
  location: /地点|位置|城市|网点|location|city/i,
};

/** Carrier exports come as UTF-8 (often with a BOM) or as GBK from Excel; try UTF-8 strictly first. */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** "2025-01-02 10:30(:00)" or with slashes, read as Asia/Shanghai wall-clock time (UTC+8, no DST). */
export function parseShanghaiTime(text: string): number | null {
  const m = TIME.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000;
  // Date.UTC rolls 2月30日 over into March: reject dates that do not exist.
  return new Date(ms + 8 * 3_600_000).getUTCDate() === d ? ms : null;
}

/** Which cell holds which column: by header words, or the documented order when the header names none. */
function columnIndexes(header: readonly string[]): Record<Column, number> {
  const found: Partial<Record<Column, number>> = {};
  const used = new Set<number>();
  for (const col of COLUMNS) {
    const i = header.findIndex((h, n) => !used.has(n) && HEADER_WORDS[col].test(h));
    if (i >= 0) {
      found[col] = i;
      used.add(i);
    }
  }
  if (found.waybillNo === undefined || found.time === undefined || found.status === undefined) {
    return { waybillNo: 0, time: 1, status: 2, description: 3, location: 4 };
  }
  return { waybillNo: found.waybillNo, time: found.time, status: found.status, description: found.description ?? -1, location: found.location ?? -1 };
}

interface GoodRow {
  packageId: string;
  event: TraceEventInput;
}

export function importTraceCsv(ctx: CoreContext, input: { fileName: string; base64: string; skipBad: boolean }): TraceImportResult {
  const text = decodeCsv(Buffer.from(input.base64, 'base64'));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `${input.fileName} is not a readable CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length < 2) throw new AppError('VALIDATION_FAILED', `${input.fileName} has no rows under its header`);
  if (records.length - 1 > MAX_IMPORT_ROWS) throw new AppError('VALIDATION_FAILED', `${input.fileName} has more than ${MAX_IMPORT_ROWS} rows; split it`);
  const idx = columnIndexes(records[0]!.record);
  const cell = (r: string[], col: Column): string => (idx[col] >= 0 ? (r[idx[col]] ?? '').trim() : '');

  // A waybill number is unique per carrier (packages_waybill_uq on (carrier_code, waybill_no)); the
  // CSV names no carrier, so the lookup spells out every carrier code for the index's first column.
  // The codes are our own constants, so they are bound as parameters of a fixed IN list.
  const byWaybill = ctx.db.$client.prepare<string[], { id: string }>(
    `SELECT id FROM packages WHERE carrier_code IN (${CARRIER_CODES.map(() => '?').join(', ')}) AND waybill_no = ? AND state <> 'cancelled'`,
  );
  const packageOf = new Map<string, string[]>();
  const errors: TraceImportLineError[] = [];
  const good: GoodRow[] = [];
  for (const { record: r, info } of records.slice(1)) {
    // The file's own line number (where the record ends), so a quoted multi-line cell does not shift the report.
    const line = info.lines;
    const waybillNo = cell(r, 'waybillNo');
    const bad = (reason: string): void => void errors.push({ line, waybillNo: waybillNo || null, reason });
    if (!waybillNo) {
      bad('运单号为空 / missing waybill number');
      continue;
    }
    let ids = packageOf.get(waybillNo);
    if (!ids) packageOf.set(waybillNo, (ids = byWaybill.all(...CARRIER_CODES, waybillNo).map((p) => p.id)));
    if (ids.length === 0) {
      bad('找不到此运单号的包裹 / no package has this waybill number');
      continue;
    }
    if (ids.length > 1) {
      bad('多个快递公司有此运单号 / several carriers have this waybill number');
      continue;
    }
    const at = parseShanghaiTime(cell(r, 'time'));
    if (at === null) {
      bad(`时间无法识别 / unreadable time "${cell(r, 'time')}"`);
      continue;
    }
    const statusText = cell(r, 'status');
    const description = cell(r, 'description') || statusText;
    const status = statusFromText(statusText) ?? (statusText === '' ? statusFromText(description) : null);
    if (status === null) {
      bad(`状态无法识别 / unknown status "${statusText}"`);
      continue;
    }
    good.push({ packageId: ids[0]!, event: { at, status, description, location: cell(r, 'location') || null } });
  }

  const rows = records.length - 1;
  if (errors.length > 0 && !input.skipBad) return { rows, imported: 0, duplicates: 0, packages: 0, errors, committed: false };
  if (good.length === 0) return { rows, imported: 0, duplicates: 0, packages: 0, errors, committed: errors.length === 0 };

  const byPackage = new Map<string, TraceEventInput[]>();
  for (const g of good) {
    const list = byPackage.get(g.packageId);
    if (list) list.push(g.event);
    else byPackage.set(g.packageId, [g.event]);
  }
  const imported = runCommand(
    ctx,
    'tracking.import',
    { fileName: input.fileName, rows, good: good.length, bad: errors.length },
    { tables: ['tracking_events', 'packages'] },
    (scope) => {
      let added = 0;
      let changed = 0;
      for (const [packageId, events] of byPackage) {
        const r = recordTraceIn(ctx.db, packageId, events, 'csv', scope.at);
        added += r.added;
        if (r.added > 0) changed++;
      }
      // One audit entry for the file: trace rows are facts from the carrier (each keeps source 'csv'
      // and its import time), and an audit row per package would double the cost of a large import.
      scope.audit({ entity: 'tracking_import', entityId: input.fileName, after: { rows, events: added, packages: changed, badRows: errors.length } });
      return added;
    },
  );
  return { rows, imported, duplicates: good.length - imported, packages: byPackage.size, errors, committed: true };
}
