// Row types of the stock tables, derived from the drizzle schema (as db/rows.ts does for the
// others), so a column changed there changes every stock query's row type here.
import type * as schema from '../db/schema.ts';

/** 仓库: one warehouse as stored (regions still JSON text). */
export type StoredWarehouse = typeof schema.warehouses.$inferSelect;
/** One row of the stock ledger. */
export type StoredMovement = typeof schema.stockMovements.$inferSelect;
export type StoredSkuBarcode = typeof schema.skuBarcodes.$inferSelect;
