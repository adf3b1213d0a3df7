// Order export (导出): chosen columns of chosen orders as an Excel workbook or a UTF-8 CSV, with
// Chinese headers, amounts in yuan from integer fen and times in Asia/Shanghai. Streams in chunks.
import fs from 'node:fs';
import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { ApiOutput, ApiParsedInput, ExportColumn, OrderRow } from '../../shared/contract.ts';
import type { AbnormalReason } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import { PRIVATE_FILE_MODE } from '../db/private-files.ts';
import { chunked } from '../db/chunk.ts';
import { orderIds, ordersByIds } from './query.ts';
import { EXPORT_COLUMN_NAMES_ZH } from '../../shared/export-columns.ts';
import { fenToYuan } from '../../shared/money.ts';
import { formatShanghai } from '../../shared/time.ts';

export type ExportInput = ApiParsedInput<'orders.export'>;
export type ExportFormat = ExportInput['format'];

/** The most orders one export holds (the contract's batch limit). */
export const EXPORT_CAP = 200_000;
/** Orders read per query: bounded memory however large the export. */
const EXPORT_CHUNK = 2000;

/** The header row: the dialog's own column names (shared/export-columns.ts), never a second wording. */
export const EXPORT_HEADERS: Record<ExportColumn, string> = EXPORT_COLUMN_NAMES_ZH;

const PLATFORM_LABELS: Record<string, string> = {
  taobao: '淘宝',
  tmall: '天猫',
  pdd: '拼多多',
  jd: '京东',
  douyin: '抖店',
  kuaishou: '快手',
  sandbox: '沙箱',
};
const STATUS_LABELS: Record<string, string> = {
  unpaid: '待付款',
  awaiting_shipment: '待发货',
  shipped: '已发货',
  completed: '已完成',
  closed: '已关闭',
};
const STAGE_LABELS: Record<string, string> = {
  pending_review: '待审核',
  awaiting_print: '待打单',
  printed: '已打单',
  shipped: '已发货',
};
const FLAG_LABELS = ['', '红旗', '黄旗', '绿旗', '蓝旗', '紫旗'];
const ABNORMAL_LABELS: Record<AbnormalReason, string> = {
  incomplete_address: '地址不完整',
  invalid_phone: '电话异常',
  unmatched_sku: '商品未匹配',
  buyer_message: '有买家留言',
  refund_requested: '申请退款',
};

const MONEY_COLUMNS = new Set<ExportColumn>(['paidYuan', 'shippingYuan']);
const NUMBER_COLUMNS = new Set<ExportColumn>(['itemCount']);
const TIME_COLUMNS = new Set<ExportColumn>(['createdAt', 'paidAt']);

type Cell = string | number | null;

/** What a row needs beyond the order row itself, read once per chunk. */
interface ChunkExtras {
  skuCodes: Map<string, string[]>;
  towns: Map<string, string | null>;
}

function cellOf(column: ExportColumn, o: OrderRow, extra: ChunkExtras): Cell {
  switch (column) {
    case 'receiverTown':
      return extra.towns.get(o.id) ?? null;
    case 'platform':
      return PLATFORM_LABELS[o.platform] ?? o.platform;
    case 'status':
      return STATUS_LABELS[o.status] ?? o.status;
    case 'stage':
      return STAGE_LABELS[o.stage] ?? o.stage;
    case 'items':
      return o.itemSummary;
    case 'outerSkuCodes':
      return (extra.skuCodes.get(o.id) ?? []).join(', ');
    case 'paidYuan':
      return fenToYuan(o.paidFen);
    case 'shippingYuan':
      return fenToYuan(o.shippingFen);
    case 'createdAt':
      return formatShanghai(o.createdAt);
    case 'paidAt':
      return o.paidAt === null ? null : formatShanghai(o.paidAt);
    case 'sellerFlag':
      return FLAG_LABELS[o.sellerFlag] ?? String(o.sellerFlag);
    case 'tags':
      return o.tags.map((t) => t.name).join(', ');
    case 'abnormal':
      return o.abnormal.map((r) => ABNORMAL_LABELS[r]).join(', ');
    default:
      return o[column];
  }
}

/** The orders to export, in order: the given ids as given, or the filter's ids in list order. */
function resolveIds(db: Db, input: ExportInput): string[] {
  if (input.ids) return [...new Set(input.ids)].slice(0, EXPORT_CAP);
  return orderIds(db, input.filter ?? {}, undefined, EXPORT_CAP).ids;
}

function outerSkuCodes(db: Db, ids: string[]): Map<string, string[]> {
  const rows = db.$client
    .prepare(
      `SELECT order_id AS orderId, outer_sku_code AS code FROM order_items
        WHERE order_id IN (SELECT value FROM json_each(?)) AND outer_sku_code IS NOT NULL ORDER BY order_id, line_no`,
    )
    .all(JSON.stringify(ids)) as { orderId: string; code: string }[];
  const map = new Map<string, string[]>();
  for (const r of rows) {
    const list = map.get(r.orderId);
    if (list) list.push(r.code);
    else map.set(r.orderId, [r.code]);
  }
  return map;
}

/** The town (乡镇/街道) of each order: the list row leaves it out, a parcel cannot do without it. */
function townsOf(db: Db, ids: string[]): Map<string, string | null> {
  const rows = db.$client
    .prepare('SELECT id, receiver_town AS town FROM orders WHERE id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { id: string; town: string | null }[];
  return new Map(rows.map((r) => [r.id, r.town]));
}

/**
 * Rows chunk by chunk. Each chunk is a separate read, and the event loop gets a turn between
 * chunks, so a 100k-row export neither holds every row in memory nor freezes the station.
 */
async function* exportRows(db: Db, input: ExportInput): AsyncGenerator<Cell[]> {
  const needCodes = input.columns.includes('outerSkuCodes');
  const needTowns = input.columns.includes('receiverTown');
  for (const chunk of chunked(resolveIds(db, input), EXPORT_CHUNK)) {
    const byId = new Map(ordersByIds(db, chunk).map((o) => [o.id, o]));
    const extra: ChunkExtras = {
      skuCodes: needCodes ? outerSkuCodes(db, chunk) : new Map<string, string[]>(),
      towns: needTowns ? townsOf(db, chunk) : new Map<string, string | null>(),
    };
    for (const id of chunk) {
      const o = byId.get(id);
      // An id deleted since it was chosen is simply not exported.
      if (o) yield input.columns.map((c) => cellOf(c, o, extra));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const COLUMN_WIDTHS: Partial<Record<ExportColumn, number>> = {
  platformOrderId: 24,
  shopName: 18,
  receiverAddress: 40,
  items: 40,
  outerSkuCodes: 20,
  createdAt: 20,
  paidAt: 20,
  buyerMessage: 30,
  sellerMemo: 30,
};

async function writeXlsx(db: Db, input: ExportInput, out: Writable): Promise<number> {
  // Loaded on first export: exceljs costs ~250 ms to import, which every start-up would pay.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('订单');
  sheet.columns = input.columns.map((c) => ({
    header: EXPORT_HEADERS[c],
    key: c,
    width: COLUMN_WIDTHS[c] ?? 14,
    ...(MONEY_COLUMNS.has(c) ? { style: { numFmt: '0.00' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  let count = 0;
  for await (const cells of exportRows(db, input)) {
    // Amounts become numbers so Excel can sum them; the decimal string was made without floats,
    // and parsing "12.34" yields the double nearest 12.34, which Excel shows as 12.34.
    // An empty list (no tags, no abnormal reason) is an empty cell, not an empty string.
    const values = cells.map((v, i) => (v === '' ? null : MONEY_COLUMNS.has(input.columns[i]!) && v !== null ? Number(v) : v));
    sheet.addRow(values).commit();
    count += 1;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

/**
 * Spreadsheet apps run a cell as a formula when it starts with = + - @ (or a tab/CR before one), and
 * some take the fullwidth ＝＋－＠ an IME types, or trim leading spaces first. Buyer-typed text must
 * stay text: any of those at the start, after any run of whitespace, gets a leading apostrophe.
 */
const FORMULA_START = /^[\s\u00A0\u3000\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/u;

/** The CSV cell for buyer- or seller-typed text: never read as a formula by a spreadsheet. */
export function neutraliseCsvText(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}

async function writeCsv(db: Db, input: ExportInput, out: Writable): Promise<number> {
  // The BOM tells Excel the file is UTF-8, otherwise Chinese opens as mojibake.
  const csv = stringify({ bom: true, header: true, columns: input.columns.map((c) => ({ key: String(c), header: EXPORT_HEADERS[c] })) });
  csv.pipe(out);
  let count = 0;
  for await (const cells of exportRows(db, input)) {
    const record: Record<string, Cell> = {};
    input.columns.forEach((c, i) => {
      const v = cells[i] ?? null;
      const text = typeof v === 'string' && !MONEY_COLUMNS.has(c) && !TIME_COLUMNS.has(c) && !NUMBER_COLUMNS.has(c);
      record[String(c)] = text ? neutraliseCsvText(v) : v;
    });
    count += 1;
    if (!csv.write(record)) await once(csv, 'drain');
  }
  csv.end();
  await finished(out);
  return count;
}

const MIME: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv;charset=utf-8',
};

/** A file name that sorts by time and survives every file system: orders-20250102-103000.xlsx */
export function exportFileName(format: ExportFormat, now: number): string {
  return `orders-${formatShanghai(now).replace(/[-:]/g, '').replace(' ', '-')}.${format}`;
}

function writeTo(db: Db, input: ExportInput, out: Writable): Promise<number> {
  return input.format === 'xlsx' ? writeXlsx(db, input, out) : writeCsv(db, input, out);
}

/** orders.export: the whole file in memory as base64, for the renderer to save. */
export async function exportOrders(db: Db, input: ExportInput, now: number): Promise<ApiOutput<'orders.export'>> {
  const sink = new PassThrough();
  const parts: Buffer[] = [];
  sink.on('data', (b: Buffer) => parts.push(b));
  const rowCount = await writeTo(db, input, sink);
  return { fileName: exportFileName(input.format, now), mime: MIME[input.format], base64: Buffer.concat(parts).toString('base64'), rowCount };
}

/** For the CLI: stream the export straight into a file. Returns how many orders it holds. */
export async function writeExport(db: Db, input: ExportInput, outFile: string): Promise<{ file: string; rowCount: number }> {
  // Buyers' names, phones and addresses: the user's alone (db/private-files.ts).
  const out = fs.createWriteStream(outFile, { mode: PRIVATE_FILE_MODE });
  try {
    const rowCount = await writeTo(db, input, out);
    if (!out.writableFinished) await finished(out);
    return { file: outFile, rowCount };
  } catch (err) {
    out.destroy();
    throw err;
  }
}
