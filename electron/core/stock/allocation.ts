// 分配: how much of a SKU's available stock each shop is told (docs/stock.md#pushes). One rule
// per shop and SKU in stock_allocations ('*' = the shop's default for every SKU; no row at all = the
// whole available figure). The arithmetic is pure (figureFor) so the push round, the dry run and the
// UI's preview cannot disagree; the reads below load the rules once per round, never per target.
import { ALLOCATION_DEFAULT_SKU, type AllocationModeName } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';

export type AllocationMode = AllocationModeName;

/** '*' in stock_allocations.sku_id: the shop's rule for every SKU without its own. */
export const DEFAULT_SKU = ALLOCATION_DEFAULT_SKU;

export interface AllocationRule {
  mode: AllocationMode;
  /** share: percent of what is available (0..100); fixed: units (capped by what is available); reserve: units held for this shop alone. */
  value: number;
  minQty: number | null;
  maxQty: number | null;
}

/** No row: the shop is told everything available. */
export const WHOLE: AllocationRule = { mode: 'share', value: 100, minQty: null, maxQty: null };

/** Every shop's rules, loaded once: the rule for (shop, SKU) is its own row, else the shop's '*', else WHOLE. */
export class Allocations {
  private readonly bySku = new Map<string, Map<string, AllocationRule>>();
  private readonly byShop = new Map<string, AllocationRule>();
  /** SKU → Σ units reserved for single shops by their own rows (shop defaults add per shop, see reservedTotal). */
  private readonly reservedBySku = new Map<string, number>();
  /** Shops whose '*' rule reserves units of every SKU, with how many. */
  private readonly defaultReserves: { shopId: string; units: number }[] = [];

  constructor(rows: Iterable<{ shopId: string; skuId: string } & AllocationRule>) {
    for (const r of rows) {
      const rule: AllocationRule = { mode: r.mode, value: r.value, minQty: r.minQty, maxQty: r.maxQty };
      if (r.skuId === DEFAULT_SKU) this.byShop.set(r.shopId, rule);
      else {
        let m = this.bySku.get(r.skuId);
        if (!m) this.bySku.set(r.skuId, (m = new Map()));
        m.set(r.shopId, rule);
      }
    }
    for (const [shopId, rule] of this.byShop) if (rule.mode === 'reserve') this.defaultReserves.push({ shopId, units: rule.value });
    for (const [skuId, m] of this.bySku) {
      let n = 0;
      for (const rule of m.values()) if (rule.mode === 'reserve') n += rule.value;
      if (n > 0) this.reservedBySku.set(skuId, n);
    }
  }

  /** The shop's '*' rule, else WHOLE: what it is told of every SKU it has no row of its own for. */
  defaultFor(shopId: string): AllocationRule {
    return this.byShop.get(shopId) ?? WHOLE;
  }

  /** Shops with at least one rule for a single SKU (their figures cannot be shared with other shops'). */
  shopsWithOwnRules(): Set<string> {
    const out = new Set<string>();
    for (const m of this.bySku.values()) for (const shopId of m.keys()) out.add(shopId);
    return out;
  }

  ruleFor(shopId: string, skuId: string): AllocationRule {
    return this.bySku.get(skuId)?.get(shopId) ?? this.byShop.get(shopId) ?? WHOLE;
  }

  /**
   * Units of skuId held for single shops: every shop's own reserve row, plus the reserve of each
   * shop whose default reserves and that has no row of its own for this SKU.
   */
  reservedTotal(skuId: string): number {
    let n = this.reservedBySku.get(skuId) ?? 0;
    if (this.defaultReserves.length === 0) return n;
    const own = this.bySku.get(skuId);
    for (const d of this.defaultReserves) if (!own?.has(d.shopId)) n += d.units;
    return n;
  }
}

/**
 * The figure one shop is told for one SKU.
 * - pool = available − every shop's reserve (never below 0): what the shops share.
 * - share: ⌊pool × value%⌋; fixed: min(value, pool); reserve: min(value, available) + pool — the
 *   shop sells its own units and the shared pool, the others only the pool.
 * - min raises a figure up to at most what the shop's base is (a min never tells more than there is),
 *   max caps it; the result is never below 0.
 */
export function figureFor(rule: AllocationRule, available: number, reservedTotal: number): number {
  const avail = Math.max(0, available);
  const pool = Math.max(0, avail - reservedTotal);
  let base: number;
  let q: number;
  switch (rule.mode) {
    case 'share':
      base = pool;
      q = Math.floor((pool * Math.min(100, Math.max(0, rule.value))) / 100);
      break;
    case 'fixed':
      base = pool;
      q = Math.min(Math.max(0, rule.value), pool);
      break;
    case 'reserve':
      base = Math.min(Math.max(0, rule.value), avail) + pool;
      q = base;
      break;
  }
  if (rule.minQty !== null && q < rule.minQty) q = Math.min(rule.minQty, base);
  if (rule.maxQty !== null && q > rule.maxQty) q = rule.maxQty;
  return Math.max(0, q);
}

/** A bundle's figure: the fewest whole bundles its components make (⌊component available / per unit⌋). */
export function bundleAvailable(components: { perUnit: number; available: number }[]): number {
  let n = Number.POSITIVE_INFINITY;
  for (const c of components) n = Math.min(n, Math.floor(Math.max(0, c.available) / Math.max(1, c.perUnit)));
  return Number.isFinite(n) ? n : 0;
}

/**
 * Every shop's allocation rules. All shops, even for a round of one shop: the others' reserves still
 * come out of the pool it shares.
 */
export function loadAllocations(db: ReadDb): Allocations {
  const rows = db.$client
    .prepare<[], { shopId: string; skuId: string; mode: AllocationMode; value: number; minQty: number | null; maxQty: number | null }>(
      'SELECT shop_id AS shopId, sku_id AS skuId, mode, value, min_qty AS minQty, max_qty AS maxQty FROM stock_allocations',
    )
    .all();
  return new Allocations(rows);
}
