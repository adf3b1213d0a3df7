// Row types, derived from the drizzle schema (schema.ts) instead of written by hand per module: a
// column renamed, retyped or made nullable there changes every query's row type here, and the
// compiler finds the code that must follow. One order row type, one package row type, and so on;
// a query that selects a few columns takes Pick<> of its table's row.
//
// Named `Stored<glossary noun>` (StoredOrder, StoredPackage, ...): the row as the table holds it,
// apart from the views the API returns (shared/contract.ts OrderRow, PrintJob, ...).
//
// Two spellings of the same row, because the SQL is written two ways:
// - `StoredOrder` etc.: drizzle's camelCase keys. A query that aliases its columns to these names
//   (`shop_id AS shopId`) reads rows of this shape.
// - `Columns<StoredOrder>`: the column names as SQLite returns them (`shop_id`), for queries that
//   select columns unaliased. rows.test.ts checks that every column's name is its key in
//   snake_case, which is what makes this mapping exact.
// Values are what better-sqlite3 returns: the schema declares no boolean or JSON modes, so an
// integer flag is a number (0/1) and JSON is a string — the same in both spellings.
import type * as schema from './schema.ts';

/** 订单: one platform order as stored (local fields and the derived queue included). */
export type StoredOrder = typeof schema.orders.$inferSelect;
/** 子订单/商品行: one line of an order. */
export type StoredOrderItem = typeof schema.orderItems.$inferSelect;
/** 店铺: one seller account on one platform. */
export type StoredShop = typeof schema.shops.$inferSelect;
/** 店铺 secrets, encrypted: see shops/secrets.ts. */
export type StoredShopSecrets = typeof schema.shopSecrets.$inferSelect;
export type StoredSyncCursor = typeof schema.syncCursors.$inferSelect;
export type StoredSyncRun = typeof schema.syncRuns.$inferSelect;
export type StoredProduct = typeof schema.products.$inferSelect;
/** 商家编码 lives here: one stock-keeping unit of a product. */
export type StoredSku = typeof schema.skus.$inferSelect;
export type StoredTag = typeof schema.tags.$inferSelect;
export type StoredOrderNote = typeof schema.orderNotes.$inferSelect;
export type StoredChangeRequest = typeof schema.changeRequests.$inferSelect;
export type StoredQuarantine = typeof schema.quarantine.$inferSelect;
export type StoredOp = typeof schema.ops.$inferSelect;
/** A platform push-back (ship, memo/flag) the outbox sends. */
export type StoredPush = typeof schema.pushes.$inferSelect;
/** 面单账号: a waybill account (a number pool or a platform's electronic waybill service). */
export type StoredWaybillAccount = typeof schema.waybillAccounts.$inferSelect;
export type StoredWaybillNumber = typeof schema.waybillNumbers.$inferSelect;
/** A parcel of an order: its carrier, waybill and tracking summary. */
export type StoredPackage = typeof schema.packages.$inferSelect;
export type StoredTrackingEvent = typeof schema.trackingEvents.$inferSelect;
export type StoredPrinter = typeof schema.printers.$inferSelect;
export type StoredPrintJob = typeof schema.printJobs.$inferSelect;
export type StoredUser = typeof schema.users.$inferSelect;
export type StoredMeta = typeof schema.meta.$inferSelect;
/** 组合装: one component of a bundle SKU. */
export type StoredBundleComponent = typeof schema.bundleComponents.$inferSelect;
/** 商品对应: one platform SKU of one shop and the local SKU it maps to. */
export type StoredSkuMapping = typeof schema.skuMappings.$inferSelect;
/** 占用: units of a SKU an order holds in a warehouse. */
export type StoredStockReservation = typeof schema.stockReservations.$inferSelect;
export type StoredStockAllocation = typeof schema.stockAllocations.$inferSelect;
/** A stock figure sent (or to send) to one platform SKU of one shop. */
export type StoredStockPush = typeof schema.stockPushes.$inferSelect;
/** 库存预警 */
export type StoredStockAlert = typeof schema.stockAlerts.$inferSelect;

/** camelCase to snake_case, as the schema names its columns (`receiverEditedAt` → `receiver_edited_at`). */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** A row keyed by column names, as an unaliased `SELECT` returns it. */
export type Columns<Row> = { [K in keyof Row & string as SnakeCase<K>]: Row[K] };

/**
 * A row whose text columns the code knows to hold one of a few values (a status, a kind): the
 * schema types them as string, the query's row type says which strings.
 */
export type Narrowed<Row, Known extends { [K in keyof Row]?: Row[K] }> = Omit<Row, keyof Known> & Known;
