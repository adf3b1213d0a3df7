// SKUs and warehouses are named by their codes at the API (商家编码, warehouse code): these find the
// row a code names, or refuse with the reason a person can act on.
import { reasonError } from '../../shared/reasons.ts';
import type { StoredSku } from '../db/rows.ts';
import type { ReadDb } from '../db/access.ts';
import type { StoredWarehouse } from './rows.ts';
import type { Db } from '../db/open.ts';

// Prepared once per connection: every stock command and read looks its codes up.
const statements = new WeakMap<Db['$client'], { sku: ReturnType<Db['$client']['prepare']>; warehouse: ReturnType<Db['$client']['prepare']> }>();
function lookups(db: ReadDb) {
  let st = statements.get(db.$client);
  if (!st) {
    st = {
      sku: db.$client.prepare(
        'SELECT id, product_id AS productId, outer_sku_code AS outerSkuCode, name, barcode, price_fen AS priceFen, cost_fen AS costFen, location, weight_g AS weightG, image_url AS imageUrl, safety_stock AS safetyStock, low_stock_threshold AS lowStockThreshold, updated_at AS updatedAt FROM skus WHERE outer_sku_code = ?',
      ),
      warehouse: db.$client.prepare('SELECT id, code, name, address, regions, priority, created_at AS createdAt, updated_at AS updatedAt FROM warehouses WHERE code = ?'),
    };
    statements.set(db.$client, st);
  }
  return st;
}

export function findSku(db: ReadDb, code: string): StoredSku | null {
  return (lookups(db).sku.get(code) as StoredSku | undefined) ?? null;
}

export function skuByCode(db: ReadDb, code: string): StoredSku {
  const sku = findSku(db, code);
  if (!sku) throw reasonError('sku.not_found', { code }, `no SKU with outer code "${code}"`);
  return sku;
}

export function findWarehouse(db: ReadDb, code: string): StoredWarehouse | null {
  return (lookups(db).warehouse.get(code) as StoredWarehouse | undefined) ?? null;
}

export function warehouseByCode(db: ReadDb, code: string): StoredWarehouse {
  const w = findWarehouse(db, code);
  if (!w) throw reasonError('warehouse.not_found', { code }, `no warehouse with code "${code}"`);
  return w;
}
