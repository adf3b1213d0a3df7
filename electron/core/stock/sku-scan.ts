// What a scanned or typed code names: the SKU whose 商家编码 it is, else the SKU one of whose
// barcodes it is (sku_barcodes, or skus.barcode for rows written before the barcode table). Exact
// matches only — a receiving or counting sheet must never count a unit against a SKU whose code
// merely contains what was scanned. Each step is one index seek.
import type { SkuView } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';
import { skuView } from './catalogue.ts';

export function skuForScan(db: ReadDb, code: string): SkuView | null {
  const c = db.$client;
  const byCode = c.prepare('SELECT outer_sku_code AS code FROM skus WHERE outer_sku_code = ?').get(code) as { code: string } | undefined;
  const byBarcode =
    byCode ??
    (c.prepare('SELECT s.outer_sku_code AS code FROM sku_barcodes b JOIN skus s ON s.id = b.sku_id WHERE b.barcode = ?').get(code) as { code: string } | undefined) ??
    (c.prepare('SELECT outer_sku_code AS code FROM skus WHERE barcode = ? ORDER BY outer_sku_code LIMIT 1').get(code) as { code: string } | undefined);
  return byBarcode ? skuView(db, byBarcode.code) : null;
}
