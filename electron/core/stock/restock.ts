// 补货建议 (docs/stock.md#restock): per SKU, the units to order so that what is free of orders covers
// the sales expected until a delivery arrives, plus the safety stock:
//   suggest = ⌈ perDay × lead time + safety − (on hand − reserved) ⌉, listed only when > 0
// where perDay is units sold over the chosen window (7 or 30 days) ÷ its days. Safety is counted once:
// available (on hand − reserved − safety) already holds it back, so the formula is the same as
// ⌈perDay × lead time − available⌉. Worked in whole units × days, so no float rounding can add a unit.
// Bundles are not restocked themselves (their components are, their sales counted in).
import { stringify } from 'csv-stringify/sync';
import type { ApiParsedInput, RestockResult, RestockRow, StockFile, VelocityDays } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';
import { neutraliseCsvText } from '../orders/export.ts';
import { figuresOf } from './available.ts';
import { daysOfCover, unitsSold } from './velocity.ts';

/** ⌈(sold × lead + (safety − free) × days) ÷ days⌉ in integers: the formula above without floats. */
export function suggestUnits(sold: number, days: number, leadTimeDays: number, safety: number, free: number): number {
  const numerator = sold * leadTimeDays + (safety - free) * days;
  return Math.ceil(numerator / days);
}

/** Every SKU with a suggestion, most units first, then by code. */
export function restockRows(db: ReadDb, days: VelocityDays, now: number): RestockRow[] {
  const skus = db.$client
    .prepare(
      `SELECT s.id, s.outer_sku_code AS code, p.title, s.name AS spec, s.lead_time_days AS leadTime, s.cost_fen AS costFen,
              s.safety_stock AS safety
       FROM skus s JOIN products p ON p.id = s.product_id
       WHERE NOT EXISTS (SELECT 1 FROM bundle_components b WHERE b.bundle_sku_id = s.id)`,
    )
    .all() as { id: string; code: string; title: string; spec: string; leadTime: number; costFen: number | null; safety: number }[];
  // Without sales a SKU needs units only when it holds units for orders (read below), or when on
  // hand is under its safety stock (a warehouse below zero included). Only those and the SKUs that
  // sell are read; most of a long catalogue sells nothing in a window.
  const mayBeShort = new Set(
    db.$client
      .prepare<[], { id: string }>(`SELECT DISTINCT sku_id AS id FROM stock_held_totals WHERE quantity > 0`)
      .all()
      .map((r) => r.id),
  );
  const sold = unitsSold(
    db,
    skus.map((s) => s.id),
    days,
    now,
  );
  // A SKU that sold nothing and holds nothing needs units only when on hand is below its safety
  // stock: one pass over the covering balance index answers that for the whole catalogue, where
  // reading each such SKU's figures (most SKUs of a catalogue keep some safety stock) took seconds.
  const onHand = new Map(
    db.$client
      .prepare<[], { id: string; n: number }>('SELECT sku_id AS id, sum(delta) AS n FROM stock_movements GROUP BY sku_id')
      .all()
      .map((r) => [r.id, r.n]),
  );
  const rows: RestockRow[] = [];
  for (const s of skus) {
    const units = sold.get(s.id) ?? 0;
    if (units === 0 && !mayBeShort.has(s.id) && (onHand.get(s.id) ?? 0) >= s.safety) continue;
    const f = figuresOf(db, s.id);
    const suggest = suggestUnits(units, days, s.leadTime, f.safety, f.onHand - f.reserved);
    if (suggest <= 0) continue;
    const perDay = units / days;
    rows.push({
      sku: s.code,
      title: s.title,
      spec: s.spec,
      perDay,
      leadTimeDays: s.leadTime,
      safety: f.safety,
      onHand: f.onHand,
      reserved: f.reserved,
      available: f.available,
      daysOfCover: daysOfCover(f.available, perDay),
      suggest,
      costFen: s.costFen,
    });
  }
  rows.sort((a, b) => b.suggest - a.suggest || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return rows;
}

export function restock(db: ReadDb, input: ApiParsedInput<'stock.restock'>, now: number): RestockResult {
  const rows = restockRows(db, input.days, now);
  return { days: input.days, total: rows.length, rows: rows.slice(input.offset, input.offset + input.limit) };
}

export const RESTOCK_HEADERS = ['商家编码', '商品名称', '规格', '日均销量', '到货周期(天)', '安全库存', '在库', '占用', '可用', '可售天数', '建议补货', '成本价(元)', '补货金额(元)'] as const;

const one = (n: number): number => Math.round(n * 100) / 100;

/** The cells of one row: numbers as numbers (Excel sums them), money in yuan with two decimals. */
function cells(r: RestockRow): (string | number | null)[] {
  return [
    r.sku,
    r.title,
    r.spec,
    one(r.perDay),
    r.leadTimeDays,
    r.safety,
    r.onHand,
    r.reserved,
    r.available,
    r.daysOfCover === null ? null : one(r.daysOfCover),
    r.suggest,
    r.costFen === null ? null : r.costFen / 100,
    r.costFen === null ? null : (r.costFen * r.suggest) / 100,
  ];
}

export async function restockExport(db: ReadDb, input: ApiParsedInput<'stock.restockExport'>, now: number): Promise<StockFile> {
  const rows = restockRows(db, input.days, now);
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const base = `restock-${input.days}d-${day}`;
  if (input.format === 'csv') {
    // Titles and specs are typed by people: never read back as a formula.
    const text = stringify(
      [[...RESTOCK_HEADERS], ...rows.map((r) => cells(r).map((c, i) => (typeof c === 'string' && i < 3 ? neutraliseCsvText(c) : c ?? '')))],
      { bom: true, record_delimiter: '\r\n' },
    );
    return { fileName: `${base}.csv`, mime: 'text/csv;charset=utf-8', base64: Buffer.from(text, 'utf8').toString('base64') };
  }
  // Loaded on first export: exceljs costs ~250 ms to import, which every start-up would pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('补货建议');
  sheet.columns = RESTOCK_HEADERS.map((header, i) => ({ header, width: i === 1 ? 30 : 12, ...(i >= 11 ? { style: { numFmt: '0.00' } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(cells(r));
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    fileName: `${base}.xlsx`,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    base64: Buffer.from(buffer as ArrayBuffer).toString('base64'),
  };
}
