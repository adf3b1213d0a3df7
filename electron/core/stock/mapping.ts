// 商品对应: the shop's platform SKUs and the local SKU each stands for. Mapped by outer code
// automatically (only rows nobody decided: a person's mapping or unmapping, by hand or from a file,
// is never overridden), by hand in bulk, and from a file (mapping-import.ts); the listing itself
// comes from the platform (mapping-pull.ts). Every change re-checks, in the command's transaction,
// the open orders whose lines carry a changed platform SKU: their lines' SKU, their abnormal flags
// (the unmatched_sku reason clears) and their stock reservation; and marks the SKUs whose pushes
// follow the mapping.
import { stringify } from 'csv-stringify/sync';
import type { ApiParsedInput, MappingChangeResult, MappingKey, MappingList, MappingPullFailure, MappingPullRecord, MappingView, MatchedBy, StockFile } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext, type CommandScope } from '../api/command.ts';
import type { EventBus } from '../api/events.ts';
import { writeTx, type ReadDb, type WriteTx } from '../db/access.ts';
import { refreshOrders } from '../orders/abnormal.ts';
import { neutraliseCsvText } from '../orders/export.ts';
import { markStockDirty } from './dirty.ts';
import { skuByCode } from './lookup.ts';
import { lineSkuMatcher, skuLessProductId, storedProductIds } from './mapping-match.ts';
import { settleOrders, type SettleOptions } from './reserve.ts';

/** Tables a mapping change may write, for db.changed. */
export const MAPPING_TABLES = ['sku_mappings', 'order_items', 'orders', 'stock_reservations', 'stock_dirty', 'meta'];

export const keyText = (k: MappingKey): string => `${k.shopId}/${k.platformProductId}/${k.platformSkuId}`;

/** One row whose local SKU changed: the key, and the SKU before and after (null: unmapped). */
export interface MappingChange extends MappingKey {
  before: string | null;
  after: string | null;
}

// ---------------------------------------------------------------------------------------------
// The last pull of each shop (meta): when it completed, so rows it did not list read as delisted,
// and the products it could not read, so they are not lost.

const PULL_META = 'stock.mapping.pull.';

export interface PullRecord {
  at: number;
  listed: number;
  quarantinedCount: number;
  /** The first 100, with a capped copy of the raw product. */
  quarantined: { platformProductId: string | null; reason: string; raw: string }[];
}

export function lastPull(db: ReadDb, shopId: string): PullRecord | null {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(PULL_META + shopId);
  return row ? (JSON.parse(row.value) as PullRecord) : null;
}

/** A complete pull: its record replaces the last, and the shop's failed pull, if any, is over. */
export function recordPull(tx: WriteTx, shopId: string, record: PullRecord): void {
  tx.$client
    .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(PULL_META + shopId, JSON.stringify(record));
  tx.$client.prepare('DELETE FROM meta WHERE key = ?').run(PULL_FAILED_META + shopId);
}

// The shop's latest failed pull, kept beside its last complete one so the 商品对应 view can say a
// pull (above all a scheduled one nobody watched) failed, why and what to do, until one completes.
const PULL_FAILED_META = 'stock.mapping.pullFailed.';

export type PullFailureRecord = Omit<MappingPullFailure, 'shopId'>;

/**
 * Record a failed pull, in a short transaction of its own outside any command (no op, no audit): the
 * pull wrote nothing else, and the record is this station's note of what happened, like the sync
 * round's last error.
 */
export function recordPullFailure(db: ReadDb, events: EventBus, shopId: string, record: PullFailureRecord): void {
  writeTx(db, (tx) =>
    tx.$client
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(PULL_FAILED_META + shopId, JSON.stringify(record)),
  );
  events.emit('db.changed', { tables: ['meta'] });
}

export function lastPullFailure(db: ReadDb, shopId: string): PullFailureRecord | null {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(PULL_FAILED_META + shopId);
  return row ? (JSON.parse(row.value) as PullFailureRecord) : null;
}

function pullFailures(db: ReadDb): MappingPullFailure[] {
  const rows = db.$client
    .prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM meta WHERE key >= ? AND key < ?')
    .all(PULL_FAILED_META, `${PULL_FAILED_META}\uffff`);
  return rows.map((r) => ({ shopId: r.key.slice(PULL_FAILED_META.length), ...(JSON.parse(r.value) as PullFailureRecord) }));
}

/** Every shop's last complete pull (rows listed before it were not in it). */
function pullRecords(db: ReadDb): Map<string, PullRecord> {
  const rows = db.$client
    .prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM meta WHERE key >= ? AND key < ?')
    .all(PULL_META, `${PULL_META}\uffff`);
  return new Map(rows.map((r) => [r.key.slice(PULL_META.length), JSON.parse(r.value) as PullRecord]));
}

// ---------------------------------------------------------------------------------------------
// Re-check of open orders.

/** Orders not shipped and not closed: their lines still take stock and still need a SKU. */
const OPEN_LINES = `SELECT oi.order_id AS orderId, oi.line_no AS lineNo, oi.platform_item_id AS platformItemId,
    oi.platform_sku_id AS platformSkuId, oi.outer_sku_code AS outerSkuCode, oi.sku_id AS skuId
  FROM orders o JOIN order_items oi ON oi.order_id = o.id
  WHERE o.shop_id = ? AND o.queue IN ('unpaid', 'after_sale', 'held', 'pending_review', 'awaiting_print', 'printed')
    AND o.stage <> 'shipped' AND o.status IN ('unpaid', 'awaiting_shipment')`;

interface OpenLine {
  orderId: string;
  lineNo: number;
  platformItemId: string;
  platformSkuId: string | null;
  outerSkuCode: string | null;
  skuId: string | null;
}

/**
 * The open orders whose lines carry one of these platform SKUs get their lines' SKU as the mapping
 * now says, their abnormal flags refreshed, and their stock settled again. Returns the orders whose
 * lines changed. Runs in the caller's transaction.
 */
export function recheckOpenOrders(tx: WriteTx, keys: readonly MappingKey[], now: number, options: SettleOptions = {}): string[] {
  const byShop = new Map<string, Set<string>>();
  for (const k of keys) {
    let set = byShop.get(k.shopId);
    if (!set) byShop.set(k.shopId, (set = new Set()));
    set.add(k.platformSkuId !== '' ? `s:${k.platformSkuId}` : `p:${k.platformProductId}`);
  }
  const client = tx.$client;
  const platformOf = client.prepare<[string], { platform: string }>('SELECT platform FROM shops WHERE id = ?');
  const openLines = client.prepare<[string], OpenLine>(OPEN_LINES);
  const setLine = client.prepare<[string | null, string, number]>('UPDATE order_items SET sku_id = ? WHERE order_id = ? AND line_no = ?');
  const changedOrders = new Set<string>();
  for (const [shopId, wanted] of byShop) {
    const platform = platformOf.get(shopId)?.platform;
    if (platform === undefined) continue;
    const match = lineSkuMatcher(tx, shopId, platform);
    // A line sold without a SKU whose product id is not stored (Taobao's num_iid) has it read from the
    // order's kept payload, once per order, and only when some changed row is a product's.
    const wantsProducts = [...wanted].some((k) => k.startsWith('p:'));
    const productIds = new Map<string, (string | null)[] | null>();
    const productOf = (line: OpenLine): string | null => {
      if (!wantsProducts || (line.platformSkuId !== null && line.platformSkuId !== '')) return null;
      let ids = productIds.get(line.orderId);
      if (ids === undefined) productIds.set(line.orderId, (ids = storedProductIds(tx, platform, line.orderId)));
      return ids?.[line.lineNo - 1] ?? null;
    };
    // Read whole before writing: better-sqlite3 cannot write while a read cursor is open.
    for (const stored of openLines.all(shopId)) {
      const known = skuLessProductId(platform, stored);
      const line = known === null ? { ...stored, platformProductId: productOf(stored) } : stored;
      const product = known ?? skuLessProductId(platform, line);
      const key = line.platformSkuId !== null && line.platformSkuId !== '' ? `s:${line.platformSkuId}` : product !== null ? `p:${product}` : null;
      if (key === null || !wanted.has(key)) continue;
      const skuId = match(line);
      if (skuId === line.skuId) continue;
      setLine.run(skuId, line.orderId, line.lineNo);
      changedOrders.add(line.orderId);
    }
  }
  const ids = [...changedOrders];
  if (ids.length > 0) {
    refreshOrders(tx, ids);
    settleOrders(tx, ids, now, options);
  }
  return ids;
}

/** After rows changed: re-check their open orders and mark the SKUs whose pushes follow them. */
export function afterMappingChanges(tx: WriteTx, changes: readonly MappingChange[], now: number, options: SettleOptions = {}): number {
  if (changes.length === 0) return 0;
  const skuIds = new Set<string>();
  for (const c of changes) {
    if (c.before !== null) skuIds.add(c.before);
    if (c.after !== null) skuIds.add(c.after);
  }
  markStockDirty(tx, skuIds, now);
  return recheckOpenOrders(tx, changes, now, options).length;
}

// ---------------------------------------------------------------------------------------------
// Writing mappings.

const ROW = `SELECT sku_id AS skuId, matched_by AS matchedBy FROM sku_mappings WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ?`;

/**
 * Sets rows to a SKU (or unmaps them), as a person's or a file's decision. Rows must exist (a
 * listing put them there). Returns the rows whose SKU changed.
 */
export function writeMappings(scope: CommandScope, rows: readonly MappingKey[], skuId: string | null, matchedBy: Exclude<MatchedBy, 'outer_code'>, actor: string): MappingChange[] {
  const client = scope.tx.$client;
  const get = client.prepare<[string, string, string], { skuId: string | null; matchedBy: string | null }>(ROW);
  const set = client.prepare<[string | null, string, number, string, string, string, string]>(
    'UPDATE sku_mappings SET sku_id = ?, matched_by = ?, mapped_at = ?, mapped_by = ? WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ?',
  );
  const changes: MappingChange[] = [];
  for (const k of rows) {
    const row = get.get(k.shopId, k.platformProductId, k.platformSkuId);
    if (!row) {
      throw reasonError('mapping.not_found', { ...k }, `shop ${k.shopId} has no listed platform SKU ${k.platformProductId}/${k.platformSkuId || '(no SKU)'}; pull its listing first`);
    }
    if (row.skuId === skuId && row.matchedBy === matchedBy) continue;
    set.run(skuId, matchedBy, scope.at, actor, k.shopId, k.platformProductId, k.platformSkuId);
    if (row.skuId !== skuId) changes.push({ ...k, before: row.skuId, after: skuId });
  }
  return changes;
}

/** The key of an auto-match: the SKU's outer code, or a product without SKUs' product code. */
const MATCH_CODE = `COALESCE(sku_mappings.outer_code, CASE WHEN sku_mappings.platform_sku_id = '' THEN sku_mappings.product_outer_code END)`;

/**
 * Maps every row nobody decided yet (unmapped, matched_by null) whose outer code is a local SKU's
 * 商家编码. One statement over the partial index of unmapped rows.
 */
export function autoMatchIn(tx: WriteTx, shopId: string | null, actor: string, at: number): MappingChange[] {
  const rows = tx.$client
    .prepare<[{ at: number; actor: string; shop: string | null }], MappingKey & { skuId: string }>(
      `UPDATE sku_mappings SET sku_id = (SELECT s.id FROM skus s WHERE s.outer_sku_code = ${MATCH_CODE}),
              matched_by = 'outer_code', mapped_at = :at, mapped_by = :actor
        WHERE sku_id IS NULL AND matched_by IS NULL AND (:shop IS NULL OR shop_id = :shop)
          AND EXISTS (SELECT 1 FROM skus s WHERE s.outer_sku_code = ${MATCH_CODE})
        RETURNING shop_id AS shopId, platform_product_id AS platformProductId, platform_sku_id AS platformSkuId, sku_id AS skuId`,
    )
    .all({ at, actor, shop: shopId });
  return rows.map((r) => ({ shopId: r.shopId, platformProductId: r.platformProductId, platformSkuId: r.platformSkuId, before: null, after: r.skuId }));
}

/**
 * After SKUs joined the catalogue: the rows nobody decided yet whose outer code (for a product
 * without SKUs, the product's code) is one of these codes are mapped to them (`outer_code`), audited,
 * and the re-check runs — in the caller's command transaction, so an order waiting on an unmapped
 * line reserves in the same commit that added its SKU. Two indexed reads rather than a scan of every
 * undecided row: SKU rows by sku_mappings_outer_idx, product rows per shop by sku_mappings_shop_sku_idx
 * (named: without ANALYZE statistics the planner would walk every unmapped row through sku_id).
 */
export function matchSkuCodes(scope: CommandScope, codes: readonly string[], actor: string): { changed: number; rechecked: number } {
  if (codes.length === 0) return { changed: 0, rechecked: 0 };
  const c = scope.tx.$client;
  const params = { at: scope.at, actor, codes: JSON.stringify([...new Set(codes)]) };
  const set = "SET sku_id = (SELECT s.id FROM skus s WHERE s.outer_sku_code = COALESCE(sku_mappings.outer_code, sku_mappings.product_outer_code)), matched_by = 'outer_code', mapped_at = :at, mapped_by = :actor";
  const returning = 'RETURNING shop_id AS shopId, platform_product_id AS platformProductId, platform_sku_id AS platformSkuId, sku_id AS skuId';
  const undecided = 'sku_id IS NULL AND matched_by IS NULL';
  // Only codes the catalogue has: a row is never marked decided without a SKU.
  const known = 'SELECT s.outer_sku_code FROM skus s WHERE s.outer_sku_code IN (SELECT value FROM json_each(:codes))';
  type Hit = MappingKey & { skuId: string | null };
  const hits = [
    ...(c.prepare(`UPDATE sku_mappings INDEXED BY sku_mappings_outer_idx ${set} WHERE outer_code IN (${known}) AND ${undecided} ${returning}`).all(params) as Hit[]),
    ...(c
      .prepare(
        `UPDATE sku_mappings INDEXED BY sku_mappings_shop_sku_idx ${set} WHERE shop_id IN (SELECT id FROM shops) AND platform_sku_id = '' AND outer_code IS NULL
           AND product_outer_code IN (${known}) AND ${undecided} ${returning}`,
      )
      .all(params) as Hit[]),
  ];
  const changes: MappingChange[] = hits.filter((h) => h.skuId !== null).map((h) => ({ shopId: h.shopId, platformProductId: h.platformProductId, platformSkuId: h.platformSkuId, before: null, after: h.skuId }));
  const codeOf = skuCodes(scope.tx);
  for (const ch of changes) scope.audit({ entity: 'sku_mapping', entityId: keyText(ch), field: 'sku', before: null, after: codeOf(ch.after), reason: 'outer code' });
  return { changed: changes.length, rechecked: afterMappingChanges(scope.tx, changes, scope.at, { actor, opId: scope.opId }) };
}

function auditChanges(scope: CommandScope, changes: readonly MappingChange[], codeOf: (skuId: string | null) => string | null): void {
  for (const c of changes) {
    scope.audit({ entity: 'sku_mapping', entityId: keyText(c), field: 'sku', before: codeOf(c.before), after: codeOf(c.after) });
  }
}

/** 商家编码 of a SKU id, for audit entries people read. */
export function skuCodes(db: ReadDb): (skuId: string | null) => string | null {
  const st = db.$client.prepare<[string], { code: string }>('SELECT outer_sku_code AS code FROM skus WHERE id = ?');
  return (skuId) => (skuId === null ? null : (st.get(skuId)?.code ?? skuId));
}

export function setMappings(ctx: CoreContext, input: ApiParsedInput<'mapping.set'>): MappingChangeResult {
  return runCommand(ctx, 'mapping.set', { rows: input.rows.length, first: keyText(input.rows[0]!), sku: input.sku }, { tables: MAPPING_TABLES }, (scope) => {
    const skuId = input.sku === null ? null : skuByCode(scope.tx, input.sku).id;
    const changes = writeMappings(scope, input.rows, skuId, 'hand', ctx.actor.name);
    auditChanges(scope, changes, skuCodes(scope.tx));
    return { changed: changes.length, rechecked: afterMappingChanges(scope.tx, changes, scope.at, { actor: ctx.actor.name, opId: scope.opId }) };
  });
}

export function autoMatch(ctx: CoreContext, input: ApiParsedInput<'mapping.autoMatch'>): MappingChangeResult {
  if (input.shopId !== undefined) shopById(ctx.db, input.shopId);
  return runCommand(ctx, 'mapping.autoMatch', { shopId: input.shopId ?? null }, { tables: MAPPING_TABLES }, (scope) => {
    const changes = autoMatchIn(scope.tx, input.shopId ?? null, ctx.actor.name, scope.at);
    auditChanges(scope, changes, skuCodes(scope.tx));
    return { changed: changes.length, rechecked: afterMappingChanges(scope.tx, changes, scope.at, { actor: ctx.actor.name, opId: scope.opId }) };
  });
}

export interface ShopRow {
  id: string;
  name: string;
  platform: string;
  state: string;
  settings: string;
}

export function shopById(db: ReadDb, shopId: string): ShopRow {
  const shop = db.$client.prepare<[string], ShopRow>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?').get(shopId);
  if (!shop) throw reasonError('shop.not_found', { shopId }, `no shop ${shopId}`);
  return shop;
}

// ---------------------------------------------------------------------------------------------
// Reading.

interface ListRow {
  shopId: string;
  shopName: string;
  platform: string;
  platformProductId: string;
  platformSkuId: string;
  outerCode: string | null;
  productOuterCode: string | null;
  title: string;
  spec: string | null;
  platformStock: number | null;
  onSale: number | null;
  sku: string | null;
  skuTitle: string | null;
  skuSpec: string | null;
  skuIsBundle: number;
  matchedBy: MatchedBy | null;
  mappedAt: number | null;
  mappedBy: string | null;
  listedAt: number;
}

/** The filter as SQL conditions (without the unmapped/mapped split, which listMappings adds). */
function listFilter(input: { shopId?: string | undefined; q?: string | undefined; sku?: string | undefined }): { parts: string[]; params: Record<string, string>; needsSku: boolean } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (input.shopId !== undefined) {
    parts.push('m.shop_id = :shop');
    params.shop = input.shopId;
  }
  if (input.sku !== undefined) {
    // sku_mappings_sku_idx: a SKU's rows without reading the others.
    parts.push('m.sku_id = (SELECT id FROM skus WHERE outer_sku_code = :sku)');
    params.sku = input.sku;
  }
  const q = input.q?.trim();
  if (q) {
    parts.push(
      `(instr(m.title, :q) > 0 OR instr(m.outer_code, :q) > 0 OR instr(m.product_outer_code, :q) > 0 OR m.platform_product_id = :q
        OR m.platform_sku_id = :q OR instr(s.outer_sku_code, :q) > 0 OR instr(m.spec, :q) > 0)`,
    );
    params.q = q;
  }
  return { parts, params, needsSku: Boolean(q) };
}

const whereOf = (parts: string[]): string => (parts.length ? `WHERE ${parts.join(' AND ')}` : '');

const SELECT_ROWS = `SELECT m.shop_id AS shopId, sh.name AS shopName, sh.platform, m.platform_product_id AS platformProductId,
    m.platform_sku_id AS platformSkuId, m.outer_code AS outerCode, m.product_outer_code AS productOuterCode,
    m.title, m.spec, m.platform_stock AS platformStock, m.on_sale AS onSale, s.outer_sku_code AS sku,
    p.title AS skuTitle, s.name AS skuSpec,
    EXISTS (SELECT 1 FROM bundle_components b WHERE b.bundle_sku_id = m.sku_id) AS skuIsBundle,
    m.matched_by AS matchedBy, m.mapped_at AS mappedAt, m.mapped_by AS mappedBy, m.listed_at AS listedAt
  FROM sku_mappings m JOIN shops sh ON sh.id = m.shop_id LEFT JOIN skus s ON s.id = m.sku_id LEFT JOIN products p ON p.id = s.product_id`;

/**
 * Unmapped rows first, then the mapped ones, each by shop, product and SKU id. Read as two ordered
 * reads rather than one sort: the unmapped ones through their partial index, the mapped ones in
 * the primary key's order, so the first page of a million rows reads a page, not the table.
 */
export function listMappings(db: ReadDb, input: ApiParsedInput<'mapping.list'>): MappingList {
  const { parts, params, needsSku } = listFilter(input);
  const c = db.$client;
  const countFrom = `FROM sku_mappings m${needsSku ? ' LEFT JOIN skus s ON s.id = m.sku_id' : ''}`;
  const unmapped = (c.prepare(`SELECT count(*) AS n ${countFrom} ${whereOf([...parts, 'm.sku_id IS NULL'])}`).get(params) as { n: number }).n;
  const total = input.unmapped ? unmapped : (c.prepare(`SELECT count(*) AS n ${countFrom} ${whereOf(parts)}`).get(params) as { n: number }).n;
  const order = 'ORDER BY m.shop_id, m.platform_product_id, m.platform_sku_id LIMIT :limit OFFSET :offset';
  const rows: ListRow[] = [];
  if (input.offset < unmapped) {
    rows.push(...(c.prepare(`${SELECT_ROWS} ${whereOf([...parts, 'm.sku_id IS NULL'])} ${order}`).all({ ...params, limit: input.limit, offset: input.offset }) as ListRow[]));
  }
  const room = input.limit - rows.length;
  if (!input.unmapped && room > 0) {
    const offset = Math.max(0, input.offset - unmapped);
    rows.push(...(c.prepare(`${SELECT_ROWS} ${whereOf([...parts, 'm.sku_id IS NOT NULL'])} ${order}`).all({ ...params, limit: room, offset }) as ListRow[]));
  }
  const pulls = pullRecords(db);
  const lastPulls: MappingPullRecord[] = [];
  for (const [shopId, p] of pulls) {
    if (input.shopId !== undefined && shopId !== input.shopId) continue;
    lastPulls.push({ shopId, at: p.at, listed: p.listed, quarantinedCount: p.quarantinedCount, quarantined: p.quarantined.map((q) => ({ platformProductId: q.platformProductId, reason: q.reason })) });
  }
  const failedPulls = pullFailures(db).filter((p) => input.shopId === undefined || p.shopId === input.shopId);
  return {
    failedPulls,
    rows: rows.map((r): MappingView => {
      const pulledAt = pulls.get(r.shopId)?.at;
      return { ...r, onSale: r.onSale === null ? null : r.onSale === 1, skuIsBundle: r.skuIsBundle === 1, delisted: pulledAt !== undefined && r.listedAt < pulledAt };
    }),
    total,
    unmapped,
    lastPulls,
  };
}

/** The headers the export writes and the import reads (the import also takes English ones). */
export const MAPPING_HEADERS = ['店铺', '平台', '平台商品ID', '平台SKU ID', '商品标题', '规格', '平台商家编码', '商家编码', '对应方式'] as const;

export function exportMappings(db: ReadDb, input: ApiParsedInput<'mapping.export'>, now: number): StockFile {
  const out: string[][] = [[...MAPPING_HEADERS]];
  const page = 10_000;
  for (let offset = 0; ; offset += page) {
    const { rows } = listMappings(db, { ...(input.shopId !== undefined ? { shopId: input.shopId } : {}), ...(input.unmapped ? { unmapped: true } : {}), limit: page, offset });
    for (const r of rows) {
      out.push([r.shopName, r.platform, r.platformProductId, r.platformSkuId, neutraliseCsvText(r.title), neutraliseCsvText(r.spec ?? ''), neutraliseCsvText(r.outerCode ?? ''), r.sku ?? '', r.matchedBy ?? '']);
    }
    if (rows.length < page) break;
  }
  const text = stringify(out, { bom: true, record_delimiter: '\r\n' });
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  return { fileName: `${input.unmapped ? 'unmapped' : 'mapping'}-${day}.csv`, mime: 'text/csv;charset=utf-8', base64: Buffer.from(text, 'utf8').toString('base64') };
}
