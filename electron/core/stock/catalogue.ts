// The SKU catalogue (商品/SKU): add and change SKUs with their barcodes, and read them back. A SKU
// belongs to the product whose title it carries (商品名称), made when no product has that title.
// The writers here take the command's WriteTx, so the import (sku-import.ts) reuses them inside its
// one all-or-nothing transaction.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, SkuView } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { ReadDb, WriteTx } from '../db/access.ts';
import type { StoredSku } from '../db/rows.ts';
import { markAlertsDirty } from './dirty.ts';
import { findSku, skuByCode } from './lookup.ts';
import { MAPPING_TABLES, matchSkuCodes } from './mapping.ts';

/** The fields a SKU is written with: the catalogue commands' and the import's. */
export interface SkuFields {
  title?: string | undefined;
  spec?: string | undefined;
  barcodes?: string[] | undefined;
  costFen?: number | null | undefined;
  weightG?: number | null | undefined;
  imageUrl?: string | null | undefined;
  location?: string | null | undefined;
  safetyStock?: number | undefined;
  lowStockThreshold?: number | undefined;
  leadTimeDays?: number | undefined;
}

const SKU_TABLES = ['skus', 'sku_barcodes', 'products'];

/** A SKU as SKU_SELECT reads it: the view without its barcodes (barcodesOf adds them). */
type SkuJoined = Omit<SkuView, 'barcodes'>;

const SKU_SELECT = `SELECT s.id, s.outer_sku_code AS code, p.title, s.name AS spec, s.cost_fen AS costFen, s.weight_g AS weightG,
  s.image_url AS imageUrl, s.location, s.safety_stock AS safetyStock, s.low_stock_threshold AS lowStockThreshold,
  s.lead_time_days AS leadTimeDays
  FROM skus s JOIN products p ON p.id = s.product_id`;

/** A SKU's barcodes in the order they were given (sku_barcodes is a rowid table: rowid is that order). */
export function barcodesOf(db: ReadDb, skuId: string): string[] {
  return (db.$client.prepare('SELECT barcode FROM sku_barcodes WHERE sku_id = ? ORDER BY rowid').all(skuId) as { barcode: string }[]).map((r) => r.barcode);
}

export function skuView(db: ReadDb, code: string): SkuView {
  const row = db.$client.prepare(`${SKU_SELECT} WHERE s.outer_sku_code = ?`).get(code) as SkuJoined | undefined;
  if (!row) throw reasonError('sku.not_found', { code }, `no SKU with outer code "${code}"`);
  return { ...row, barcodes: barcodesOf(db, row.id) };
}

export function listSkus(db: ReadDb, input: ApiParsedInput<'skus.list'>): SkuView[] {
  const q = input.q?.trim();
  const where = q
    ? `WHERE s.outer_sku_code = :q OR s.id IN (SELECT sku_id FROM sku_barcodes WHERE barcode = :q) OR instr(p.title, :q) > 0 OR instr(s.outer_sku_code, :q) > 0`
    : '';
  const rows = db.$client
    .prepare(`${SKU_SELECT} ${where} ORDER BY s.outer_sku_code LIMIT :limit OFFSET :offset`)
    .all({ ...(q ? { q } : {}), limit: input.limit, offset: input.offset }) as SkuJoined[];
  // One query for every listed SKU's barcodes, not one per SKU.
  const codes = new Map<string, string[]>();
  const barcodes = db.$client.prepare(
    'SELECT sku_id AS skuId, barcode FROM sku_barcodes WHERE sku_id IN (SELECT value FROM json_each(?)) ORDER BY rowid',
  );
  for (let i = 0; i < rows.length; i += 5000) {
    const ids = rows.slice(i, i + 5000).map((r) => r.id);
    for (const b of barcodes.all(JSON.stringify(ids)) as { skuId: string; barcode: string }[]) {
      const list = codes.get(b.skuId);
      if (list) list.push(b.barcode);
      else codes.set(b.skuId, [b.barcode]);
    }
  }
  return rows.map((r) => ({ ...r, barcodes: codes.get(r.id) ?? [] }));
}

/** The product with this title, or a new one: products group the SKUs that share a 商品名称. */
export function productFor(tx: WriteTx, title: string, at: number): string {
  const found = tx.$client.prepare('SELECT id FROM products WHERE title = ? ORDER BY created_at, id LIMIT 1').get(title) as { id: string } | undefined;
  if (found) return found.id;
  const id = uuidv7();
  tx.$client.prepare('INSERT INTO products (id, title, created_at) VALUES (?, ?, ?)').run(id, title, at);
  return id;
}

/** Refuses a barcode another SKU already answers to (a scan must name one SKU). */
function checkBarcodesFree(tx: WriteTx, skuId: string | null, barcodes: readonly string[]): void {
  const owner = tx.$client.prepare('SELECT b.sku_id AS skuId, s.outer_sku_code AS code FROM sku_barcodes b JOIN skus s ON s.id = b.sku_id WHERE b.barcode = ?');
  for (const barcode of barcodes) {
    const hit = owner.get(barcode) as { skuId: string; code: string } | undefined;
    if (hit && hit.skuId !== skuId) throw reasonError('sku.barcode_taken', { barcode, code: hit.code }, `barcode ${barcode} already belongs to SKU "${hit.code}"`);
  }
}

/** Replaces a SKU's barcodes; skus.barcode keeps the first, for the readers that look there (packing scans). */
export function setBarcodes(tx: WriteTx, skuId: string, barcodes: readonly string[], at: number): void {
  const unique = [...new Set(barcodes)];
  checkBarcodesFree(tx, skuId, unique);
  tx.$client.prepare('DELETE FROM sku_barcodes WHERE sku_id = ?').run(skuId);
  const insert = tx.$client.prepare('INSERT INTO sku_barcodes (barcode, sku_id, created_at) VALUES (?, ?, ?)');
  for (const b of unique) insert.run(b, skuId, at);
  tx.$client.prepare('UPDATE skus SET barcode = ? WHERE id = ?').run(unique[0] ?? null, skuId);
}

/** Inserts a new SKU (the code is known to be free); returns its id. */
export function insertSku(tx: WriteTx, code: string, f: SkuFields & { title: string }, at: number): string {
  const id = uuidv7();
  const productId = productFor(tx, f.title, at);
  tx.$client
    .prepare(
      `INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, cost_fen, location, weight_g, image_url, safety_stock, low_stock_threshold, updated_at)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, productId, code, f.spec ?? '', f.costFen ?? null, f.location ?? null, f.weightG ?? null, f.imageUrl ?? null, f.safetyStock ?? 0, f.lowStockThreshold ?? 0, at);
  // The schema's default lead time unless one was given.
  if (f.leadTimeDays !== undefined) tx.$client.prepare('UPDATE skus SET lead_time_days = ? WHERE id = ?').run(f.leadTimeDays, id);
  if (f.barcodes && f.barcodes.length > 0) setBarcodes(tx, id, f.barcodes, at);
  return id;
}

/** Writes the given fields of an existing SKU (undefined = leave as it is). */
export function patchSku(tx: WriteTx, sku: StoredSku, f: SkuFields, at: number): void {
  const c = tx.$client;
  if (f.title !== undefined) {
    const current = c.prepare('SELECT title FROM products WHERE id = ?').get(sku.productId) as { title: string };
    if (current.title !== f.title) c.prepare('UPDATE skus SET product_id = ? WHERE id = ?').run(productFor(tx, f.title, at), sku.id);
  }
  const columns: [keyof SkuFields, string][] = [
    ['spec', 'name'],
    ['costFen', 'cost_fen'],
    ['weightG', 'weight_g'],
    ['imageUrl', 'image_url'],
    ['location', 'location'],
    ['safetyStock', 'safety_stock'],
    ['lowStockThreshold', 'low_stock_threshold'],
    ['leadTimeDays', 'lead_time_days'],
  ];
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, column] of columns) {
    if (f[key] === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(f[key]);
  }
  sets.push('updated_at = ?');
  values.push(at);
  c.prepare(`UPDATE skus SET ${sets.join(', ')} WHERE id = ?`).run(...values, sku.id);
  if (f.barcodes !== undefined) setBarcodes(tx, sku.id, f.barcodes, at);
  // The figures alerts judge a SKU by: its next evaluation must look again.
  if (f.safetyStock !== undefined || f.lowStockThreshold !== undefined || f.leadTimeDays !== undefined) markAlertsDirty(tx, [sku.id], at);
}

export function addSku(ctx: CoreContext, input: ApiParsedInput<'skus.add'>): SkuView {
  return runCommand(ctx, 'skus.add', input, { tables: [...SKU_TABLES, ...MAPPING_TABLES] }, (scope) => {
    if (findSku(scope.tx, input.code)) throw reasonError('sku.code_taken', { code: input.code }, `outer code "${input.code}" is already in the catalogue`);
    const { code, ...fields } = input;
    insertSku(scope.tx, code, fields, scope.at);
    // Platform SKUs listed under this code before it existed here map to it now, and orders waiting on them re-check.
    matchSkuCodes(scope, [code], ctx.actor.name);
    const view = skuView(scope.tx, code);
    scope.audit({ entity: 'sku', entityId: code, after: view });
    return view;
  });
}

export function updateSku(ctx: CoreContext, input: ApiParsedInput<'skus.update'>): SkuView {
  return runCommand(ctx, 'skus.update', input, { tables: SKU_TABLES }, (scope) => {
    const sku = skuByCode(scope.tx, input.code);
    const before = skuView(scope.tx, input.code);
    patchSku(scope.tx, sku, input.patch, scope.at);
    const after = skuView(scope.tx, input.code);
    scope.audit({ entity: 'sku', entityId: input.code, before, after });
    return after;
  });
}
