// skus.import: SKUs from an .xlsx or a CSV (UTF-8 with or without BOM, GBK as Excel saves it),
// read by the shared import reader (imports/) off the UI's thread, its header matched in Chinese or
// English (sku-columns.ts). All or nothing: every row is checked first and a refused row (reported
// with its line, field and why) means nothing is written. A dry run reports what would be added and
// changed and writes nothing. A blank cell leaves that field of an existing SKU as it is, so a sheet
// of only 商家编码 and 安全库存 changes safety stock and nothing else.
import type { ApiParsedInput, SkuImportBadRow, SkuImportChange, SkuImportField, SkuImportProblem, SkuImportResult, SkuView } from '../../shared/contract.ts';
import { MAX_BARCODES_PER_SKU, MAX_COST_FEN, MAX_LEAD_TIME_DAYS, MAX_STOCK_UNITS, MAX_WEIGHT_G } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { unsafeTextProblem } from '../../shared/text-guard.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { ReadDb } from '../db/access.ts';
import { BadRows } from '../imports/bad-rows.ts';
import { MAX_LISTED_BAD_ROWS, MAX_ROWS } from '../imports/limits.ts';
import { readTableOffThread } from '../imports/off-thread.ts';
import { insertSku, patchSku, skuView, type SkuFields } from './catalogue.ts';
import { findSku } from './lookup.ts';
import { MAPPING_TABLES, matchSkuCodes } from './mapping.ts';
import { BARCODE_SEPARATOR, SKU_COLUMNS } from './sku-columns.ts';

const LIMITS: Partial<Record<SkuImportField, number>> = { code: 64, title: 200, spec: 200, location: 64 };

interface ParsedRow {
  line: number;
  code: string;
  fields: SkuFields;
}

class RowProblem extends Error {
  constructor(
    readonly field: SkuImportField | 'row',
    readonly problem: SkuImportProblem,
    message: string,
  ) {
    super(message);
  }
}

/** "12.5", "¥1,299.00" → fen; null for a blank cell. */
function yuanToFen(text: string): number | null {
  const t = text.replace(/[¥￥,\s]/g, '');
  if (t === '') return null;
  const m = /^(\d{1,9})(?:\.(\d{1,2})0*)?$/.exec(t);
  if (!m) throw new RowProblem('costYuan', 'invalid_number', `"${text}" is not an amount in yuan (e.g. 12.50)`);
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (fen > MAX_COST_FEN) throw new RowProblem('costYuan', 'invalid_number', `${text} yuan is more than ${MAX_COST_FEN / 100} yuan`);
  return fen;
}

/** A whole number in [0, max] (Excel may write 5 as "5.0"); null for a blank cell. */
function wholeNumber(field: SkuImportField, text: string, max: number, rounding = false): number | null {
  const t = text.replace(/[,\s]/g, '');
  if (t === '') return null;
  const ok = rounding ? /^\d+(\.\d+)?$/.test(t) : /^\d+(\.0+)?$/.test(t);
  if (!ok) throw new RowProblem(field, 'invalid_number', `"${text}" is not a whole number ≥ 0`);
  const n = Math.round(Number(t));
  if (n > max) throw new RowProblem(field, 'invalid_number', `${text} is more than ${max}`);
  return n;
}

function checkedText(field: SkuImportField, text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const unsafe = unsafeTextProblem(t);
  if (unsafe) throw new RowProblem(field, 'invalid_text', unsafe);
  const max = LIMITS[field];
  if (max !== undefined && t.length > max) throw new RowProblem(field, 'too_long', `${field} is ${t.length} characters; at most ${max}`);
  return t;
}

function parseRow(line: number, cells: readonly string[]): ParsedRow {
  const cell = (f: SkuImportField): string => cells[SKU_COLUMNS.order.indexOf(f)] ?? '';
  const code = checkedText('code', cell('code'));
  if (code === undefined) throw new RowProblem('code', 'missing', 'the 商家编码 (outer code) is empty');
  const barcodeCell = checkedText('barcodes', cell('barcodes'));
  let barcodes: string[] | undefined;
  if (barcodeCell !== undefined) {
    barcodes = [...new Set(barcodeCell.split(BARCODE_SEPARATOR).filter(Boolean))];
    const long = barcodes.find((b) => b.length > 64);
    if (long) throw new RowProblem('barcodes', 'too_long', `barcode "${long.slice(0, 20)}…" is longer than 64 characters`);
    if (barcodes.length > MAX_BARCODES_PER_SKU) throw new RowProblem('barcodes', 'too_many_barcodes', `${barcodes.length} barcodes; at most ${MAX_BARCODES_PER_SKU}`);
  }
  const fields: SkuFields = {
    title: checkedText('title', cell('title')),
    spec: checkedText('spec', cell('spec')),
    barcodes,
    location: checkedText('location', cell('location')),
  };
  const cost = yuanToFen(cell('costYuan'));
  if (cost !== null) fields.costFen = cost;
  const weight = wholeNumber('weightG', cell('weightG'), MAX_WEIGHT_G, true);
  if (weight !== null) fields.weightG = weight;
  const safety = wholeNumber('safetyStock', cell('safetyStock'), MAX_STOCK_UNITS);
  if (safety !== null) fields.safetyStock = safety;
  const threshold = wholeNumber('lowStockThreshold', cell('lowStockThreshold'), MAX_STOCK_UNITS);
  if (threshold !== null) fields.lowStockThreshold = threshold;
  const leadTime = wholeNumber('leadTimeDays', cell('leadTimeDays'), MAX_LEAD_TIME_DAYS);
  if (leadTime !== null) fields.leadTimeDays = leadTime;
  return { line, code, fields };
}

/** The import's fields that differ from the SKU as it is (only those the row gives). */
function changedFields(current: SkuView, f: SkuFields): SkuImportField[] {
  const out: SkuImportField[] = [];
  if (f.title !== undefined && f.title !== current.title) out.push('title');
  if (f.spec !== undefined && f.spec !== current.spec) out.push('spec');
  if (f.barcodes !== undefined && f.barcodes.join('\n') !== current.barcodes.join('\n')) out.push('barcodes');
  if (f.costFen !== undefined && f.costFen !== current.costFen) out.push('costYuan');
  if (f.weightG !== undefined && f.weightG !== current.weightG) out.push('weightG');
  if (f.location !== undefined && f.location !== current.location) out.push('location');
  if (f.safetyStock !== undefined && f.safetyStock !== current.safetyStock) out.push('safetyStock');
  if (f.lowStockThreshold !== undefined && f.lowStockThreshold !== current.lowStockThreshold) out.push('lowStockThreshold');
  if (f.leadTimeDays !== undefined && f.leadTimeDays !== current.leadTimeDays) out.push('leadTimeDays');
  return out;
}

interface Plan {
  rows: number;
  writes: { row: ParsedRow; action: 'add' | 'update' }[];
  changes: SkuImportChange[];
  added: number;
  updated: number;
  unchanged: number;
  bad: BadRows<SkuImportBadRow, SkuImportProblem>;
}

/** Checks every row against the file and the catalogue as it is; writes nothing. */
function plan(db: ReadDb, records: { line: number; cells: string[] }[]): Plan {
  const bad = new BadRows<SkuImportBadRow, SkuImportProblem>();
  const p: Plan = { rows: records.length, writes: [], changes: [], added: 0, updated: 0, unchanged: 0, bad };
  const seenCodes = new Map<string, number>();
  const seenBarcodes = new Map<string, string>();
  const barcodeOwner = db.$client.prepare('SELECT s.outer_sku_code AS code FROM sku_barcodes b JOIN skus s ON s.id = b.sku_id WHERE b.barcode = ?');
  for (const { line, cells } of records) {
    let code: string | null = null;
    try {
      const row = parseRow(line, cells);
      code = row.code;
      const earlier = seenCodes.get(row.code);
      if (earlier !== undefined) throw new RowProblem('code', 'duplicate_in_file', `商家编码 ${row.code} is also on line ${earlier}`);
      seenCodes.set(row.code, line);
      for (const b of row.fields.barcodes ?? []) {
        const inFile = seenBarcodes.get(b);
        if (inFile !== undefined && inFile !== row.code) throw new RowProblem('barcodes', 'barcode_repeated', `barcode ${b} is also given to ${inFile} in this file`);
        seenBarcodes.set(b, row.code);
        const owner = barcodeOwner.get(b) as { code: string } | undefined;
        if (owner && owner.code !== row.code) throw new RowProblem('barcodes', 'barcode_taken', `barcode ${b} already belongs to SKU ${owner.code}`);
      }
      const existing = findSku(db, row.code);
      if (!existing) {
        if (row.fields.title === undefined) throw new RowProblem('title', 'missing', 'a new SKU needs its 商品名称 (title)');
        p.added += 1;
        p.writes.push({ row, action: 'add' });
        if (p.changes.length < MAX_LISTED_BAD_ROWS) p.changes.push({ line, code: row.code, action: 'add', fields: [] });
        continue;
      }
      const current = skuView(db, row.code);
      const fields = changedFields(current, row.fields);
      if (fields.length === 0) {
        p.unchanged += 1;
        continue;
      }
      p.updated += 1;
      p.writes.push({ row, action: 'update' });
      if (p.changes.length < MAX_LISTED_BAD_ROWS) p.changes.push({ line, code: row.code, action: 'update', fields });
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      bad.add({ line, code: code ?? ((cells[0] ?? '').trim().slice(0, 64) || null), field: err.field, problem: err.problem, message: err.message }, err.problem);
    }
  }
  return p;
}

export async function importSkus(ctx: CoreContext, input: ApiParsedInput<'skus.import'>): Promise<SkuImportResult> {
  const { table } = await readTableOffThread(Buffer.from(input.base64, 'base64'), input.fileName, { columns: SKU_COLUMNS, maxRows: MAX_ROWS });
  const records = table.rows.filter((r) => r.cells.length > 0);
  if (records.length === 0) throw reasonError('import.no_rows', { fileName: input.fileName }, `${input.fileName} has no rows under its header`);
  // Planned and written with no await between: nothing else on this connection runs in between,
  // and the unique indexes (outer code, barcode) refuse whatever another process slipped in.
  const p = plan(ctx.db, records);
  const report = p.bad.report();
  const result: SkuImportResult = {
    rows: p.rows,
    added: p.added,
    updated: p.updated,
    unchanged: p.unchanged,
    changes: p.changes,
    bad: report.listed,
    badCount: report.total,
    committed: false,
    dryRun: input.dryRun,
  };
  if (report.total > 0 || input.dryRun || p.writes.length === 0) return result;
  runCommand(
    ctx,
    'skus.import',
    { fileName: input.fileName, rows: p.rows, added: p.added, updated: p.updated },
    { tables: ['skus', 'sku_barcodes', 'products', ...MAPPING_TABLES] },
    (scope) => {
      const added: string[] = [];
      for (const { row, action } of p.writes) {
        if (action === 'add') {
          insertSku(scope.tx, row.code, { ...row.fields, title: row.fields.title as string }, scope.at);
          added.push(row.code);
        } else patchSku(scope.tx, findSku(scope.tx, row.code)!, row.fields, scope.at);
      }
      // Platform SKUs listed under the new codes map to them in this commit (an update keeps its code: nothing to match).
      matchSkuCodes(scope, added, ctx.actor.name);
      // One audit entry for the file, as the other imports do: a row per SKU would double a big import's cost.
      scope.audit({ entity: 'sku_import', entityId: input.fileName, after: { rows: p.rows, added: p.added, updated: p.updated, unchanged: p.unchanged } });
    },
  );
  return { ...result, committed: true };
}
