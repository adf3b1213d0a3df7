// The catalogue as a file: the export (every SKU, in the import's columns, so an edited export
// imports back) and the template (the headers and one example row). CSV in UTF-8 with a BOM, which
// Excel on Chinese Windows opens without garbling.
import { stringify } from 'csv-stringify/sync';
import type { SkuImportField, StockFile } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';
import { listSkus } from './catalogue.ts';
import { SKU_COLUMNS, SKU_HEADERS } from './sku-columns.ts';

const CSV = 'text/csv;charset=utf-8';
const yuan = (fen: number | null): string => (fen === null ? '' : (fen / 100).toFixed(2));
const num = (n: number | null): string => (n === null ? '' : String(n));

function csvFile(fileName: string, rows: string[][]): StockFile {
  const header = SKU_COLUMNS.order.map((f: SkuImportField) => SKU_HEADERS[f]);
  const text = stringify([header, ...rows], { bom: true, record_delimiter: '\r\n' });
  return { fileName, mime: CSV, base64: Buffer.from(text, 'utf8').toString('base64') };
}

export function exportSkus(db: ReadDb, now: number): StockFile {
  const rows: string[][] = [];
  // Read in pages: a catalogue of 100,000 SKUs is one file, not one query result held twice.
  for (let offset = 0; ; offset += 10_000) {
    const page = listSkus(db, { limit: 10_000, offset });
    for (const s of page) {
      rows.push([s.code, s.title, s.spec, s.barcodes.join(','), yuan(s.costFen), num(s.weightG), s.location ?? '', String(s.safetyStock), String(s.lowStockThreshold), String(s.leadTimeDays)]);
    }
    if (page.length < 10_000) break;
  }
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return csvFile(`skus-${day}.csv`, rows);
}

export function skuTemplate(): StockFile {
  return csvFile('sku-template.csv', [['TSHIRT-BK-M', '女装纯棉T恤', '黑色 M', '6901234567892', '25.50', '180', 'A-01-02', '5', '10', '7']]);
}
