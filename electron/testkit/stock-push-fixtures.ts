// Test and bench support for stock pushes: a migrated station file with shops, SKUs, stock in a
// warehouse and platform SKU mappings, written as plain rows (the commands that write them have tests
// of their own), so a push round or the sender can be run over exactly the state a test describes.
import { v7 as uuidv7 } from 'uuid';
import { openDatabase, type Db } from '../core/db/open.ts';
import { tempDbFile } from './api-fixtures.ts';

export const WAREHOUSE = 'wh-1';

export interface PushStation {
  db: Db;
  file: string;
  close(): void;
}

export function openPushStation(file?: string): PushStation {
  const tmp = file ? null : tempDbFile();
  const path = file ?? tmp!.file;
  const db = openDatabase(path);
  if (!db.$client.prepare('SELECT 1 FROM warehouses WHERE id = ?').get(WAREHOUSE)) {
    db.$client.prepare("INSERT INTO warehouses (id, code, name, created_at) VALUES (?, 'WH-A', '主仓', 0)").run(WAREHOUSE);
  }
  return {
    db,
    file: path,
    close: () => {
      db.$client.close();
      tmp?.cleanup();
    },
  };
}

export function addShop(db: Db, id: string, platform: string, settings: Record<string, unknown> = {}, state = 'active', name = id): void {
  db.$client.prepare('INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, ?, 0, ?)').run(id, name, platform, state, JSON.stringify(settings));
}

/** A SKU with its code as id, and `onHand` units received into the warehouse. */
export function addSku(db: Db, code: string, onHand: number, safety = 0): string {
  const c = db.$client;
  c.prepare('INSERT OR IGNORE INTO products (id, title, created_at) VALUES (?, ?, 0)').run(`p-${code}`, `商品 ${code}`);
  c.prepare('INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, safety_stock) VALUES (?, ?, ?, ?, 100, ?)').run(code, `p-${code}`, code, code, safety);
  if (onHand !== 0) move(db, code, onHand);
  return code;
}

/** A ledger row (what stock.receive / stock.adjust write), without the dirty mark. */
export function move(db: Db, skuId: string, delta: number, at = 1): void {
  db.$client
    .prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, ?, ?, ?, 'adjust', 'test', ?, ?)")
    .run(uuidv7(), skuId, WAREHOUSE, delta, at, uuidv7());
}

export function bundle(db: Db, bundleSkuId: string, components: Record<string, number>): void {
  for (const [c, q] of Object.entries(components)) {
    db.$client.prepare('INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES (?, ?, ?, 0)').run(bundleSkuId, c, q);
  }
}

export function mapSku(db: Db, shopId: string, productId: string, platformSkuId: string, skuId: string | null, platformStock: number | null = null): void {
  db.$client
    .prepare(
      `INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, title, platform_stock, sku_id, matched_by, listed_at)
       VALUES (?, ?, ?, '商品', ?, ?, 'hand', 0)`,
    )
    .run(shopId, productId, platformSkuId, platformStock, skuId);
}

export function allocate(db: Db, shopId: string, skuId: string, mode: 'share' | 'fixed' | 'reserve', value: number, minQty: number | null = null, maxQty: number | null = null): void {
  db.$client
    .prepare(
      `INSERT INTO stock_allocations (shop_id, sku_id, mode, value, min_qty, max_qty, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, 0, 'test')
       ON CONFLICT (shop_id, sku_id) DO UPDATE SET mode = excluded.mode, value = excluded.value, min_qty = excluded.min_qty, max_qty = excluded.max_qty`,
    )
    .run(shopId, skuId, mode, value, minQty, maxQty);
}

export interface PushRowView {
  id: string;
  shopId: string;
  platformProductId: string;
  platformSkuId: string;
  skuId: string;
  mode: string;
  quantity: number;
  state: string;
  attempts: number;
  platformBefore: number | null;
  sentDelta: number | null;
  platformAfter: number | null;
  lastError: string | null;
  lastErrorReason: string | null;
  lockedByPromotion: number;
}

export function pushRows(db: Db): PushRowView[] {
  return db.$client
    .prepare<[], PushRowView>(
      `SELECT id, shop_id AS shopId, platform_product_id AS platformProductId, platform_sku_id AS platformSkuId, sku_id AS skuId, mode, quantity, state,
              attempts, platform_before AS platformBefore, sent_delta AS sentDelta, platform_after AS platformAfter, last_error AS lastError,
              last_error_reason AS lastErrorReason, locked_by_promotion AS lockedByPromotion
         FROM stock_pushes ORDER BY created_at, id`,
    )
    .all();
}

export const dirtyCount = (db: Db): number => (db.$client.prepare('SELECT count(*) AS n FROM stock_dirty').get() as { n: number }).n;
