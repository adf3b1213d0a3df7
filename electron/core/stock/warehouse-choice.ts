// Which warehouse an order's units come from (docs/stock.md#warehouse-choice). Pure: it is handed the
// warehouses, what each line needs and a read of available stock, so the rules are tested without a
// database and the reconciler (reserve.ts) decides nothing about them.
//
// The rules, in order: a warehouse whose regions include the receiver's province first; then one
// that can fill the whole order; then priority (higher first); then code. When no single warehouse
// can fill the order, it is split by line only where the platform lets an order leave in several
// packages (shared/split-shipment.ts); otherwise, or when a line cannot be placed, it waits.
import type { ShortReason } from '../../shared/api/stock.ts';

export interface WarehouseOption {
  id: string;
  code: string;
  /** Provinces it serves, as people typed them (浙江, 浙江省, 上海市 ...). */
  regions: readonly string[];
  priority: number;
}

/** One order line's units: every component SKU it takes (a bundle's components, or the SKU itself). */
export interface LineNeed {
  lineNo: number;
  components: readonly { skuId: string; quantity: number }[];
}

export type Choice =
  | { ok: true; /** warehouse id per line number */ lines: Map<number, string> }
  | { ok: false; reason: ShortReason; /** SKUs of which all warehouses together have fewer available units than the order needs */ shortSkus: string[] };

// 省 / 市 / 自治区 suffixes differ between what platforms send (浙江省) and what people type (浙江).
const SUFFIX = /(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$/u;
// Settling a batch of orders asks for the same few province and region names thousands of times.
const bareCache = new Map<string, string>();
function bare(s: string): string {
  let b = bareCache.get(s);
  if (b === undefined) {
    b = s.trim().replace(SUFFIX, '');
    if (bareCache.size < 10_000) bareCache.set(s, b);
  }
  return b;
}

// A warehouse's regions, stripped, per list: settling asks the same lists for every order of a batch.
const regionSets = new WeakMap<readonly string[], Set<string>>();

/** Whether a warehouse's regions include the province (浙江 serves 浙江省; an empty region list serves none first). */
export function servesProvince(regions: readonly string[], province: string): boolean {
  const p = bare(province);
  if (p === '') return false;
  let set = regionSets.get(regions);
  if (!set) regionSets.set(regions, (set = new Set(regions.map(bare))));
  return set.has(p);
}

function totals(lines: readonly LineNeed[]): Map<string, number> {
  const t = new Map<string, number>();
  for (const l of lines) for (const c of l.components) t.set(c.skuId, (t.get(c.skuId) ?? 0) + c.quantity);
  return t;
}

function fits(need: Map<string, number>, whId: string, available: (skuId: string, whId: string) => number): boolean {
  for (const [sku, q] of need) if (available(sku, whId) < q) return false;
  return true;
}

/** Whether a ranks before b among warehouses that can both fill: region first, then priority (higher first), then code. */
function ranksBefore(a: WarehouseOption, aRegion: boolean, b: WarehouseOption, bRegion: boolean): boolean {
  if (aRegion !== bRegion) return aRegion;
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.code < b.code;
}

/**
 * The first warehouse in rank that can fill `need`: a region warehouse that can, else any that can
 * (region first, then priority, then code). One pass keeping the best that fills, rather than ranking
 * every warehouse and sorting: ingest chooses for every paid order of a batch.
 */
function firstThatFills(warehouses: readonly WarehouseOption[], province: string, need: Map<string, number>, available: (skuId: string, whId: string) => number): WarehouseOption | null {
  let best: WarehouseOption | null = null;
  let bestRegion = false;
  for (const w of warehouses) {
    if (!fits(need, w.id, available)) continue;
    const region = servesProvince(w.regions, province);
    if (best === null || ranksBefore(w, region, best, bestRegion)) {
      best = w;
      bestRegion = region;
    }
  }
  return best;
}

/** Units of a SKU every warehouse can still hand out, together. */
function freeEverywhere(warehouses: readonly WarehouseOption[], skuId: string, available: (skuId: string, whId: string) => number): number {
  let n = 0;
  for (const w of warehouses) n += Math.max(0, available(skuId, w.id));
  return n;
}

export function chooseWarehouses(input: {
  province: string;
  /** The platform lets this order leave from several warehouses (by line). */
  split: boolean;
  lines: readonly LineNeed[];
  warehouses: readonly WarehouseOption[];
  /** Units of skuId the warehouse can still hand out now: its free units (on hand − reserved there). */
  available: (skuId: string, warehouseId: string) => number;
  /**
   * The SKU's available units over all warehouses (on hand − reserved − safety stock, safety counted
   * once): an order may not take it below zero, so safety stock is kept from orders as from platforms.
   * Without it only the warehouses' free units limit the order.
   */
  total?: (skuId: string) => number;
}): Choice {
  const { lines, warehouses, available, total } = input;
  const need = totals(lines);

  // Too few in all warehouses together: nothing can fill it, whatever the ranking (the common short case, decided first).
  // The SKU's total bounds every placement below too: what the order takes of a SKU, however split, is q.
  const shortSkus: string[] = [];
  for (const [sku, q] of need) if ((total !== undefined && total(sku) < q) || freeEverywhere(warehouses, sku, available) < q) shortSkus.push(sku);
  if (shortSkus.length > 0) return { ok: false, reason: 'insufficient', shortSkus };

  const whole = firstThatFills(warehouses, input.province, need, available);
  if (whole) {
    const byLine = new Map<number, string>();
    for (const l of lines) byLine.set(l.lineNo, whole.id);
    return { ok: true, lines: byLine };
  }
  if (!input.split) return { ok: false, reason: 'no_single_warehouse', shortSkus };

  // By line: each line from the best warehouse that can fill all of it, counting what earlier lines
  // of this order already took there.
  const taken = new Map<string, number>();
  const key = (sku: string, wh: string) => `${sku}\u0000${wh}`;
  const left = (sku: string, wh: string) => available(sku, wh) - (taken.get(key(sku, wh)) ?? 0);
  const chosen = new Map<number, string>();
  for (const line of lines) {
    const lineNeed = totals([line]);
    const best = firstThatFills(warehouses, input.province, lineNeed, left);
    if (!best) return { ok: false, reason: 'no_single_warehouse', shortSkus };
    chosen.set(line.lineNo, best.id);
    for (const [sku, q] of lineNeed) taken.set(key(sku, best.id), (taken.get(key(sku, best.id)) ?? 0) + q);
  }
  return { ok: true, lines: chosen };
}
