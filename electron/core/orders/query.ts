// Workbench reads: the filtered, sorted, paged order list, status-tab counts, id selection for
// batch actions, and rows by id. One WHERE builder serves them all so they can never disagree.
import {
  ABNORMAL_REASONS,
  QUEUES,
  abnormalBit,
  abnormalReasonsOf,
  type AbnormalReason,
  type AfterSaleState,
  type FulfilmentStage,
  type OrderStatus,
  type OrderType,
  type Platform,
  type Queue,
} from '../../shared/model.ts';
import type { ApiOutputs, ApiParsedInput, OrderCounts, OrderFilter, OrderLineWarehouse, OrderRow, OrderSort, OrderSortField, ShortReason, TagView } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import type { Columns, StoredOrder, StoredShop } from '../db/rows.ts';
import { chunked, ID_CHUNK, sqlIn } from '../db/chunk.ts';
import { searchCondition, searchMatches, searchSeqs, waybillCondition, waybillSeqs, waybillTerm, type SearchMatch } from './search.ts';
import { waybillsOf } from './waybills.ts';
import { knownHolders } from '../hub/claims.ts';

/**
 * Queues where an abnormal reason still needs someone's attention. The 异常 tab and the reason
 * counts look only here: a buyer message on a completed order is history, not work.
 */
export const ACTIVE_QUEUES: readonly Queue[] = ['after_sale', 'held', 'pending_review', 'awaiting_print', 'printed'];

/**
 * Search matches are counted up to this many: an exact count of "杭州" over a million orders costs
 * more than the page itself, and "10,000+" is all the status bar needs.
 */
export const SEARCH_TOTAL_CAP = 10_000;

/**
 * How a search-box query joins the other filters. 'drive': few matches, so the search index leads
 * (rowid lookups, then sort) and other filters only check; 'filter': many matches, so an ordered
 * index leads and the match set only checks; 'auto': no search, the planner picks.
 */
export type SearchPlan = 'auto' | 'drive' | 'filter';

/** Up to this many matches, leading with the search index beats scanning an ordered index. */
const SPARSE_SEARCH = 5_000;

/**
 * A search resolved against the FTS indexes once per request: with few matches, their seqs (read
 * once, then reused by the page and the total); with many, only the plan.
 */
export interface ResolvedSearch {
  plan: SearchPlan;
  /** 'drive': the orders matching every fully-read expression. */
  seqs?: number[];
  /** 'drive': expressions with too many matches to read; they stay SQL checks. */
  rest?: SearchMatch[];
  /** Matches of a single-expression search, counted up to SEARCH_TOTAL_CAP + 1. */
  matchCount?: number;
}

/** Resolve the filter's search box against the FTS indexes and pick the plan. */
export function searchPlanFor(db: Db, filter: OrderFilter): ResolvedSearch {
  const matches = filter.q ? searchMatches(filter.q) : [];
  if (matches.length === 0) return { plan: 'auto' };
  // A waybill-like search box also finds the orders shipped with that waybill (one token, so one
  // expression: they join its matches).
  const waybill = filter.q ? waybillTerm(filter.q) : null;
  const byWaybill = waybill ? waybillSeqs(db, waybill) : [];
  // Reading up to the total cap (~2 ms for 10,000 rowids) decides the plan and answers a capped
  // total in the same pass, so the FTS index is read once per request for the plan and total.
  const lists = matches.map((m) => ({ m, seqs: searchSeqs(db, m, SEARCH_TOTAL_CAP) }));
  if (byWaybill.length > 0 && lists.length === 1) lists[0]!.seqs = [...new Set([...lists[0]!.seqs, ...byWaybill])];
  const matchCount = lists.length === 1 ? lists[0]!.seqs.length : undefined;
  const complete = lists.filter((l) => l.seqs.length <= SPARSE_SEARCH).sort((a, b) => a.seqs.length - b.seqs.length);
  if (complete.length === 0) return { plan: 'filter', matchCount };
  let seqs = complete[0]!.seqs;
  for (const other of complete.slice(1)) {
    const keep = new Set(other.seqs);
    seqs = seqs.filter((x) => keep.has(x));
  }
  return { plan: 'drive', seqs, rest: lists.filter((l) => l.seqs.length > SPARSE_SEARCH).map((l) => l.m), matchCount };
}

/** Whether the search box is the filter's only condition. */
const onlySearch = (f: OrderFilter): boolean =>
  Object.entries(f).every(([k, v]) => k === 'q' || v === undefined || (k === 'queue' && v === 'all') || (Array.isArray(v) && v.length === 0));

const SORT_COLUMNS: Record<OrderSortField, string> = {
  paidAt: 'paid_at',
  createdAt: 'created_at',
  platformUpdatedAt: 'platform_updated_at',
  paidFen: 'paid_fen',
  itemCount: 'item_count',
  receiverProvince: 'receiver_province',
  buyerNick: 'buyer_nick',
};

const ACTIVE_SQL = `(${ACTIVE_QUEUES.map((q) => `'${q}'`).join(', ')})`;

export const abnormalMaskOf = (reasons: readonly AbnormalReason[]): number => reasons.reduce((m, r) => m | abnormalBit(r), 0);

/** WHERE clause (alias `o` for orders) for every filter of orderFilterSchema; empty lists filter nothing. */
export function buildOrderWhere(filter: OrderFilter, search: SearchPlan | ResolvedSearch = 'auto'): { sql: string; params: unknown[] } {
  const resolved: ResolvedSearch = typeof search === 'string' ? { plan: search } : search;
  const plan = resolved.plan;
  // A unary + keeps a column from being used as an index, so the search index leads.
  const o = plan === 'drive' ? '+o' : 'o';
  const where: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: readonly (string | number)[] | undefined) => {
    if (!values || values.length === 0) return;
    const c = sqlIn(column, values);
    where.push(c.sql);
    params.push(...c.params);
  };
  const f = filter;
  if (f.queue === 'abnormal') {
    // `abnormal_flags <> 0` verbatim so the planner may use the partial index orders_abnormal_paid_idx;
    // the unary + keeps it from preferring five queue-index lookups plus a sort.
    where.push(`${o}.abnormal_flags <> 0 AND +o.queue IN ${ACTIVE_SQL}`);
  } else if (f.queue !== undefined && f.queue !== 'all') {
    where.push(`${o}.queue = ?`);
    params.push(f.queue);
  }
  inList(`${o}.status`, f.statuses);
  inList(`${o}.shop_id`, f.shopIds);
  inList(`${o}.platform`, f.platforms);
  if (f.createdFrom !== undefined) where.push(`${o}.created_at >= ?`), params.push(f.createdFrom);
  if (f.createdTo !== undefined) where.push(`${o}.created_at <= ?`), params.push(f.createdTo);
  if (f.paidFrom !== undefined) where.push(`${o}.paid_at >= ?`), params.push(f.paidFrom);
  if (f.paidTo !== undefined) where.push(`${o}.paid_at <= ?`), params.push(f.paidTo);
  inList(`${o}.receiver_province`, f.provinces);
  inList(`${o}.seller_flag`, f.sellerFlags);
  if (f.tagIds && f.tagIds.length > 0) {
    const t = sqlIn('tag_id', f.tagIds);
    where.push(`${o}.id IN (SELECT order_id FROM order_tags WHERE ${t.sql})`);
    params.push(...t.params);
  }
  if (f.hasBuyerMessage !== undefined) {
    where.push(f.hasBuyerMessage ? "coalesce(o.buyer_message, '') <> ''" : "coalesce(o.buyer_message, '') = ''");
  }
  if (f.hasSellerMemo !== undefined) {
    where.push(f.hasSellerMemo ? "coalesce(o.seller_memo, '') <> ''" : "coalesce(o.seller_memo, '') = ''");
  }
  if (f.orderType !== undefined) where.push(`${o}.order_type = ?`), params.push(f.orderType);
  if (f.sku !== undefined && f.sku.trim() !== '') {
    // An exact outer SKU code through its index, or a title/code fragment through the search index.
    const text = searchCondition(f.sku, 'o', 'items');
    const exact = `${o}.id IN (SELECT order_id FROM order_items WHERE outer_sku_code = ?)`;
    where.push(text ? `(${exact} OR (${text.sql}))` : exact);
    params.push(f.sku.trim(), ...(text?.params ?? []));
  }
  if (f.abnormal && f.abnormal.length > 0) {
    where.push(`${o}.abnormal_flags <> 0 AND (o.abnormal_flags & ?) <> 0`);
    params.push(abnormalMaskOf(f.abnormal));
  }
  if (f.unread !== undefined) where.push(f.unread ? `${o}.is_read = 0` : `${o}.is_read = 1`);
  // Spelled as a constant, not a parameter, so the planner may use the partial index orders_stock_short_idx.
  if (f.stock === 'short') where.push(`${o}.stock_state = 'short'`);
  else if (f.stock === 'reserved') where.push(`${o}.stock_state = 'reserved'`);
  if (resolved.seqs) {
    // The matches were read once already: hand them over as a JSON array of rowids.
    where.push('o.seq IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(resolved.seqs));
    for (const m of resolved.rest ?? []) {
      where.push(`+o.seq IN (SELECT rowid FROM ${m.table} WHERE ${m.table} MATCH ?)`);
      params.push(m.expr);
    }
  } else if (f.q !== undefined) {
    const q = searchCondition(f.q, 'o', undefined, { indexed: plan !== 'filter' });
    const waybill = waybillTerm(f.q);
    if (q && waybill) {
      const w = waybillCondition(waybill);
      where.push(`(${q.sql} OR ${w.sql})`), params.push(...q.params, ...w.params);
    } else if (q) where.push(q.sql), params.push(...q.params);
  }
  return { sql: where.length > 0 ? where.join(' AND ') : '1', params };
}

const orderBy = (sort: OrderSort): string => {
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  // seq breaks ties so paging is stable; it is the rowid, so every index already carries it.
  return `o.${SORT_COLUMNS[sort.field]} ${dir}, o.seq ${dir}`;
};

const usesSearch = (f: OrderFilter): boolean => (f.q !== undefined && f.q.trim() !== '') || f.sku !== undefined;

/** Filters the trigger-kept order_counts table can answer on its own (no scan of orders). */
export function countsTableCan(f: OrderFilter): boolean {
  return Object.entries(f).every(([k, v]) => v === undefined || ['queue', 'shopIds', 'platforms', 'abnormal'].includes(k) || (Array.isArray(v) && v.length === 0));
}

export function countsTableWhere(f: OrderFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.shopIds && f.shopIds.length > 0) {
    const s = sqlIn('c.shop_id', f.shopIds);
    where.push(s.sql), params.push(...s.params);
  }
  if (f.platforms && f.platforms.length > 0) {
    const p = sqlIn('platform', f.platforms);
    where.push(`c.shop_id IN (SELECT id FROM shops WHERE ${p.sql})`);
    params.push(...p.params);
  }
  if (f.abnormal && f.abnormal.length > 0) where.push('(c.abnormal_flags & ?) <> 0'), params.push(abnormalMaskOf(f.abnormal));
  if (f.queue === 'abnormal') where.push(`c.abnormal_flags <> 0 AND c.queue IN ${ACTIVE_SQL}`);
  else if (f.queue !== undefined && f.queue !== 'all') where.push('c.queue = ?'), params.push(f.queue);
  return { sql: where.length > 0 ? where.join(' AND ') : '1', params };
}

/** Orders per (queue, abnormal mask) under the filter. */
function groupedCounts(db: Db, filter: OrderFilter): { queue: Queue; flags: number; n: number }[] {
  const client = db.$client;
  if (countsTableCan(filter)) {
    const w = countsTableWhere(filter);
    return client
      .prepare(`SELECT c.queue AS queue, c.abnormal_flags AS flags, sum(c.n) AS n FROM order_counts c WHERE ${w.sql} GROUP BY 1, 2`)
      .all(...w.params) as { queue: Queue; flags: number; n: number }[];
  }
  const w = buildOrderWhere(filter, searchPlanFor(db, filter));
  return client
    .prepare(`SELECT o.queue AS queue, o.abnormal_flags AS flags, count(*) AS n FROM orders o WHERE ${w.sql} GROUP BY 1, 2`)
    .all(...w.params) as { queue: Queue; flags: number; n: number }[];
}

/** Live counts for the status tabs and abnormal-reason chips, under the filter except its queue. */
export function countOrders(db: Db, filter: OrderFilter): OrderCounts {
  const counts: OrderCounts = {
    all: 0,
    queues: Object.fromEntries(QUEUES.map((q) => [q, 0])) as Record<Queue, number>,
    abnormal: { ...(Object.fromEntries(ABNORMAL_REASONS.map((r) => [r, 0])) as Record<AbnormalReason, number>), any: 0 },
  };
  const active = new Set<Queue>(ACTIVE_QUEUES);
  for (const { queue, flags, n } of groupedCounts(db, { ...filter, queue: undefined })) {
    if (n === 0) continue;
    counts.all += n;
    counts.queues[queue] += n;
    if (flags !== 0 && active.has(queue)) {
      counts.abnormal.any += n;
      for (const r of abnormalReasonsOf(flags)) counts.abnormal[r] += n;
    }
  }
  return counts;
}

/** Total orders under the filter; search-driven totals stop at SEARCH_TOTAL_CAP. */
export function totalOrders(db: Db, filter: OrderFilter, search: ResolvedSearch = searchPlanFor(db, filter)): { total: number; capped: boolean } {
  const client = db.$client;
  const capped = (n: number) => (n > SEARCH_TOTAL_CAP ? { total: SEARCH_TOTAL_CAP, capped: true } : { total: n, capped: false });
  if (onlySearch(filter)) {
    // The search box alone: the FTS index knows the answer without touching orders.
    if (search.seqs && (search.rest ?? []).length === 0) return { total: search.seqs.length, capped: false };
    if (search.matchCount !== undefined) return capped(search.matchCount);
  }
  if (countsTableCan(filter)) {
    const w = countsTableWhere(filter);
    const n = client.prepare(`SELECT coalesce(sum(c.n), 0) FROM order_counts c WHERE ${w.sql}`).pluck().get(...w.params) as number;
    return { total: n, capped: false };
  }
  const w = buildOrderWhere(filter, search);
  if (usesSearch(filter)) {
    return capped(
      client.prepare(`SELECT count(*) FROM (SELECT 1 FROM orders o WHERE ${w.sql} LIMIT ${SEARCH_TOTAL_CAP + 1})`).pluck().get(...w.params) as number,
    );
  }
  return { total: client.prepare(`SELECT count(*) FROM orders o WHERE ${w.sql}`).pluck().get(...w.params) as number, capped: false };
}

export function listOrders(db: Db, input: ApiParsedInput<'orders.list'>): ApiOutputs['orders.list'] {
  const search = searchPlanFor(db, input.filter);
  const w = buildOrderWhere(input.filter, search);
  const seqs = db.$client
    .prepare(`SELECT o.seq FROM orders o WHERE ${w.sql} ORDER BY ${orderBy(input.sort)} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...w.params, input.limit, input.offset) as number[];
  const rows = rowsBy(db, 'seq', seqs);
  if (!input.withTotal) return { rows, total: null };
  // A short first page is its own total; no need to count.
  if (input.offset === 0 && rows.length < input.limit) return { rows, total: rows.length };
  const { total, capped } = totalOrders(db, input.filter, search);
  return capped ? { rows, total, totalCapped: true } : { rows, total };
}

/** Ids of every order under the filter, in list order, for "select all" batch actions. */
export function orderIds(db: Db, filter: OrderFilter, sort?: OrderSort, cap = 200_000): { ids: string[]; truncated: boolean } {
  const w = buildOrderWhere(filter, searchPlanFor(db, filter));
  const ids = db.$client
    .prepare(`SELECT o.id FROM orders o WHERE ${w.sql} ORDER BY ${orderBy(sort ?? { field: 'paidAt', dir: 'desc' })} LIMIT ?`)
    .pluck()
    .all(...w.params, cap + 1) as string[];
  const truncated = ids.length > cap;
  return { ids: truncated ? ids.slice(0, cap) : ids, truncated };
}

/** Rows for these order ids, in the given order; unknown ids are left out. */
export function ordersByIds(db: Db, ids: string[]): OrderRow[] {
  return rowsBy(db, 'id', ids);
}

/** What ROW_COLUMNS selects: the order's columns as stored, and its shop's name (LEFT JOIN: null when gone). */
type RawRow = Pick<
  Columns<StoredOrder>,
  | 'seq'
  | 'id'
  | 'shop_id'
  | 'platform'
  | 'platform_order_id'
  | 'status'
  | 'platform_status'
  | 'after_sale'
  | 'stage'
  | 'queue'
  | 'hold_reason'
  | 'close_reason'
  | 'order_type'
  | 'buyer_nick'
  | 'buyer_message'
  | 'seller_memo'
  | 'seller_flag'
  | 'receiver_name'
  | 'receiver_phone'
  | 'receiver_province'
  | 'receiver_city'
  | 'receiver_district'
  | 'receiver_address'
  | 'goods_fen'
  | 'shipping_fen'
  | 'paid_fen'
  | 'item_count'
  | 'created_at'
  | 'paid_at'
  | 'platform_updated_at'
  | 'is_read'
  | 'abnormal_flags'
  | 'stock_state'
  | 'stock_short_reason'
> & { shop_name: StoredShop['name'] | null };

const ROW_COLUMNS = `o.seq, o.id, o.shop_id, s.name AS shop_name, o.platform, o.platform_order_id, o.status, o.platform_status,
  o.after_sale, o.stage, o.queue, o.hold_reason, o.close_reason, o.order_type, o.buyer_nick, o.buyer_message, o.seller_memo,
  o.seller_flag, o.receiver_name, o.receiver_phone, o.receiver_province, o.receiver_city, o.receiver_district,
  o.receiver_address, o.goods_fen, o.shipping_fen, o.paid_fen, o.item_count, o.created_at, o.paid_at, o.platform_updated_at,
  o.is_read, o.abnormal_flags, o.stock_state, o.stock_short_reason`;

function rowsBy(db: Db, key: 'seq' | 'id', keys: readonly (number | string)[]): OrderRow[] {
  const client = db.$client;
  const byKey = new Map<number | string, RawRow>();
  const items = new Map<string, string[]>();
  const tags = new Map<string, TagView[]>();
  const lineWarehouses = new Map<string, OrderLineWarehouse[]>();
  for (const chunk of chunked(keys, ID_CHUNK)) {
    const byKeys = sqlIn(`o.${key}`, chunk);
    const raws = client
      .prepare(`SELECT ${ROW_COLUMNS} FROM orders o LEFT JOIN shops s ON s.id = o.shop_id WHERE ${byKeys.sql}`)
      .all(...byKeys.params) as RawRow[];
    for (const r of raws) byKey.set(key === 'seq' ? r.seq : r.id, r);
    const orderIdsOfChunk = raws.map((r) => r.id);
    if (orderIdsOfChunk.length === 0) continue;
    const ofOrders = (column: string) => sqlIn(column, orderIdsOfChunk);
    const lineIds = ofOrders('order_id');
    const lines = client
      .prepare(`SELECT order_id, line_no, title, quantity FROM order_items WHERE ${lineIds.sql} ORDER BY order_id, line_no`)
      .all(...lineIds.params) as { order_id: string; line_no: number; title: string; quantity: number }[];
    // The warehouse of each line's held or shipped units (stock_reservations_order_idx); released rows say nothing.
    const resIds = ofOrders('r.order_id');
    const held = new Map<string, string>();
    for (const r of client
      .prepare(
        `SELECT r.order_id, r.line_no, w.code FROM stock_reservations r JOIN warehouses w ON w.id = r.warehouse_id
          WHERE ${resIds.sql} AND r.state IN ('held', 'shipped')`,
      )
      .all(...resIds.params) as { order_id: string; line_no: number; code: string }[]) {
      held.set(`${r.order_id}|${r.line_no}`, r.code);
    }
    for (const l of lines) {
      const list = items.get(l.order_id) ?? [];
      list.push(`${l.title} ×${l.quantity}`);
      items.set(l.order_id, list);
      const wh = lineWarehouses.get(l.order_id) ?? [];
      wh.push({ lineNo: l.line_no, warehouse: held.get(`${l.order_id}|${l.line_no}`) ?? null });
      lineWarehouses.set(l.order_id, wh);
    }
    const tagIds = ofOrders('ot.order_id');
    const tagRows = client
      .prepare(
        `SELECT ot.order_id, t.id, t.name, t.color FROM order_tags ot JOIN tags t ON t.id = ot.tag_id
          WHERE ${tagIds.sql} ORDER BY t.name`,
      )
      .all(...tagIds.params) as { order_id: string; id: string; name: string; color: string }[];
    for (const t of tagRows) {
      const list = tags.get(t.order_id) ?? [];
      list.push({ id: t.id, name: t.name, color: t.color });
      tags.set(t.order_id, list);
    }
  }
  const waybills = waybillsOf(db, [...byKey.values()].map((r) => r.id));
  // Orders another station of the team works (docs/team-hub.md#claims); nothing without a hub.
  const holders = knownHolders(db, [...byKey.values()].map((r) => r.id));
  const out: OrderRow[] = [];
  for (const k of keys) {
    const r = byKey.get(k);
    if (!r) continue;
    const h = holders.get(r.id);
    const claimedBy = h && !h.mine && h.holder ? { stationName: h.holder.stationName, userName: h.holder.userName, expiresAt: h.expiresAt } : null;
    out.push({ ...toRow(r, items.get(r.id) ?? [], tags.get(r.id) ?? []), waybills: waybills.get(r.id) ?? [], lineWarehouses: lineWarehouses.get(r.id) ?? [], claimedBy });
  }
  return out;
}

function toRow(r: RawRow, itemLines: string[], tags: TagView[]): Omit<OrderRow, 'waybills' | 'lineWarehouses' | 'claimedBy'> {
  return {
    id: r.id,
    shopId: r.shop_id,
    shopName: r.shop_name ?? r.shop_id,
    platform: r.platform as Platform,
    platformOrderId: r.platform_order_id,
    status: r.status as OrderStatus,
    platformStatus: r.platform_status,
    afterSale: r.after_sale as AfterSaleState,
    stage: r.stage as FulfilmentStage,
    queue: r.queue as Queue,
    holdReason: r.hold_reason,
    closeReason: r.close_reason,
    orderType: r.order_type as OrderType,
    buyerNick: r.buyer_nick,
    buyerMessage: r.buyer_message,
    sellerMemo: r.seller_memo,
    sellerFlag: r.seller_flag,
    receiverName: r.receiver_name,
    receiverPhone: r.receiver_phone,
    receiverProvince: r.receiver_province,
    receiverCity: r.receiver_city,
    receiverDistrict: r.receiver_district,
    receiverAddress: r.receiver_address,
    goodsFen: r.goods_fen,
    shippingFen: r.shipping_fen,
    paidFen: r.paid_fen,
    itemCount: r.item_count,
    itemSummary: itemLines.join('; '),
    createdAt: r.created_at,
    paidAt: r.paid_at,
    platformUpdatedAt: r.platform_updated_at,
    isRead: r.is_read === 1,
    abnormal: abnormalReasonsOf(r.abnormal_flags),
    tags,
    // A shipped order holds nothing any more: its row says so, and lineWarehouses where it left from.
    stock: r.stock_state === 'reserved' || r.stock_state === 'short' ? r.stock_state : null,
    stockShortReason: r.stock_state === 'short' ? (r.stock_short_reason as ShortReason | null) : null,
  };
}
