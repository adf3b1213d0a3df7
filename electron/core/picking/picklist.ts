// The pick list (拣货单) for a set of orders: their lines aggregated by outer SKU code, with the 储位
// from the local SKU catalogue, sorted by location then code so a picker walks the shelves once.
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrderItem, StoredSku } from '../db/rows.ts';

/** What kind of line a pick-list row is: gifts and bundles are picked (and packed) differently, so they are their own rows. */
export type PickKind = 'normal' | 'gift' | 'bundle';

export interface PickLine {
  /** 商家编码; null for lines the platform sent without one (grouped by title and SKU name instead). */
  outerSkuCode: string | null;
  title: string;
  skuName: string | null;
  /** 储位 from skus.location (joined by outer SKU code); null when the SKU is unknown or has none. */
  location: string | null;
  kind: PickKind;
  quantity: number;
  /** How many of the orders contain this line. */
  orderCount: number;
}

export interface PickList {
  lines: PickLine[];
  orderCount: number;
  /** Pieces over all lines. */
  totalQuantity: number;
  generatedAt: number;
}

/** An order line and, through a LEFT JOIN, its SKU's warehouse location (null when unmatched). */
type ItemRow = Pick<StoredOrderItem, 'orderId' | 'outerSkuCode' | 'title' | 'skuName' | 'quantity' | 'isGift' | 'isBundle'> & {
  location: StoredSku['location'] | null;
};

// Locations like A-2-10 and A-10-1 sort as a person reads them (numeric runs by value), not by code unit.
const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });
const KIND_ORDER: Record<PickKind, number> = { normal: 0, bundle: 1, gift: 2 };

/** Pick-list order: by location (unlocated last), then outer code (uncoded last), then normal before bundle before gift, then title. */
export function comparePickLines(a: PickLine, b: PickLine): number {
  if (a.location !== b.location) {
    if (a.location === null) return 1;
    if (b.location === null) return -1;
    const c = collator.compare(a.location, b.location);
    if (c !== 0) return c;
  }
  if (a.outerSkuCode !== b.outerSkuCode) {
    if (a.outerSkuCode === null) return 1;
    if (b.outerSkuCode === null) return -1;
    const c = collator.compare(a.outerSkuCode, b.outerSkuCode);
    if (c !== 0) return c;
  }
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || collator.compare(a.title, b.title) || collator.compare(a.skuName ?? '', b.skuName ?? '');
}

/**
 * The orders' ids that exist, in the order given, or NOT_FOUND naming the missing ones. Duplicates are
 * dropped (the same order twice in a batch is still one order to pick).
 */
export function resolveOrderIds(db: Db, ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  const found = new Set(
    db.$client
      .prepare('SELECT id FROM orders WHERE id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(unique)) as string[],
  );
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const sample = `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}`;
    throw reasonError('order.some_missing', { count: missing.length, sample, missing: missing.slice(0, 100) }, `${missing.length} orders not found: ${sample}`);
  }
  return unique;
}

function kindOf(row: ItemRow): PickKind {
  // A gift that is a bundle is still handed over free: the gift mark is what the packer must see.
  if (row.isGift === 1) return 'gift';
  if (row.isBundle === 1) return 'bundle';
  return 'normal';
}

/** The title (or SKU name) most lines used: shops name the same SKU differently; ties go to the first seen. */
function mostCommon(counts: Map<string, number>): string {
  let best = '';
  let bestN = 0;
  for (const [text, n] of counts) {
    if (n > bestN) {
      best = text;
      bestN = n;
    }
  }
  return best;
}

interface Acc {
  outerSkuCode: string | null;
  kind: PickKind;
  location: string | null;
  titles: Map<string, number>;
  skuNames: Map<string, number>;
  quantity: number;
  orders: Set<string>;
}

/** Aggregates the orders' lines into a pick list (one read; orders and lines found through their indexes). */
export function buildPickList(db: Db, ids: readonly string[], now: number): PickList {
  const orderIds = resolveOrderIds(db, ids);
  const rows = db.$client
    .prepare(
      `SELECT i.order_id AS orderId, i.outer_sku_code AS outerSkuCode, i.title, i.sku_name AS skuName, i.quantity,
              i.is_gift AS isGift, i.is_bundle AS isBundle, k.location
         FROM order_items i
         LEFT JOIN skus k ON k.outer_sku_code = i.outer_sku_code
        WHERE i.order_id IN (SELECT value FROM json_each(?))
        ORDER BY i.order_id, i.line_no`,
    )
    .all(JSON.stringify(orderIds)) as ItemRow[];
  const groups = new Map<string, Acc>();
  for (const row of rows) {
    const code = row.outerSkuCode?.trim() || null;
    const kind = kindOf(row);
    // Without a code, the title and SKU name are all that says two lines are the same goods.
    const key = code !== null ? `c\0${code}\0${kind}` : `t\0${row.title}\0${row.skuName ?? ''}\0${kind}`;
    let acc = groups.get(key);
    if (!acc) {
      acc = { outerSkuCode: code, kind, location: row.location?.trim() || null, titles: new Map(), skuNames: new Map(), quantity: 0, orders: new Set() };
      groups.set(key, acc);
    }
    acc.titles.set(row.title, (acc.titles.get(row.title) ?? 0) + 1);
    if (row.skuName) acc.skuNames.set(row.skuName, (acc.skuNames.get(row.skuName) ?? 0) + 1);
    acc.quantity += row.quantity;
    acc.orders.add(row.orderId);
  }
  const lines: PickLine[] = [...groups.values()].map((a) => ({
    outerSkuCode: a.outerSkuCode,
    title: mostCommon(a.titles),
    skuName: a.skuNames.size > 0 ? mostCommon(a.skuNames) : null,
    location: a.location,
    kind: a.kind,
    quantity: a.quantity,
    orderCount: a.orders.size,
  }));
  lines.sort(comparePickLines);
  return { lines, orderCount: orderIds.length, totalQuantity: lines.reduce((s, l) => s + l.quantity, 0), generatedAt: now };
}
