// The push round (docs/stock.md#pushes): which figure each shop's platform SKUs should show, and a
// stock_pushes row for every one whose figure differs from what the shop was last told. It runs in
// ONE write transaction, so it reads committed stock only and no change can land halfway through it;
// the sender (push-sender.ts) then sends the rows, outside any transaction.
//
// What a round covers: the SKUs marked dirty (dirty.ts) — plus every bundle one of them is a
// component of — or, on the scheduled full round, every mapped SKU. For each (shop, mapped platform
// SKU) of those: the SKU's available (available.ts; a bundle: the fewest whole bundles its components
// make), that shop's allocation (allocation.ts), compared with the shop's latest live push (pending,
// sending or refused, when nothing confirmed came after it) or, without one, the platform's own figure
// in sku_mappings.platform_stock (the sender writes it after every confirmed push; listings refresh it).
import type { ReadDb, WriteTx } from '../db/access.ts';
import { bundleAvailable, figureFor, loadAllocations, type AllocationRule } from './allocation.ts';
import type { Db } from '../db/open.ts';
import { readHubSettings } from '../hub/settings.ts';
import { figuresOf } from './available.ts';
import { componentCache } from './components.ts';
import { pooledUuidv7 as pushId } from './ids.ts';
import { clearStockDirty, dirtySkus } from './dirty.ts';

export type StockWriteMode = 'set' | 'delta';

/**
 * How each platform's adapter writes stock (docs/platforms/stock-write.md): absolute figures where it
 * can, Kuaishou by delta only. A platform not listed has no writeStock, and its shops are skipped.
 */
export const STOCK_WRITE_MODES: Readonly<Record<string, StockWriteMode>> = {
  taobao: 'set',
  tmall: 'set',
  pdd: 'set',
  jd: 'set',
  douyin: 'set',
  kuaishou: 'delta',
  // The demo's in-process platform (electron/sandbox/demo/adapter.ts) takes absolute figures.
  sandbox: 'set',
};

export const defaultModeOf = (platform: string): StockWriteMode | null => STOCK_WRITE_MODES[platform] ?? null;

/**
 * The states a push can still be the latest word in: the round's live-figure lookup, superseding and
 * the sender's one-row-out-at-a-time rule read only these, through the partial index
 * stock_pushes_live_target_idx. SQLite uses a partial index only for a query that repeats its WHERE
 * term, so every such query carries this text exactly (confirmed and superseded history, the bulk of
 * the table, stays out of the index every round writes into).
 */
export const LIVE_PUSH_STATES = "state IN ('pending', 'sending', 'refused', 'failed')";

/** Why a shop got no figures this round. */
export type SkipReason = 'auth_expired' | 'paused' | 'no_stock_write';

export interface SkippedShop {
  shopId: string;
  shopName: string;
  platform: string;
  reason: SkipReason;
}

/** One (shop, platform SKU) the round looked at. */
export interface PushFigure {
  shopId: string;
  shopName: string;
  skuId: string;
  /** The local SKU's outer code (商家编码). */
  sku: string;
  platformProductId: string;
  /** '' for a product without SKUs. */
  platformSkuId: string;
  mode: StockWriteMode;
  /** What the shop is (or, in a dry run, would be) told. */
  quantity: number;
  /** What it was last told, or the platform's own figure; null when neither is known. */
  told: number | null;
  /** A push row was (or would be) written for it. */
  changed: boolean;
}

export interface RoundOptions {
  now: number;
  /** Only this shop. Its round leaves the dirty marks for the round of every shop. */
  shopId?: string | undefined;
  /** Every mapped SKU, not only the dirty ones (the scheduled round). */
  full?: boolean;
  /** Return every figure looked at (the CLI, the dry run); off for the background's rounds. */
  collect?: boolean;
  /** Which shops can be told and how (default: STOCK_WRITE_MODES). */
  modeOf?: (platform: string) => StockWriteMode | null;
}

export interface RoundResult {
  /** Local SKUs covered (bundles included). */
  skus: number;
  /** (shop, platform SKU) figures computed. */
  targets: number;
  /** Push rows written (or, in a dry run, that would be). */
  written: number;
  /** Older unsent rows the new ones replaced. */
  superseded: number;
  skipped: SkippedShop[];
  /** Filled when collect is on, by shop name then SKU code. */
  figures: PushFigure[];
  /** The SKUs whose figures were computed (for alerts). */
  skuIds: string[];
  /** The SKUs at least one shop gets a new figure of. */
  changedSkuIds: string[];
}

interface ShopRow {
  id: string;
  name: string;
  platform: string;
  state: string;
}

/**
 * The latest live push of every target that has one — pending, sending, or refused with nothing
 * confirmed since — keyed by the target's sku_mappings rowid, so the round's walk over a million
 * mappings compares by an integer instead of building a key per row. A newer live row is found
 * through the live partial index; a newer confirmed one through the SKU's index from the live row's
 * time on (under the live row's SKU or the one the target maps to now: a confirmed push of the
 * target's current SKU ends any older word, whatever SKU that was for).
 */
function liveTold(db: ReadDb): Map<number, { quantity: number; pending: boolean }> {
  const newer = '(n.created_at > p.created_at OR (n.created_at = p.created_at AND n.id > p.id))';
  const sameTarget = 'n.shop_id = p.shop_id AND n.platform_product_id = p.platform_product_id AND n.platform_sku_id = p.platform_sku_id';
  const rows = db.$client
    .prepare<[], [number, number, string]>(
      `SELECT m.rowid, p.quantity, p.state FROM stock_pushes p
         JOIN sku_mappings m ON m.shop_id = p.shop_id AND m.platform_product_id = p.platform_product_id AND m.platform_sku_id = p.platform_sku_id
        WHERE p.state IN ('pending', 'sending', 'refused')
          AND NOT EXISTS (SELECT 1 FROM stock_pushes n
                           WHERE ${sameTarget} AND n.${LIVE_PUSH_STATES} AND n.state <> 'failed' AND ${newer})
          AND NOT EXISTS (SELECT 1 FROM stock_pushes n
                           WHERE n.sku_id IN (p.sku_id, m.sku_id) AND n.created_at >= p.created_at AND ${sameTarget}
                             AND n.state = 'confirmed' AND ${newer})`,
    )
    .raw()
    .all();
  const out = new Map<number, { quantity: number; pending: boolean }>();
  for (const [rowid, q, state] of rows) {
    const had = out.get(rowid);
    // A pending row and the sending one before it can both be live: the shop will end up told the pending one.
    if (!had || state === 'pending') out.set(rowid, { quantity: q, pending: state === 'pending' || had?.pending === true });
  }
  return out;
}

/** The SKUs a dirty round covers: the marked ones and every bundle one of them is a component of. */
function dirtyCover(db: ReadDb): { skuIds: Set<string>; marked: string[] } {
  const marked = dirtySkus(db).map((d) => d.skuId);
  const skuIds = new Set(marked);
  const bundlesOf = db.$client.prepare<[string], [string]>('SELECT bundle_sku_id FROM bundle_components WHERE component_sku_id = ?').raw();
  for (const id of marked) for (const [b] of bundlesOf.all(id)) skuIds.add(b);
  return { skuIds, marked };
}

interface Computed extends RoundResult {
  /** Targets to write: index into a flat list. */
  writes: { rowid: number; skuId: string; mode: StockWriteMode; quantity: number; supersedes: boolean }[];
  marked: string[];
}

function eligibleShops(db: ReadDb, o: RoundOptions): { skipped: SkippedShop[]; eligible: Map<string, { name: string; mode: StockWriteMode }> } {
  const modeOf = o.modeOf ?? defaultModeOf;
  const shops = db.$client
    .prepare<[string | null, string | null], ShopRow>('SELECT id, name, platform, state FROM shops WHERE (? IS NULL OR id = ?) ORDER BY name, id')
    .all(o.shopId ?? null, o.shopId ?? null);
  const skipped: SkippedShop[] = [];
  const eligible = new Map<string, { name: string; mode: StockWriteMode }>();
  for (const s of shops) {
    const mode = modeOf(s.platform);
    const reason: SkipReason | null = mode === null ? 'no_stock_write' : s.state === 'auth_expired' ? 'auth_expired' : s.state !== 'active' ? 'paused' : null;
    if (reason) skipped.push({ shopId: s.id, shopName: s.name, platform: s.platform, reason });
    else eligible.set(s.id, { name: s.name, mode: mode! });
  }
  return { skipped, eligible };
}

/**
 * A station joined to a team hub tells platforms only stock the hub has confirmed: units its
 * movements still waiting for the hub's answer (or refused by it) would add are left out, since the
 * hub may yet merge them with another station's offline sales. Its own unconfirmed sales stay
 * counted: a sale made here is certain, and telling a platform those units again would invite the
 * oversell. null: no hub (every committed movement counts).
 */
function unconfirmedReceipts(db: ReadDb): ((skuId: string) => number) | null {
  if (readHubSettings(db as Db) === null) return null;
  const q = db.$client
    .prepare<[string], number>(
      `SELECT coalesce(sum(m.delta), 0) FROM stock_movements m JOIN ops o ON o.id = m.op_id
        WHERE m.sku_id = ? AND m.delta > 0 AND o.hub_state IN ('pending', 'refused')`,
    )
    .pluck();
  return (skuId) => q.get(skuId) as number;
}

/** A SKU's available figure for the round, memoised: a bundle's is the fewest whole bundles its components make. */
function availability(db: ReadDb): (skuId: string) => number {
  const components = componentCache(db);
  const plain = new Map<string, number>();
  const unconfirmed = unconfirmedReceipts(db);
  const availableOfPlain = (id: string): number => {
    let a = plain.get(id);
    if (a === undefined) plain.set(id, (a = figuresOf(db, id).available - (unconfirmed?.(id) ?? 0)));
    return a;
  };
  const availableMemo = new Map<string, number>();
  return (id: string): number => {
    let a = availableMemo.get(id);
    if (a === undefined) {
      const cs = components(id);
      a = cs.length === 1 && cs[0]!.skuId === id ? availableOfPlain(id) : bundleAvailable(cs.map((c) => ({ perUnit: c.perUnit, available: availableOfPlain(c.skuId) })));
      availableMemo.set(id, a);
    }
    return a;
  };
}

function compute(db: ReadDb, o: RoundOptions): Computed {
  const { skipped, eligible } = eligibleShops(db, o);

  const { skuIds: cover, marked } = o.full ? { skuIds: null, marked: [] as string[] } : dirtyCover(db);
  // Mapped platform SKUs of the eligible shops as [mapping rowid, shop, local SKU, platform stock]: the
  // platform's ids are read only for the rows written (or listed), by rowid. A full round walks each
  // eligible shop's mappings through the primary key (streamed: a million rows are never held at once).
  type Target = [number, string, string, number | null];
  let targets: Iterable<Target>;
  if (cover === null) {
    const ofShop = db.$client.prepare<[string], [number, string, number | null]>('SELECT rowid, sku_id, platform_stock FROM sku_mappings WHERE shop_id = ? AND sku_id IS NOT NULL').raw();
    targets = (function* () {
      for (const shopId of eligible.keys()) for (const [rowid, skuId, stock] of ofShop.iterate(shopId)) yield [rowid, shopId, skuId, stock] as Target;
    })();
  } else {
    const bySku = db.$client.prepare<[string], [number, string, number | null]>('SELECT rowid, shop_id, platform_stock FROM sku_mappings WHERE sku_id = ?').raw();
    const list: Target[] = [];
    for (const id of cover) for (const [rowid, shopId, stock] of bySku.all(id)) list.push([rowid, shopId, id, stock]);
    targets = list;
  }
  const idsOf = db.$client.prepare<[number], [string, string]>('SELECT platform_product_id, platform_sku_id FROM sku_mappings WHERE rowid = ?').raw();

  const availableOf = availability(db);

  const allocations = loadAllocations(db);
  const told = liveTold(db);
  const codeOf = o.collect ? db.$client.prepare<[string], [string]>('SELECT outer_sku_code FROM skus WHERE id = ?').raw() : null;
  const codes = new Map<string, string>();
  const figures: PushFigure[] = [];
  const writes: Computed['writes'] = [];
  const covered = new Set<string>();
  const changedSkus = new Set<string>();
  let count = 0;
  let superseded = 0;
  for (const [rowid, shopId, skuId, platformStock] of targets) {
    const shop = eligible.get(shopId);
    if (!shop) continue;
    count += 1;
    covered.add(skuId);
    const quantity = figureFor(allocations.ruleFor(shopId, skuId), availableOf(skuId), allocations.reservedTotal(skuId));
    const live = told.size === 0 ? undefined : told.get(rowid);
    const last = live ? live.quantity : platformStock;
    const changed = last !== quantity;
    if (changed) {
      writes.push({ rowid, skuId, mode: shop.mode, quantity, supersedes: live?.pending === true });
      changedSkus.add(skuId);
      if (live?.pending) superseded += 1;
    }
    if (codeOf) {
      let code = codes.get(skuId);
      if (code === undefined) codes.set(skuId, (code = codeOf.get(skuId)?.[0] ?? skuId));
      const [platformProductId, platformSkuId] = idsOf.get(rowid)!;
      figures.push({ shopId, shopName: shop.name, skuId, sku: code, platformProductId, platformSkuId, mode: shop.mode, quantity, told: last, changed });
    }
  }
  figures.sort((a, b) => (a.shopName < b.shopName ? -1 : a.shopName > b.shopName ? 1 : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.platformSkuId < b.platformSkuId ? -1 : 1));
  const skuIds = cover ? [...cover] : [...covered];
  return { skus: skuIds.length, targets: count, written: writes.length, superseded, skipped, figures, skuIds, changedSkuIds: [...changedSkus], writes, marked };
}

/** What a round would write, computed from committed stock; writes nothing. */
export function previewPushRound(db: ReadDb, o: RoundOptions): RoundResult {
  const { writes: _w, marked: _m, ...result } = compute(db, o);
  return result;
}

/** Connections that have the push_round_id() SQL function (a UUIDv7 per row written). */
const withIdFunction = new WeakSet<object>();

/**
 * The round the background service and the bench run (no figures collected), set-based: each SKU's
 * figure is computed once per allocation rule in JS (a shop's own rows give it a group of its own;
 * shops sharing a default share figures), written to a temp table, and then ONE INSERT … SELECT per
 * shop joins its mappings to those figures and compares them with what the shop was last told inside
 * SQLite — the million unchanged targets of a steady round never come out to JS, and a changed one
 * costs one row written, not a statement. Same rules and results as compute() (the collecting path,
 * which the tests hold the two to).
 */
function runSetRound(tx: WriteTx, o: RoundOptions): RoundResult {
  const c = tx.$client;
  const { skipped, eligible } = eligibleShops(tx, o);
  const { skuIds: cover, marked } = o.full ? { skuIds: null, marked: [] as string[] } : dirtyCover(tx);
  const shopIds = [...eligible.keys()];
  // A full round covers every SKU an eligible shop maps; one pass over sku_mappings_sku_idx gives
  // them and how many targets each has (a dirty round counts its targets per shop below).
  let fullTargets = 0;
  let skus: string[];
  if (cover === null) {
    skus = [];
    const rows = c
      .prepare<[string], [string, number]>('SELECT sku_id, count(*) FROM sku_mappings WHERE sku_id IS NOT NULL AND shop_id IN (SELECT value FROM json_each(?)) GROUP BY sku_id')
      .raw()
      .all(JSON.stringify(shopIds));
    for (const [id, n] of rows) {
      skus.push(id);
      fullTargets += n;
    }
  } else skus = [...cover];

  c.exec(`CREATE TEMP TABLE IF NOT EXISTS push_fig (grp INTEGER NOT NULL, sku_id TEXT NOT NULL, quantity INTEGER NOT NULL, PRIMARY KEY (grp, sku_id)) WITHOUT ROWID;
          CREATE TEMP TABLE IF NOT EXISTS push_told (rid INTEGER PRIMARY KEY, quantity INTEGER NOT NULL, pending INTEGER NOT NULL);
          CREATE TEMP TABLE IF NOT EXISTS push_shop (shop_id TEXT PRIMARY KEY, grp INTEGER NOT NULL, mode TEXT NOT NULL) WITHOUT ROWID;
          CREATE TEMP TABLE IF NOT EXISTS push_cover (sku_id TEXT PRIMARY KEY) WITHOUT ROWID;
          DELETE FROM temp.push_fig; DELETE FROM temp.push_told; DELETE FROM temp.push_shop; DELETE FROM temp.push_cover;`);
  if (!withIdFunction.has(c)) {
    c.function('push_round_id', { deterministic: false }, pushId);
    withIdFunction.add(c);
  }
  try {
    const availableOf = availability(tx);
    const allocations = loadAllocations(tx);
    const own = allocations.shopsWithOwnRules();
    const fill = c.prepare<[number, string, number]>('INSERT INTO temp.push_fig (grp, sku_id, quantity) VALUES (?, ?, ?)');
    const groupOf = new Map<string, number>();
    const byRule = new Map<string, number>();
    const fillGroup = (g: number, ruleOf: (skuId: string) => AllocationRule) => {
      for (const id of skus) fill.run(g, id, figureFor(ruleOf(id), availableOf(id), allocations.reservedTotal(id)));
    };
    for (const shopId of shopIds) {
      if (own.has(shopId)) {
        const g = groupOf.size + byRule.size;
        groupOf.set(shopId, g);
        fillGroup(g, (id) => allocations.ruleFor(shopId, id));
        continue;
      }
      const rule = allocations.defaultFor(shopId);
      const key = `${rule.mode}|${rule.value}|${rule.minQty}|${rule.maxQty}`;
      let g = byRule.get(key);
      if (g === undefined) {
        g = groupOf.size + byRule.size;
        byRule.set(key, g);
        fillGroup(g, () => rule);
      }
      groupOf.set(shopId, g);
    }

    const told = liveTold(tx);
    let anyPending = false;
    if (told.size > 0) {
      const put = c.prepare<[number, number, number]>('INSERT INTO temp.push_told (rid, quantity, pending) VALUES (?, ?, ?)');
      for (const [rid, t] of told) {
        put.run(rid, t.quantity, t.pending ? 1 : 0);
        if (t.pending) anyPending = true;
      }
    }
    const last = told.size > 0 ? 'CASE WHEN t.rid IS NULL THEN m.platform_stock ELSE t.quantity END' : 'm.platform_stock';
    const joinTold = told.size > 0 ? 'LEFT JOIN temp.push_told t ON t.rid = m.rowid' : '';
    const columns = `INSERT INTO stock_pushes (id, shop_id, platform_product_id, platform_sku_id, sku_id, mode, quantity, state, attempts, next_at, created_at)
       SELECT push_round_id(), m.shop_id, m.platform_product_id, m.platform_sku_id, m.sku_id`;
    const before = c.prepare('SELECT coalesce(max(rowid), 0) FROM stock_pushes').pluck().get() as number;
    let targets = fullTargets;
    let written = 0;
    if (cover === null) {
      // A full round walks each shop's mappings and looks each figure up.
      const insert = c.prepare(
        `${columns}, @mode, f.quantity, 'pending', 0, @now, @now
           FROM sku_mappings m CROSS JOIN temp.push_fig f ${joinTold}
          WHERE f.grp = @grp AND f.sku_id = m.sku_id AND m.shop_id = @shop AND f.quantity IS NOT ${last}`,
      );
      for (const [shopId, shop] of eligible) written += insert.run({ grp: groupOf.get(shopId)!, shop: shopId, mode: shop.mode, now: o.now }).changes;
    } else {
      // A dirty round walks the covered SKUs' mappings (sku_mappings_sku_idx) in one statement, SKU by
      // SKU, so the rows of one SKU land next to each other in stock_pushes_sku_idx.
      const putShop = c.prepare<[string, number, string]>('INSERT INTO temp.push_shop (shop_id, grp, mode) VALUES (?, ?, ?)');
      for (const [shopId, shop] of eligible) putShop.run(shopId, groupOf.get(shopId)!, shop.mode);
      const putSku = c.prepare<[string]>('INSERT INTO temp.push_cover (sku_id) VALUES (?)');
      for (const id of skus) putSku.run(id);
      const from = 'temp.push_cover v CROSS JOIN sku_mappings m CROSS JOIN temp.push_shop s';
      const join = 'm.sku_id = v.sku_id AND s.shop_id = m.shop_id';
      targets += c.prepare(`SELECT count(*) FROM ${from} WHERE ${join}`).pluck().get() as number;
      written += c
        .prepare(
          `${columns}, s.mode, f.quantity, 'pending', 0, @now, @now
             FROM ${from} CROSS JOIN temp.push_fig f ${joinTold}
            WHERE ${join} AND f.grp = s.grp AND f.sku_id = m.sku_id AND f.quantity IS NOT ${last}`,
        )
        .run({ now: o.now }).changes;
    }
    let superseded = 0;
    if (anyPending && written > 0) {
      // Targets whose live push was still pending and got a newer figure: the older unsent rows go.
      const replaced = `FROM temp.push_told t JOIN sku_mappings m ON m.rowid = t.rid
        WHERE t.pending = 1 AND EXISTS (SELECT 1 FROM stock_pushes n WHERE n.shop_id = m.shop_id AND n.platform_product_id = m.platform_product_id
                                          AND n.platform_sku_id = m.platform_sku_id AND n.${LIVE_PUSH_STATES} AND n.rowid > @before)`;
      superseded = c.prepare(`SELECT count(*) ${replaced}`).pluck().get({ before }) as number;
      c.prepare(
        `UPDATE stock_pushes SET state = 'superseded', done_at = @now
          WHERE state = 'pending' AND rowid <= @before
            AND rowid IN (SELECT p.rowid FROM stock_pushes p JOIN (SELECT m.shop_id, m.platform_product_id, m.platform_sku_id ${replaced}) r
                            ON p.shop_id = r.shop_id AND p.platform_product_id = r.platform_product_id AND p.platform_sku_id = r.platform_sku_id
                           WHERE p.${LIVE_PUSH_STATES})`,
      ).run({ before, now: o.now });
    }
    const changedSkuIds = written > 0 ? (c.prepare('SELECT DISTINCT sku_id FROM stock_pushes WHERE rowid > ?').pluck().all(before) as string[]) : [];
    if (!o.shopId) {
      if (o.full) c.prepare('DELETE FROM stock_dirty WHERE since <= ?').run(o.now);
      else clearStockDirty(tx, marked, o.now);
    }
    return { skus: skus.length, targets, written, superseded, skipped, figures: [], skuIds: skus, changedSkuIds };
  } finally {
    c.exec('DELETE FROM temp.push_fig; DELETE FROM temp.push_told; DELETE FROM temp.push_shop; DELETE FROM temp.push_cover;');
  }
}

/**
 * One round, in the caller's write transaction: the rows for every changed figure, older unsent rows
 * of the same targets superseded, and — for a round of every shop — the dirty marks it covered cleared.
 * Alerts for the covered SKUs are evaluated by the caller in the same transaction (afterRound).
 */
export function runPushRound(tx: WriteTx, o: RoundOptions): RoundResult {
  if (!o.collect) return runSetRound(tx, o);
  const c = tx.$client;
  const computed = compute(tx, o);
  // The target's ids are copied from its mapping row inside SQLite: nothing is read out to be written back.
  const insert = c.prepare(
    `INSERT INTO stock_pushes (id, shop_id, platform_product_id, platform_sku_id, sku_id, mode, quantity, state, attempts, next_at, created_at)
     SELECT ?, shop_id, platform_product_id, platform_sku_id, sku_id, ?, ?, 'pending', 0, ?, ? FROM sku_mappings WHERE rowid = ?`,
  );
  const target = c.prepare<[number], { shopId: string; productId: string; skuId: string }>(
    'SELECT shop_id AS shopId, platform_product_id AS productId, platform_sku_id AS skuId FROM sku_mappings WHERE rowid = ?',
  );
  const supersede = c.prepare(
    `UPDATE stock_pushes SET state = 'superseded', done_at = ?
      WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ? AND ${LIVE_PUSH_STATES} AND state = 'pending' AND id <> ?`,
  );
  for (const w of computed.writes) {
    const id = pushId();
    insert.run(id, w.mode, w.quantity, o.now, o.now, w.rowid);
    if (w.supersedes) {
      const t = target.get(w.rowid)!;
      supersede.run(o.now, t.shopId, t.productId, t.skuId, id);
    }
  }
  // A round of one shop leaves the marks: the other shops have not been told yet.
  if (!o.shopId) {
    if (o.full) c.prepare('DELETE FROM stock_dirty WHERE since <= ?').run(o.now);
    else clearStockDirty(tx, computed.marked, o.now);
  }
  const { writes: _w, marked: _m, ...result } = computed;
  return result;
}
