// The local database schema (drizzle). Change it only here, then `npm run db:generate`;
// FTS5 tables, triggers and partial indexes live in custom migrations (see docs/architecture.md#conventions, 5).
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One seller account on one platform. */
export const shops = sqliteTable('shops', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  platform: text('platform').notNull(),
  /** active | paused | auth_expired */
  state: text('state').notNull().default('active'),
  createdAt: integer('created_at').notNull(),
  /** Adapter settings (gateway URL, sandbox seed, ...) as JSON; secrets never live here. */
  settings: text('settings').notNull().default('{}'),
});

/**
 * A shop's connection secrets (app secret, access and refresh tokens) as one encrypted JSON blob.
 * Never plain text: see electron/core/shops/secrets.ts for the ciphers (OS keychain or a local key file).
 */
export const shopSecrets = sqliteTable('shop_secrets', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id),
  /** base64 of the cipher's output. */
  ciphertext: text('ciphertext').notNull(),
  /** os-keychain | local-key: which cipher can open it. */
  cipherKind: text('cipher_kind').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Where each shop's incremental pull stands. Advanced only in the transaction that stores its rows. */
export const syncCursors = sqliteTable('sync_cursors', {
  shopId: text('shop_id')
    .primaryKey()
    .references(() => shops.id),
  /** Orders modified before this platform time (epoch ms) are stored. */
  cursorMs: integer('cursor_ms').notNull(),
  lastSuccessAt: integer('last_success_at'),
  /** The failed round's message (English, redacted); its code and kind below, classified when it happened. */
  lastError: text('last_error'),
  /** The contract's error code (PLATFORM_ERROR, SHOP_AUTH_EXPIRED, ...; INTERNAL for a bare Error). */
  lastErrorCode: text('last_error_code'),
  /** How the scheduler classified it (electron/shared/sync-errors.ts): auth | throttled | retryable | fatal. */
  lastErrorKind: text('last_error_kind'),
  lastErrorAt: integer('last_error_at'),
});

export const orders = sqliteTable(
  'orders',
  {
    /** rowid alias: the join key for the FTS index, stable across VACUUM. */
    seq: integer('seq').primaryKey(),
    id: text('id').notNull(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    platform: text('platform').notNull(),
    platformOrderId: text('platform_order_id').notNull(),
    status: text('status').notNull(),
    platformStatus: text('platform_status').notNull(),
    afterSale: text('after_sale').notNull().default('none'),
    stage: text('stage').notNull().default('pending_review'),
    holdReason: text('hold_reason'),
    closeReason: text('close_reason'),
    orderType: text('order_type').notNull().default('normal'),
    presaleDepositFen: integer('presale_deposit_fen'),
    presaleBalanceFen: integer('presale_balance_fen'),
    buyerNick: text('buyer_nick').notNull(),
    buyerMessage: text('buyer_message'),
    sellerMemo: text('seller_memo'),
    sellerFlag: integer('seller_flag').notNull().default(0),
    receiverName: text('receiver_name').notNull(),
    receiverPhone: text('receiver_phone').notNull(),
    receiverProvince: text('receiver_province').notNull(),
    receiverCity: text('receiver_city').notNull(),
    receiverDistrict: text('receiver_district').notNull(),
    receiverTown: text('receiver_town'),
    receiverAddress: text('receiver_address').notNull(),
    receiverCipher: text('receiver_cipher'),
    goodsFen: integer('goods_fen').notNull(),
    shippingFen: integer('shipping_fen').notNull(),
    discountFen: integer('discount_fen').notNull(),
    paidFen: integer('paid_fen').notNull(),
    itemCount: integer('item_count').notNull(),
    createdAt: integer('created_at').notNull(),
    paidAt: integer('paid_at'),
    platformUpdatedAt: integer('platform_updated_at').notNull(),
    shippedAt: integer('shipped_at'),
    /** The carrier (shared/carriers.ts code) and waybill the platform was told, or reported, at shipping. */
    carrierCode: text('carrier_code'),
    waybillNo: text('waybill_no'),
    localUpdatedAt: integer('local_updated_at').notNull(),
    /** Set when someone edits the receiver here: later platform pulls then keep the local address. */
    receiverEditedAt: integer('receiver_edited_at'),
    /**
     * Where the order stands with stock (docs/stock.md#reservations): null = nothing stocked (no line
     * maps to a SKU kept in a warehouse, or the order does not hold stock: unpaid, closed, refunding),
     * reserved = its units are held in stock_reservations, short = waits in 缺货, shipped = its
     * reservation became shipment movements.
     */
    stockState: text('stock_state'),
    /** Why a short order waits (a reason code of shared/api/stock.ts SHORT_REASONS). */
    stockShortReason: text('stock_short_reason'),
    isRead: integer('is_read').notNull().default(0),
    /** Bitmask of ABNORMAL_REASONS (shared/model.ts). */
    abnormalFlags: integer('abnormal_flags').notNull().default(0),
    /** Hash of the adapter's output: an unchanged re-pull writes nothing and emits nothing. */
    contentHash: text('content_hash').notNull(),
    /** The status tab the order sits in; derived so it can never disagree with its inputs. */
    queue: text('queue')
      .notNull()
      .generatedAlwaysAs(
        sql`CASE
          WHEN status = 'unpaid' THEN 'unpaid'
          WHEN status = 'closed' THEN 'closed'
          WHEN status = 'completed' THEN 'completed'
          WHEN after_sale IN ('requested', 'in_progress') THEN 'after_sale'
          WHEN status = 'shipped' OR stage = 'shipped' THEN 'shipped'
          WHEN hold_reason IS NOT NULL THEN 'held'
          WHEN stage = 'pending_review' THEN 'pending_review'
          WHEN stage = 'awaiting_print' THEN 'awaiting_print'
          ELSE 'printed' END`,
        { mode: 'stored' },
      ),
  },
  (t) => [
    uniqueIndex('orders_id_uq').on(t.id),
    uniqueIndex('orders_shop_platform_order_uq').on(t.shopId, t.platformOrderId),
    index('orders_queue_paid_idx').on(t.queue, t.paidAt),
    index('orders_queue_shop_paid_idx').on(t.queue, t.shopId, t.paidAt),
    index('orders_shop_paid_idx').on(t.shopId, t.paidAt),
    index('orders_paid_idx').on(t.paidAt),
    index('orders_created_idx').on(t.createdAt),
    // Sorting the status tabs by created time, platform time and amount without a full sort.
    index('orders_queue_created_idx').on(t.queue, t.createdAt),
    index('orders_updated_idx').on(t.platformUpdatedAt),
    index('orders_paid_fen_idx').on(t.paidFen),
    index('orders_province_paid_idx').on(t.receiverProvince, t.paidAt),
    // The 异常 tab and reason chips only ever look at the few orders with a flag set.
    index('orders_abnormal_paid_idx').on(t.paidAt).where(sql`abnormal_flags <> 0`),
    // The 缺货 queue: short orders in paid-time order, refilled first-paid first when stock arrives.
    index('orders_stock_short_idx').on(t.paidAt).where(sql`stock_state = 'short'`),
    // Orders waiting only for an offline quota, retried at the end of every batch once nothing limits
    // the station: almost always none, so each batch's look costs nothing however long 缺货 grows.
    index('orders_stock_quota_wait_idx').on(t.id).where(sql`stock_state = 'short' AND stock_short_reason = 'offline_quota'`),
    // The workbench search finds an order by the waybill it shipped with (a scanned parcel); most
    // orders have none, so only those that do are in the index.
    index('orders_waybill_idx').on(t.waybillNo).where(sql`waybill_no IS NOT NULL`),
    // Sales velocity's per-SKU plan looks each line's order up by id for its status and paid time:
    // covering, so that lookup never reads the order's row (orders_id_uq alone would).
    index('orders_id_sales_idx').on(t.id, t.status, t.paidAt),
  ],
);

/**
 * Live tab counts: orders per (shop, queue, abnormal mask), kept by triggers on orders (custom
 * migration), so the status-tab badges never scan a million rows.
 */
export const orderCounts = sqliteTable(
  'order_counts',
  {
    shopId: text('shop_id').notNull(),
    queue: text('queue').notNull(),
    abnormalFlags: integer('abnormal_flags').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.queue, t.abnormalFlags] })],
);

export const orderItems = sqliteTable(
  'order_items',
  {
    seq: integer('seq').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    platformItemId: text('platform_item_id').notNull(),
    platformSkuId: text('platform_sku_id'),
    outerSkuCode: text('outer_sku_code'),
    /** The local SKU this line matched by outer SKU code; null = unmatched (an abnormal reason). */
    skuId: text('sku_id'),
    title: text('title').notNull(),
    skuName: text('sku_name'),
    quantity: integer('quantity').notNull(),
    unitPriceFen: integer('unit_price_fen').notNull(),
    paidFen: integer('paid_fen').notNull(),
    isGift: integer('is_gift').notNull().default(0),
    isBundle: integer('is_bundle').notNull().default(0),
    imageUrl: text('image_url'),
  },
  (t) => [
    uniqueIndex('order_items_order_line_uq').on(t.orderId, t.lineNo),
    index('order_items_outer_sku_idx').on(t.outerSkuCode),
    // Covering for sales velocity: a SKU's lines with their order and quantity from the index alone.
    index('order_items_sku_idx').on(t.skuId, t.orderId, t.quantity),
  ],
);

/** The raw platform payload of each order's latest version, kept for replay and support. */
export const orderPayloads = sqliteTable('order_payloads', {
  orderId: text('order_id')
    .primaryKey()
    .references(() => orders.id, { onDelete: 'cascade' }),
  payload: text('payload').notNull(),
  receivedAt: integer('received_at').notNull(),
});

export const products = sqliteTable('products', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const skus = sqliteTable(
  'skus',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id),
    /** 商家编码: how platform lines are matched to local SKUs. */
    outerSkuCode: text('outer_sku_code').notNull(),
    name: text('name').notNull(),
    barcode: text('barcode'),
    priceFen: integer('price_fen').notNull(),
    costFen: integer('cost_fen'),
    /** 储位: where pickers find it (printed on pick lists, which sort by it). */
    location: text('location'),
    /** Grams per unit, for parcels' weights. */
    weightG: integer('weight_g'),
    imageUrl: text('image_url'),
    /** 安全库存: units held back from what platforms are told (available = on hand − reserved − this). */
    safetyStock: integer('safety_stock').notNull().default(0),
    /** 预警库存: the SKU counts as low in a warehouse when its available stock there is at or below this. */
    lowStockThreshold: integer('low_stock_threshold').notNull().default(0),
    /** 到货周期: days from ordering more to having it, for the restock suggestion. */
    leadTimeDays: integer('lead_time_days').notNull().default(7),
    updatedAt: integer('updated_at'),
  },
  (t) => [uniqueIndex('skus_outer_code_uq').on(t.outerSkuCode), index('skus_barcode_idx').on(t.barcode)],
);

/**
 * 条码: every barcode a SKU answers to (several per SKU, each naming one SKU). skus.barcode keeps the
 * first of them, written by the same catalogue commands, for the readers that look there.
 */
export const skuBarcodes = sqliteTable(
  'sku_barcodes',
  {
    barcode: text('barcode').primaryKey(),
    skuId: text('sku_id')
      .notNull()
      .references(() => skus.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('sku_barcodes_sku_idx').on(t.skuId)],
);

/** 仓库: where stock is held. Regions (JSON array of province names) and priority choose a warehouse per order later. */
export const warehouses = sqliteTable(
  'warehouses',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    address: text('address'),
    /** JSON array of the provinces it serves, e.g. ["浙江","江苏"]; [] = anywhere. */
    regions: text('regions').notNull().default('[]'),
    /** Higher first when several warehouses could serve an order. */
    priority: integer('priority').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at'),
  },
  (t) => [uniqueIndex('warehouses_code_uq').on(t.code)],
);

/**
 * The stock ledger (docs/stock.md): one row per movement of one SKU in one warehouse. On hand is
 * Σ delta, never a stored figure; rows are never edited or deleted — a mistake is undone by a
 * correction row (corrects_id names the movement it reverses, once: the unique index).
 */
export const stockMovements = sqliteTable(
  'stock_movements',
  {
    /** UUIDv7, made on the station. */
    id: text('id').primaryKey(),
    skuId: text('sku_id')
      .notNull()
      .references(() => skus.id),
    warehouseId: text('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    delta: integer('delta').notNull(),
    /** receive | count | adjust | transfer_out | transfer_in | ship | return | correction (shared/api/stock.ts MOVEMENT_REASONS) */
    reason: text('reason').notNull(),
    /** What it refers to: a delivery note, a count sheet, an order, the other warehouse of a transfer. */
    reference: text('reference'),
    /** A person's words: why an adjustment was made. */
    note: text('note'),
    actor: text('actor').notNull(),
    at: integer('at').notNull(),
    /** The command's ops row: a transfer's two rows share it. */
    opId: text('op_id').notNull(),
    correctsId: text('corrects_id'),
    /** The caller's id for the request: the same id again writes nothing new (a retried call). */
    requestId: text('request_id'),
  },
  (t) => [
    // Covering: on hand for one (sku, warehouse) is a sum over this index alone, never the table.
    index('stock_movements_balance_idx').on(t.skuId, t.warehouseId, t.delta),
    index('stock_movements_sku_at_idx').on(t.skuId, t.at),
    uniqueIndex('stock_movements_corrects_uq').on(t.correctsId),
    index('stock_movements_request_idx').on(t.requestId),
  ],
);

/**
 * 组合装: a bundle SKU's components. A SKU with rows here is a bundle: it holds no stock of its own;
 * an order line of it reserves and ships its components, quantity × the line's quantity each.
 */
export const bundleComponents = sqliteTable(
  'bundle_components',
  {
    bundleSkuId: text('bundle_sku_id')
      .notNull()
      .references(() => skus.id),
    componentSkuId: text('component_sku_id')
      .notNull()
      .references(() => skus.id),
    quantity: integer('quantity').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.bundleSkuId, t.componentSkuId] }),
    index('bundle_components_component_idx').on(t.componentSkuId),
  ],
);

/**
 * 商品对应: one platform SKU of one shop as its listing said, and the local SKU it stands for (null =
 * unmapped). Order lines find their SKU here by (shop, platform SKU id) before the outer code.
 */
export const skuMappings = sqliteTable(
  'sku_mappings',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    platformProductId: text('platform_product_id').notNull(),
    /** '' for a product sold without SKUs (the listing's and the order line's null), so the key is total. */
    platformSkuId: text('platform_sku_id').notNull(),
    outerCode: text('outer_code'),
    productOuterCode: text('product_outer_code'),
    title: text('title').notNull(),
    spec: text('spec'),
    /** The platform's own stock figure at the last listing or stock write; null when it did not say. */
    platformStock: integer('platform_stock'),
    onSale: integer('on_sale'),
    skuId: text('sku_id').references(() => skus.id),
    /** outer_code | hand | import: how the mapping was made. */
    matchedBy: text('matched_by'),
    mappedAt: integer('mapped_at'),
    mappedBy: text('mapped_by'),
    listedAt: integer('listed_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.platformProductId, t.platformSkuId] }),
    index('sku_mappings_shop_sku_idx').on(t.shopId, t.platformSkuId),
    // Covering for the push round: a SKU's platform listings by shop with the figure last told, never the table.
    index('sku_mappings_sku_idx').on(t.skuId, t.shopId, t.platformStock),
    index('sku_mappings_outer_idx').on(t.outerCode),
    index('sku_mappings_unmapped_idx').on(t.shopId).where(sql`sku_id IS NULL`),
  ],
);

/**
 * 占用: units of one component SKU an order holds in one warehouse. Rows are kept after they settle
 * (shipped: turned into a ship movement; released: cancelled, refunded, closed) so a SKU's detail can
 * say where its stock went; only held rows count as reserved.
 */
export const stockReservations = sqliteTable(
  'stock_reservations',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    skuId: text('sku_id')
      .notNull()
      .references(() => skus.id),
    warehouseId: text('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    quantity: integer('quantity').notNull(),
    /** held | shipped | released */
    state: text('state').notNull().default('held'),
    createdAt: integer('created_at').notNull(),
    settledAt: integer('settled_at'),
    /** The ship movement a shipped reservation became. */
    movementId: text('movement_id'),
  },
  (t) => [
    // Reserved per (sku, warehouse) is stock_held_totals, kept by triggers (migration 0022), not a
    // sum over these rows: that sum grew with every order still waiting to ship.
    // An order line holds a component once: reserving again cannot count it twice.
    uniqueIndex('stock_reservations_held_uq').on(t.orderId, t.lineNo, t.skuId).where(sql`state = 'held'`),
    index('stock_reservations_order_idx').on(t.orderId, t.state),
    index('stock_reservations_sku_created_idx').on(t.skuId, t.createdAt),
  ],
);

/**
 * Units held per SKU and warehouse: Σ quantity of the held stock_reservations rows, kept by the
 * triggers of migration 0022 in the same statement as every insert, update and delete of a
 * reservation (so it cannot disagree with them), and read wherever reserved is needed
 * (docs/stock.md#available). Local: every station keeps it from the rows it has.
 */
export const stockHeldTotals = sqliteTable(
  'stock_held_totals',
  {
    skuId: text('sku_id').notNull(),
    warehouseId: text('warehouse_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.skuId, t.warehouseId] })],
);

/**
 * 分配: how much of a SKU's available stock one shop is told. sku_id '*' is the shop's default for
 * every SKU; no row at all means the whole available figure (share 100%).
 */
export const stockAllocations = sqliteTable(
  'stock_allocations',
  {
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    /** A SKU id, or '*' for the shop's default. */
    skuId: text('sku_id').notNull(),
    /** share (value = percent of available) | fixed (value = units, capped by available) | reserve (value = units held for this shop alone) */
    mode: text('mode').notNull(),
    value: integer('value').notNull(),
    minQty: integer('min_qty'),
    maxQty: integer('max_qty'),
    updatedAt: integer('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.skuId] })],
);

/**
 * SKUs whose available stock moved since the last push round, written in the transaction of the
 * change; the debounced push round reads committed stock for them and clears what it covered.
 */
export const stockDirty = sqliteTable('stock_dirty', {
  skuId: text('sku_id').primaryKey(),
  /** The latest change's time. */
  since: integer('since').notNull(),
});

/**
 * A stock figure for one platform SKU of one shop, sent by the outbox (docs/stock.md#pushes). The id
 * is the idempotency key; the figure is frozen when the row is written (from committed stock), and a
 * newer row for the same platform SKU supersedes one not yet sent.
 */
export const stockPushes = sqliteTable(
  'stock_pushes',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id')
      .notNull()
      .references(() => shops.id),
    platformProductId: text('platform_product_id').notNull(),
    platformSkuId: text('platform_sku_id').notNull(),
    skuId: text('sku_id')
      .notNull()
      .references(() => skus.id),
    /** set (absolute) | delta (from a fresh read of the platform's figure, for platforms without set) */
    mode: text('mode').notNull(),
    /** The figure the shop should show. */
    quantity: integer('quantity').notNull(),
    /** For delta mode: the platform's figure read just before sending, and the delta sent. */
    platformBefore: integer('platform_before'),
    sentDelta: integer('sent_delta'),
    /** The platform's figure after the write (its answer or a verifying read). */
    platformAfter: integer('platform_after'),
    /** pending | sending | confirmed | refused | failed | superseded */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAt: integer('next_at').notNull(),
    lastError: text('last_error'),
    lastErrorCode: text('last_error_code'),
    lastErrorReason: text('last_error_reason'),
    lastErrorDetails: text('last_error_details'),
    /** The platform refused because a promotion or activity holds the SKU's stock. */
    lockedByPromotion: integer('locked_by_promotion').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [
    index('stock_pushes_state_idx').on(t.state, t.nextAt),
    // Only the rows that can still be a target's latest word: every round writes into this index, and
    // keeping the confirmed and superseded history (nearly all rows) out of it keeps those writes in a
    // small index instead of scattered over a million entries (docs/stock.md#pushes). The text of the
    // condition is LIVE_PUSH_STATES (push-round.ts); queries repeat it so SQLite can use the index.
    index('stock_pushes_live_target_idx')
      .on(t.shopId, t.platformProductId, t.platformSkuId, t.createdAt)
      .where(sql`state IN ('pending', 'sending', 'refused', 'failed')`),
    index('stock_pushes_sku_idx').on(t.skuId, t.createdAt),
  ],
);

/**
 * 库存预警: an alert raised for a SKU (low, out, oversold) or a failed push, open until cleared.
 * warehouse_id/shop_id are '' when the alert is not about one, so one open alert per key is unique.
 */
export const stockAlerts = sqliteTable(
  'stock_alerts',
  {
    id: text('id').primaryKey(),
    /** low | out | oversold | push_failed */
    kind: text('kind').notNull(),
    skuId: text('sku_id')
      .notNull()
      .references(() => skus.id),
    warehouseId: text('warehouse_id').notNull().default(''),
    shopId: text('shop_id').notNull().default(''),
    /** JSON: the figures the alert's words interpolate (available, threshold, days of cover, the platform's words). */
    details: text('details').notNull().default('{}'),
    raisedAt: integer('raised_at').notNull(),
    clearedAt: integer('cleared_at'),
    /** When a desktop notification was shown for it (once per alert). */
    notifiedAt: integer('notified_at'),
  },
  (t) => [
    uniqueIndex('stock_alerts_open_uq')
      .on(t.kind, t.skuId, t.warehouseId, t.shopId)
      .where(sql`cleared_at IS NULL`),
    index('stock_alerts_raised_idx').on(t.raisedAt),
  ],
);

/** A SKU whose alerts raise no desktop notification (they still show in the alert list). */
export const stockAlertMutes = sqliteTable('stock_alert_mutes', {
  skuId: text('sku_id')
    .primaryKey()
    .references(() => skus.id),
  mutedAt: integer('muted_at').notNull(),
  mutedBy: text('muted_by').notNull(),
});

/**
 * SKUs whose alerts may have changed since the periodic evaluation last looked (docs/stock.md#alerts):
 * marked with stock_dirty's marks (every change of available stock) and by catalogue edits of the
 * figures alerts judge; the evaluation reads them and clears the marks of the SKUs it evaluated in
 * the same transaction. Separate from stock_dirty, which the push round clears on its own schedule.
 */
export const stockAlertDirty = sqliteTable('stock_alert_dirty', {
  skuId: text('sku_id').primaryKey(),
  /** The latest change's time. */
  since: integer('since').notNull(),
});

export const tags = sqliteTable(
  'tags',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    color: text('color').notNull().default('#1677ff'),
  },
  (t) => [uniqueIndex('tags_name_uq').on(t.name)],
);

export const orderTags = sqliteTable(
  'order_tags',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    tagId: text('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.tagId] }), index('order_tags_tag_idx').on(t.tagId, t.orderId)],
);

/** Internal notes on an order (never sent to the platform, unlike the seller memo). */
export const orderNotes = sqliteTable(
  'order_notes',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    author: text('author').notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at').notNull(),
    /** JSON array of the user ids its `@名字` named (parsed when written), or null when it names nobody. */
    mentions: text('mentions'),
    /** The station it was written at (its hub name), null without a hub. */
    station: text('station'),
  },
  (t) => [index('order_notes_order_idx').on(t.orderId, t.createdAt)],
);

/** Who changed what: one row per field changed by a command, shown in the order timeline. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    command: text('command').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    field: text('field'),
    before: text('before'),
    after: text('after'),
    reason: text('reason'),
    opId: text('op_id').notNull(),
  },
  (t) => [index('audit_entity_idx').on(t.entityId, t.at)],
);

/**
 * The operations log (docs/architecture.md#data-flow-rules, rule 1): one row per command, the outbox for platform
 * push-backs and the team hub. The id is stable, so a retry is never a second effect.
 */
export const ops = sqliteTable(
  'ops',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    /** Hybrid logical clock for last-writer-wins merging of soft fields across stations. */
    hlc: text('hlc').notNull(),
    actor: text('actor').notNull(),
    name: text('name').notNull(),
    args: text('args').notNull(),
    /** null: nothing to push; else the summary of its pushes rows: pending | confirmed | failed | conflict | superseded */
    pushState: text('push_state'),
    pushAttempts: integer('push_attempts').notNull().default(0),
    pushError: text('push_error'),
    /**
     * With a team hub (docs/team-hub.md#push-station--hub): pending until the hub answers, then acked
     * or refused (reason and details below, for a person); local = written before this station
     * joined a hub, never sent (the join's bootstrap op carries the rows instead).
     */
    hubState: text('hub_state').notNull().default('pending'),
    /** Per-station push order, strictly increasing, given by appendOp. */
    seq: integer('seq'),
    /** A refused op's stable reason (electron/shared/reasons.ts) and its details as JSON. */
    hubReason: text('hub_reason'),
    hubDetails: text('hub_details'),
  },
  (t) => [
    index('ops_push_idx').on(t.pushState, t.at),
    index('ops_hub_idx').on(t.hubState, t.at),
    uniqueIndex('ops_seq_uq').on(t.seq),
  ],
);

/**
 * What each op changed in the synced tables (electron/shared/hub/tables.ts): one row per row write,
 * recorded by triggers (custom part of migration 0012) while the station is joined to a hub, with
 * no op yet; appendOp gives the transaction's unassigned rows to its op. Push sends each changed row's
 * current image of the changed columns. Rows go once their op is acknowledged.
 */
export const opEffects = sqliteTable(
  'op_effects',
  {
    id: integer('id').primaryKey(),
    opId: text('op_id'),
    /** The synced table's name. */
    tbl: text('tbl').notNull(),
    /** JSON array of the key columns' values, in the table's key order. */
    key: text('key').notNull(),
    /** JSON array of the changed column names; null = the whole row (an insert, or a delete). */
    cols: text('cols'),
    /** i | u | d */
    kind: text('kind').notNull(),
  },
  (t) => [index('op_effects_op_idx').on(t.opId), index('op_effects_unassigned_idx').on(t.id).where(sql`op_id IS NULL`)],
);

/**
 * The platform outbox (docs/sync.md#the-push-back-outbox): one row per order and action that must reach
 * the platform (ship, memo/flag), written in the transaction of the command that caused it. The
 * payload is frozen there — the outbox sends exactly it, so a retry is never different content —
 * and the row id is the idempotency key. A newer memo push for the same order supersedes an older
 * one that has not been sent yet.
 */
export const pushes = sqliteTable(
  'pushes',
  {
    id: text('id').primaryKey(),
    opId: text('op_id').notNull(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    shopId: text('shop_id').notNull(),
    /** ship | memo */
    kind: text('kind').notNull(),
    /** JSON of the PushRequest minus platformOrderId (platforms/contract.ts). */
    payload: text('payload').notNull(),
    /** pending | sending | confirmed | failed | conflict | superseded */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Earliest next attempt (epoch ms) after a transient failure. */
    nextAt: integer('next_at').notNull(),
    /** English, for logs; a person reads the reason's words (or the kind's) instead. */
    lastError: text('last_error'),
    /** The error code (ERROR_CODES) the last failure travelled under. */
    lastErrorCode: text('last_error_code'),
    /** How the failure was classified for retrying (SyncErrorKind), when it was thrown rather than answered. */
    lastErrorKind: text('last_error_kind'),
    /** Its stable reason (electron/shared/reasons.ts), when it has one. */
    lastErrorReason: text('last_error_reason'),
    /** JSON of the reason's details (the values its words interpolate). */
    lastErrorDetails: text('last_error_details'),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
  },
  (t) => [
    index('pushes_state_idx').on(t.state, t.nextAt),
    index('pushes_order_idx').on(t.orderId, t.kind, t.createdAt),
    index('pushes_shop_idx').on(t.shopId, t.state),
    index('pushes_op_idx').on(t.opId, t.state),
  ],
);

/** One row per shop sync attempt: the sync log people read when a shop goes quiet. */
export const syncRuns = sqliteTable(
  'sync_runs',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id').notNull(),
    /** schedule | manual | backfill */
    trigger: text('trigger').notNull(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at'),
    pulled: integer('pulled').notNull().default(0),
    changed: integer('changed').notNull().default(0),
    quarantined: integer('quarantined').notNull().default(0),
    /** Orders kept although part of their payload could not be read (adapter warnings). */
    warnings: integer('warnings').notNull().default(0),
    /** JSON array of the first warnings ("order 123: …"), bounded; null when there were none. */
    warningSamples: text('warning_samples'),
    /** The failed run's message (null = success or still running); its code and kind as on sync_cursors. */
    error: text('error'),
    errorCode: text('error_code'),
    errorKind: text('error_kind'),
  },
  (t) => [index('sync_runs_shop_idx').on(t.shopId, t.startedAt), index('sync_runs_started_idx').on(t.startedAt)],
);

/** Price or quantity edits wait here until a role that may approve decides. */
export const changeRequests = sqliteTable(
  'change_requests',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    payload: text('payload').notNull(),
    reason: text('reason').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: integer('requested_at').notNull(),
    /** pending | approved | rejected */
    state: text('state').notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: integer('decided_at'),
    decisionNote: text('decision_note'),
  },
  (t) => [index('change_requests_state_idx').on(t.state, t.requestedAt), index('change_requests_order_idx').on(t.orderId)],
);

/** A platform payload that failed validation, kept with its reason until fixed and retried. */
export const quarantine = sqliteTable(
  'quarantine',
  {
    id: text('id').primaryKey(),
    shopId: text('shop_id').notNull(),
    platform: text('platform').notNull(),
    platformOrderId: text('platform_order_id'),
    reason: text('reason').notNull(),
    payload: text('payload').notNull(),
    receivedAt: integer('received_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [index('quarantine_shop_idx').on(t.shopId, t.resolvedAt)],
);

/**
 * Where waybill numbers come from for one carrier: a shop's platform e-waybill service (Cainiao via
 * TOP, PDD, Douyin, ...) or numbers the team got from the courier directly (a range or an import).
 */
export const waybillAccounts = sqliteTable('waybill_accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  carrierCode: text('carrier_code').notNull(),
  /** platform | pool (self-managed numbers in waybill_numbers) */
  kind: text('kind').notNull(),
  /** For kind 'platform': the shop whose platform allocates the numbers. */
  shopId: text('shop_id'),
  /** Sender address, branch code, template, ... as JSON. */
  settings: text('settings').notNull().default('{}'),
  createdAt: integer('created_at').notNull(),
});

/** Self-managed waybill numbers (a range or an imported list), each used by at most one package. */
export const waybillNumbers = sqliteTable(
  'waybill_numbers',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => waybillAccounts.id),
    waybillNo: text('waybill_no').notNull(),
    /** The package it was allocated to; null while free. */
    packageId: text('package_id'),
    addedAt: integer('added_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.waybillNo] }), index('waybill_numbers_free_idx').on(t.accountId, t.packageId)],
);

/**
 * One parcel of an order (docs/architecture.md#data-flow-rules, rule 4): its waybill is allocated once and kept; the
 * package id is the idempotency key of the allocation, so a retry after a crash gets the same number.
 */
export const packages = sqliteTable(
  'packages',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** 1-based within the order. */
    seq: integer('seq').notNull(),
    accountId: text('account_id').references(() => waybillAccounts.id),
    carrierCode: text('carrier_code').notNull(),
    waybillNo: text('waybill_no'),
    /** 三段码 / sort code and the other routing marks printed large on the label (JSON). */
    routing: text('routing'),
    /** The platform's (encrypted) print data for its print component, kept as received. */
    printData: text('print_data'),
    /** new | allocated | printed | shipped | cancelled */
    state: text('state').notNull().default('new'),
    allocatedAt: integer('allocated_at'),
    printedAt: integer('printed_at'),
    /** Scan verification (验货): every item scanned and matched, by whom. */
    verifiedAt: integer('verified_at'),
    verifiedBy: text('verified_by'),
    shippedAt: integer('shipped_at'),
    /** Tracking: none | collected | in_transit | delivering | signed | returned | exception */
    trackingState: text('tracking_state').notNull().default('none'),
    lastTraceAt: integer('last_trace_at'),
    signedAt: integer('signed_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('packages_tracking_idx').on(t.trackingState, t.lastTraceAt),
    uniqueIndex('packages_order_seq_uq').on(t.orderId, t.seq),
    uniqueIndex('packages_waybill_uq').on(t.carrierCode, t.waybillNo),
    // A scanned waybill names its parcel without the carrier (the workbench search): the unique
    // index above leads with the carrier, so it cannot answer that.
    index('packages_waybill_idx').on(t.waybillNo).where(sql`waybill_no IS NOT NULL`),
    index('packages_state_idx').on(t.state, t.createdAt),
  ],
);

/** One logistics trace event of a package, from a platform API or a CSV import (idempotent per event). */
export const trackingEvents = sqliteTable(
  'tracking_events',
  {
    id: text('id').primaryKey(),
    packageId: text('package_id')
      .notNull()
      .references(() => packages.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    /** collected | in_transit | delivering | signed | returned | exception */
    status: text('status').notNull(),
    description: text('description').notNull(),
    location: text('location'),
    /** platform | csv */
    source: text('source').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('tracking_events_uq').on(t.packageId, t.at, t.description), index('tracking_events_package_idx').on(t.packageId, t.at)],
);

/** A label, receipt or A4 printer this station prints to. */
export const printers = sqliteTable('printers', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** tcp://HOST:9100 | usb:/dev/usb/lp0 | cups:QUEUE | spooler:NAME | component:cainiao|pdd|douyin|kuaishou|jd */
  uri: text('uri').notNull(),
  /** tspl | zpl | escpos | pdf */
  lang: text('lang').notNull(),
  dpi: integer('dpi').notNull().default(203),
  /** Document types it is assigned to (JSON array of waybill | pick_list | packing_slip). */
  documents: text('documents').notNull().default('[]'),
  /** Calibration offsets in dots and the label size/template (JSON). */
  settings: text('settings').notNull().default('{}'),
  paused: integer('paused').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});

/**
 * The persistent print queue (docs/architecture.md#data-flow-rules, rule 4): one serial lane per printer. The
 * idempotency key (package + waybill + copy, or the document's own key) is unique, so a job is
 * never queued twice; a job caught in 'sending' by a crash becomes 'uncertain' and waits for a
 * person — never silently sent again. Reprints are new jobs that point at the original.
 */
export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: text('id').primaryKey(),
    printerId: text('printer_id')
      .notNull()
      .references(() => printers.id),
    idemKey: text('idem_key').notNull().unique(),
    /** waybill | pick_list | packing_slip | test */
    docType: text('doc_type').notNull(),
    packageId: text('package_id'),
    orderId: text('order_id'),
    /** What to render, as JSON (template, order ids, ...). */
    payload: text('payload').notNull(),
    batchId: text('batch_id'),
    /** The label's seq/total marker within its batch. */
    seq: integer('seq'),
    total: integer('total'),
    reprintOf: text('reprint_of'),
    reprintReason: text('reprint_reason'),
    /** queued | sending | sent | confirmed | failed | uncertain | cancelled */
    state: text('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** English, for logs; a person reads the reason's words instead. */
    lastError: text('last_error'),
    /** Its stable reason (electron/shared/reasons.ts), when it has one. */
    lastErrorReason: text('last_error_reason'),
    /** JSON of the reason's details (the values its words interpolate). */
    lastErrorDetails: text('last_error_details'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    confirmedAt: integer('confirmed_at'),
  },
  (t) => [
    index('print_jobs_lane_idx').on(t.printerId, t.state, t.createdAt),
    index('print_jobs_package_idx').on(t.packageId),
    index('print_jobs_batch_idx').on(t.batchId, t.seq),
  ],
);

/** People who work at this station, and what they may do (roles are enforced in the core). */
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Who holds which order, as the team hub last published it (docs/team-hub.md#claims): a hub-owned
 * table, filled by pull only, never written here. A free order's row has no station (released or
 * ended); `expires_at` is the hub's clock, so a past one means nobody holds it any more.
 */
export const claims = sqliteTable(
  'claims',
  {
    orderId: text('order_id').primaryKey(),
    stationId: text('station_id'),
    stationName: text('station_name'),
    userName: text('user_name'),
    expiresAt: integer('expires_at').notNull().default(0),
  },
  (t) => [index('claims_station_idx').on(t.stationId, t.expiresAt)],
);

/**
 * What only the hub sees across stations (docs/team-hub.md#hub-alerts-and-shared-stock): a second
 * waybill for one package, a SKU's team ledger below zero. Hub-owned, filled by pull only.
 */
export const hubAlerts = sqliteTable(
  'hub_alerts',
  {
    id: text('id').primaryKey(),
    /** DUPLICATE_WAYBILL | OVERSOLD */
    kind: text('kind').notNull(),
    /** The package id, or `sku|warehouse`. */
    subject: text('subject').notNull(),
    /** JSON: what the hub saw (both waybill numbers, the order, the ledger sum, ...). */
    details: text('details').notNull().default('{}'),
    raisedAt: integer('raised_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [index('hub_alerts_raised_idx').on(t.raisedAt)],
);

/**
 * 离线配额: how many units of a hot SKU each station may commit (hold for orders or ship) while it
 * cannot reach the hub (docs/team-hub.md#stock-quotas). Hub-owned, set by an owner or operator on
 * the hub, filled by pull only. warehouse_id '' = the SKU in every warehouse together.
 */
export const stockQuotas = sqliteTable(
  'stock_quotas',
  {
    stationId: text('station_id').notNull(),
    skuId: text('sku_id').notNull(),
    warehouseId: text('warehouse_id').notNull().default(''),
    quantity: integer('quantity').notNull(),
    setBy: text('set_by').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.skuId, t.warehouseId] })],
);

/**
 * Which station pulls each shop from its platform, as the hub last published it
 * (docs/team-hub.md#sync-leases): hub-owned, filled by pull only. Published when the holder changes,
 * so expires_at is the expiry of the take that made this holder (renewals are not sent).
 */
export const syncLeases = sqliteTable('sync_leases', {
  shopId: text('shop_id').primaryKey(),
  stationId: text('station_id'),
  stationName: text('station_name'),
  expiresAt: integer('expires_at').notNull().default(0),
  fence: integer('fence').notNull().default(0),
});

/**
 * Work handed to a person (客服 → 仓库: "this order needs a gift"), travelling to the whole team
 * (docs/team-hub.md#notes-and-tasks). `order_id` has no foreign key: a task pulled from the hub may
 * name an order of a shop this station does not receive, and a team task names none.
 */
export const tasks = sqliteTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id'),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    assigneeId: text('assignee_id').notNull(),
    /** open | doing | done | cancelled */
    state: text('state').notNull().default('open'),
    /** The user id of who made it ('hub' for a task the hub raised). */
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    dueAt: integer('due_at'),
  },
  (t) => [index('tasks_assignee_idx').on(t.assigneeId, t.state, t.updatedAt), index('tasks_order_idx').on(t.orderId)],
);

/** A task's history, append-only: who changed which field of it, when, and at which station. */
export const taskEvents = sqliteTable(
  'task_events',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id').notNull(),
    /** The task's order (copied, so the event's sync group and the order timeline need no join). */
    orderId: text('order_id'),
    at: integer('at').notNull(),
    actorId: text('actor_id').notNull(),
    /** The actor's name when it happened. */
    actor: text('actor').notNull(),
    station: text('station'),
    /** created | state | assignee | title | due */
    field: text('field').notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('task_events_task_idx').on(t.taskId, t.at), index('task_events_order_idx').on(t.orderId, t.at)],
);

/** Station-wide settings and bookkeeping (demo mode, HLC state, ...). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
