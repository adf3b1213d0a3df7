// The tables a station shares with its team through the hub
// (docs/team-hub.md#what-travels-and-what-stays-home): each with the columns that identify a row on every station, the columns that travel, how the hub
// merges two stations' writes, and which sync group a row belongs to. The station's effect
// triggers (migration of op_effects) and the hub's merge code are both built from this list, so a
// table or column is added here once. Anything not listed never leaves its station (secrets,
// printers, print jobs, the search index, tab counts, the platform outbox, caches, logs).
//
// Keys are the columns that name the same row on every station. The local rowid aliases
// (orders.seq, order_items.seq) differ per station and never travel; the generated orders.queue is
// recomputed wherever a row lands.

/**
 * lww: per column, the higher hybrid timestamp wins. append: insert by key, a second copy is a
 * no-op, rows are never changed. platform: the platform columns follow the newer platform version
 * (platformVersion); the other columns are lww. hub: only the hub writes; stations receive.
 */
export type MergeRule = 'lww' | 'append' | 'platform' | 'hub';

/**
 * Which sync group a row belongs to. team: every station of the team. shop: the group of the shop
 * named by `column` of the row itself, or (via) by a column of a parent row the row points at;
 * `orTeam`: a row whose parent is not of that table (audit of a SKU, say) goes to the team group.
 */
export type SyncGroup =
  | { kind: 'team' }
  | { kind: 'shop'; column: string }
  | { kind: 'shop'; via: { table: string; fk: string; parentKey: string; column: string }; orTeam?: boolean };

/** Where a row's platform version comes from, for the `platform` rule. */
export type PlatformVersion = { column: string } | { via: { table: string; fk: string; parentKey: string; column: string } };

export interface SyncedTable {
  name: string;
  /** Columns that identify the row on every station (a composite key is sent in this order). */
  key: readonly string[];
  rule: MergeRule;
  group: SyncGroup;
  /** Every column that travels, the key included, in schema order. */
  columns: readonly string[];
  /** rule 'platform': the columns that are the platform's facts; the rest of `columns` are lww. */
  platformColumns?: readonly string[];
  /** rule 'platform': which number orders two platform versions (the newer wins). */
  platformVersion?: PlatformVersion;
}

const viaOrder = { table: 'orders', fk: 'order_id', parentKey: 'id', column: 'shop_id' } as const;

const ORDER_PLATFORM_COLUMNS = [
  'shop_id',
  'platform',
  'platform_order_id',
  'status',
  'platform_status',
  'after_sale',
  'order_type',
  'presale_deposit_fen',
  'presale_balance_fen',
  'buyer_nick',
  'buyer_message',
  'receiver_cipher',
  'goods_fen',
  'shipping_fen',
  'discount_fen',
  'paid_fen',
  'item_count',
  'created_at',
  'paid_at',
  'platform_updated_at',
  'shipped_at',
  'carrier_code',
  'waybill_no',
  'content_hash',
] as const;

/**
 * Decisions made at a station: the 审单 stage, holds, close reason, memo and flag (edited here and
 * pushed to the platform), the receiver (an edit here outlives later pulls: receiver_edited_at),
 * stock state and abnormal flags (recomputed by the station's commands). is_read is one station's
 * reading state and stays home.
 */
const ORDER_LOCAL_COLUMNS = [
  'stage',
  'hold_reason',
  'close_reason',
  'seller_memo',
  'seller_flag',
  'receiver_name',
  'receiver_phone',
  'receiver_province',
  'receiver_city',
  'receiver_district',
  'receiver_town',
  'receiver_address',
  'receiver_edited_at',
  'local_updated_at',
  'stock_state',
  'stock_short_reason',
  'abnormal_flags',
] as const;

const ITEM_PLATFORM_COLUMNS = [
  'order_id',
  'line_no',
  'platform_item_id',
  'platform_sku_id',
  'outer_sku_code',
  'title',
  'sku_name',
  'quantity',
  'unit_price_fen',
  'paid_fen',
  'is_gift',
  'is_bundle',
  'image_url',
] as const;

export const SYNCED_TABLES: readonly SyncedTable[] = [
  // Shops without their secrets (shop_secrets never travels; each station authorises its own).
  {
    name: 'shops',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'shop', column: 'id' },
    columns: ['id', 'name', 'platform', 'state', 'created_at', 'settings'],
  },
  // Where a shop's pull stands, so a station taking the shop over continues from it.
  {
    name: 'sync_cursors',
    key: ['shop_id'],
    rule: 'lww',
    group: { kind: 'shop', column: 'shop_id' },
    columns: ['shop_id', 'cursor_ms', 'last_success_at', 'last_error', 'last_error_code', 'last_error_kind', 'last_error_at'],
  },
  {
    name: 'orders',
    key: ['id'],
    rule: 'platform',
    group: { kind: 'shop', column: 'shop_id' },
    columns: ['id', ...ORDER_PLATFORM_COLUMNS, ...ORDER_LOCAL_COLUMNS],
    platformColumns: ORDER_PLATFORM_COLUMNS,
    platformVersion: { column: 'platform_updated_at' },
  },
  // Lines are the platform's, ordered by their order's platform version; the matched SKU is local.
  {
    name: 'order_items',
    key: ['order_id', 'line_no'],
    rule: 'platform',
    group: { kind: 'shop', via: viaOrder },
    columns: [...ITEM_PLATFORM_COLUMNS, 'sku_id'],
    platformColumns: ITEM_PLATFORM_COLUMNS,
    platformVersion: { via: { table: 'orders', fk: 'order_id', parentKey: 'id', column: 'platform_updated_at' } },
  },
  { name: 'tags', key: ['id'], rule: 'lww', group: { kind: 'team' }, columns: ['id', 'name', 'color'] },
  { name: 'order_tags', key: ['order_id', 'tag_id'], rule: 'lww', group: { kind: 'shop', via: viaOrder }, columns: ['order_id', 'tag_id'] },
  {
    name: 'order_notes',
    key: ['id'],
    rule: 'append',
    group: { kind: 'shop', via: viaOrder },
    columns: ['id', 'order_id', 'author', 'body', 'created_at', 'mentions', 'station'],
  },
  {
    name: 'change_requests',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'shop', via: viaOrder },
    columns: [
      'id',
      'order_id',
      'kind',
      'payload',
      'reason',
      'requested_by',
      'requested_at',
      'state',
      'decided_by',
      'decided_at',
      'decision_note',
    ],
  },
  // Who did what, across the team: an order's rows go to its shop's group, the rest to the team.
  {
    name: 'audit_log',
    key: ['id'],
    rule: 'append',
    group: { kind: 'shop', via: { table: 'orders', fk: 'entity_id', parentKey: 'id', column: 'shop_id' }, orTeam: true },
    columns: ['id', 'at', 'actor', 'command', 'entity', 'entity_id', 'field', 'before', 'after', 'reason', 'op_id'],
  },
  // Parcels and their waybills: every station must see an order's waybill (a second one is a conflict).
  {
    name: 'packages',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'shop', via: viaOrder },
    columns: [
      'id',
      'order_id',
      'seq',
      'account_id',
      'carrier_code',
      'waybill_no',
      'routing',
      'print_data',
      'state',
      'allocated_at',
      'printed_at',
      'verified_at',
      'verified_by',
      'shipped_at',
      'tracking_state',
      'last_trace_at',
      'signed_at',
      'created_at',
    ],
  },
  {
    name: 'waybill_accounts',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'team' },
    columns: ['id', 'name', 'carrier_code', 'kind', 'shop_id', 'settings', 'created_at'],
  },
  { name: 'products', key: ['id'], rule: 'lww', group: { kind: 'team' }, columns: ['id', 'title', 'created_at'] },
  {
    name: 'skus',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'team' },
    columns: [
      'id',
      'product_id',
      'outer_sku_code',
      'name',
      'barcode',
      'price_fen',
      'cost_fen',
      'location',
      'weight_g',
      'image_url',
      'safety_stock',
      'low_stock_threshold',
      'lead_time_days',
      'updated_at',
    ],
  },
  { name: 'sku_barcodes', key: ['barcode'], rule: 'lww', group: { kind: 'team' }, columns: ['barcode', 'sku_id', 'created_at'] },
  {
    name: 'warehouses',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'team' },
    columns: ['id', 'code', 'name', 'address', 'regions', 'priority', 'created_at', 'updated_at'],
  },
  // The ledger: a grow-only set of movements; on hand = Σ delta on every station.
  {
    name: 'stock_movements',
    key: ['id'],
    rule: 'append',
    group: { kind: 'team' },
    columns: ['id', 'sku_id', 'warehouse_id', 'delta', 'reason', 'reference', 'note', 'actor', 'at', 'op_id', 'corrects_id', 'request_id'],
  },
  {
    name: 'bundle_components',
    key: ['bundle_sku_id', 'component_sku_id'],
    rule: 'lww',
    group: { kind: 'team' },
    columns: ['bundle_sku_id', 'component_sku_id', 'quantity', 'updated_at'],
  },
  {
    name: 'sku_mappings',
    key: ['shop_id', 'platform_product_id', 'platform_sku_id'],
    rule: 'lww',
    group: { kind: 'shop', column: 'shop_id' },
    columns: [
      'shop_id',
      'platform_product_id',
      'platform_sku_id',
      'outer_code',
      'product_outer_code',
      'title',
      'spec',
      'platform_stock',
      'on_sale',
      'sku_id',
      'matched_by',
      'mapped_at',
      'mapped_by',
      'listed_at',
    ],
  },
  // Reserved stock must agree across stations, or each would count only the orders it ingested.
  {
    name: 'stock_reservations',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'shop', via: viaOrder },
    columns: ['id', 'order_id', 'line_no', 'sku_id', 'warehouse_id', 'quantity', 'state', 'created_at', 'settled_at', 'movement_id'],
  },
  {
    name: 'stock_allocations',
    key: ['shop_id', 'sku_id'],
    rule: 'lww',
    group: { kind: 'shop', column: 'shop_id' },
    columns: ['shop_id', 'sku_id', 'mode', 'value', 'min_qty', 'max_qty', 'updated_at', 'updated_by'],
  },
  // Tasks handed between people (docs/team-hub.md#notes-and-tasks): fields last-writer-wins, so a
  // state moved at one station and a reassignment at another both stand; an order's tasks travel
  // with its shop, a team task (no order) to everyone. Their history is append-only.
  {
    name: 'tasks',
    key: ['id'],
    rule: 'lww',
    group: { kind: 'shop', via: viaOrder, orTeam: true },
    columns: ['id', 'order_id', 'title', 'body', 'assignee_id', 'state', 'created_by', 'created_at', 'updated_at', 'due_at'],
  },
  {
    name: 'task_events',
    key: ['id'],
    rule: 'append',
    group: { kind: 'shop', via: viaOrder, orTeam: true },
    columns: ['id', 'task_id', 'order_id', 'at', 'actor_id', 'actor', 'station', 'field', 'before', 'after'],
  },
  // The team's people come from the hub's accounts (no password or PIN here); stations receive them.
  { name: 'users', key: ['id'], rule: 'hub', group: { kind: 'team' }, columns: ['id', 'name', 'role', 'created_at'] },
  // Who holds which order (the hub publishes every change of holder; a free order has no station),
  // and what only the hub sees across stations (docs/team-hub.md#claims, #hub-alerts-and-shared-stock).
  {
    name: 'claims',
    key: ['order_id'],
    rule: 'hub',
    group: { kind: 'shop', via: viaOrder, orTeam: true },
    columns: ['order_id', 'station_id', 'station_name', 'user_name', 'expires_at'],
  },
  // Which station pulls each shop from its platform (docs/team-hub.md#sync-leases), published when
  // the holder changes.
  {
    name: 'sync_leases',
    key: ['shop_id'],
    rule: 'hub',
    group: { kind: 'shop', column: 'shop_id' },
    columns: ['shop_id', 'station_id', 'station_name', 'expires_at', 'fence'],
  },
  // 离线配额: units of a SKU a station may commit while it cannot reach the hub (docs/team-hub.md#stock-quotas).
  {
    name: 'stock_quotas',
    key: ['station_id', 'sku_id', 'warehouse_id'],
    rule: 'hub',
    group: { kind: 'team' },
    columns: ['station_id', 'sku_id', 'warehouse_id', 'quantity', 'set_by', 'updated_at'],
  },
  {
    name: 'hub_alerts',
    key: ['id'],
    rule: 'hub',
    group: { kind: 'team' },
    columns: ['id', 'kind', 'subject', 'details', 'raised_at', 'resolved_at'],
  },
];

const byName = new Map(SYNCED_TABLES.map((t) => [t.name, t]));

/** The synced table called `name`, or undefined when that table never leaves a station. */
export function syncedTable(name: string): SyncedTable | undefined {
  return byName.get(name);
}

/** The tables a station writes its effects for (the hub-owned ones arrive by pull only). */
export function stationWrittenTables(): readonly SyncedTable[] {
  return SYNCED_TABLES.filter((t) => t.rule !== 'hub');
}

/** A row's key as it travels: the key columns' values in key order, as a JSON array text. */
export function keyOf(table: SyncedTable, row: Record<string, unknown>): unknown[] {
  return table.key.map((c) => row[c]);
}
