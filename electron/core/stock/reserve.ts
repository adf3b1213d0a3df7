// Reservations (占用): a reconciler that makes an order's held stock agree with the order's row
// (docs/stock.md#reservations). Idempotent — call it any number of times, from ingest, from order
// commands, after a mapping changes: it reads the order and its held rows and does only what differs.
//
//   should hold (paid, awaiting shipment, not shipped here, no open refund/after-sale), holds nothing
//       → choose warehouses (warehouse-choice.ts) and hold every line's component SKUs, all or none;
//         when that cannot be done the order waits in 缺货 (stock_state 'short' with a reason);
//   holds, and has shipped (here, or the platform says so)
//       → every held row becomes a ship movement and is marked shipped (stock_state 'shipped');
//   holds, and should not (cancelled, refund requested before shipping, closed here)
//       → its rows are released (stock_state null), and the units go to the 缺货 queue first-paid first.
// A hold (挂起) does not release: the order still wants its units when it is released.
//
// Everything runs in the caller's write transaction; every SKU whose available stock moved is marked
// for the push round (dirty.ts) in it. A Settler caches warehouses, bundle components and available
// figures for one batch: they change only through the Settler itself inside the transaction. It
// queues the held rows it decides and writes them together (finish, or before it reads them back).
import { v7 as uuidv7 } from 'uuid';
import type { ShortReason } from '../../shared/api/stock.ts';
import { isOpenAfterSale } from '../../shared/model.ts';
import { maySplitAcrossWarehouses } from '../../shared/split-shipment.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { figuresByWarehouse, figuresIn } from './available.ts';
import { componentCache, type Component } from './components.ts';
import { pooledUuidv7 } from './ids.ts';
import { OfflineQuotas } from './quotas.ts';
import { markStockDirty } from './dirty.ts';
import { chooseWarehouses, type Choice, type LineNeed, type WarehouseOption } from './warehouse-choice.ts';

/** Who and which op the ship movements a settle writes belong to. */
export interface SettleOptions {
  /** The ledger's actor for ship movements (default 'system'). */
  actor?: string;
  /** The ops row of the command or ingest the settle is part of (default: a fresh id). */
  opId?: string;
}

export interface SettleSummary {
  reserved: number;
  short: number;
  shipped: number;
  released: number;
}

export interface OrderFacts {
  id: string;
  platform: string;
  platformOrderId: string;
  status: string;
  stage: string;
  afterSale: string;
  province: string;
  stockState: string | null;
  stockShortReason: string | null;
}

/** What ingest already knows of an order it just wrote: its row's facts and its lines, so settling reads neither again. */
export interface KnownOrder extends OrderFacts {
  lines: readonly KnownLine[];
}

export interface KnownLine {
  lineNo: number;
  skuId: string | null;
  quantity: number;
}

interface HeldRow {
  id: string;
  lineNo: number;
  skuId: string;
  warehouseId: string;
  quantity: number;
}

/** Whether the order should hold its units now: paid, not yet gone, nobody asking for the money back. */
export function shouldHold(o: Pick<OrderFacts, 'status' | 'stage' | 'afterSale'>): boolean {
  return o.status === 'awaiting_shipment' && o.stage !== 'shipped' && !isOpenAfterSale(o.afterSale);
}

/** Whether the parcel has left: shipped here, or the platform reports it shipped or completed. */
export const hasShipped = (o: Pick<OrderFacts, 'status' | 'stage'>): boolean =>
  o.stage === 'shipped' || o.status === 'shipped' || o.status === 'completed';

/**
 * The line SKUs of orders waiting only for an offline quota, read at the end of every batch: through
 * their own partial index, empty unless a station is offline with quotas. Through the 缺货 index it
 * read every short order's row each batch, which grew with the queue. CROSS JOIN keeps the orders
 * first: the planner would otherwise walk every order line with a SKU.
 */
export const QUOTA_WAITING_SQL = `SELECT DISTINCT i.sku_id FROM orders o INDEXED BY orders_stock_quota_wait_idx CROSS JOIN order_items i ON i.order_id = o.id
  WHERE o.stock_state = 'short' AND o.stock_short_reason = 'offline_quota' AND i.sku_id IS NOT NULL`;

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(c: Db['$client']) {
  return {
    orders: c.prepare<[string], OrderFacts>(
      `SELECT id, platform, platform_order_id AS platformOrderId, status, stage, after_sale AS afterSale,
              receiver_province AS province, stock_state AS stockState, stock_short_reason AS stockShortReason
         FROM orders WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    lines: c.prepare<[string], { lineNo: number; skuId: string | null; quantity: number }>(
      'SELECT line_no AS lineNo, sku_id AS skuId, quantity FROM order_items WHERE order_id = ? ORDER BY line_no',
    ),
    held: c.prepare<[string], HeldRow>(
      `SELECT id, line_no AS lineNo, sku_id AS skuId, warehouse_id AS warehouseId, quantity
         FROM stock_reservations WHERE order_id = ? AND state = 'held' ORDER BY line_no, sku_id`,
    ),
    warehouses: c.prepare<[], { id: string; code: string; regions: string; priority: number }>(
      'SELECT id, code, regions, priority FROM warehouses ORDER BY code',
    ),
    // Many rows in one statement: the table's effect trigger makes every statement that writes it
    // open a statement journal, which copies each page it touches; one row per statement paid that
    // for every row (measured: about three times the cost of a row written in a batch).
    reserve: c.prepare<[number, string]>(
      `INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, 'held', ? FROM json_each(?)`,
    ),
    settle: c.prepare<[string, number, string | null, string]>('UPDATE stock_reservations SET state = ?, settled_at = ?, movement_id = ? WHERE id = ?'),
    ship: c.prepare(
      `INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, reference, note, actor, at, op_id, corrects_id, request_id)
       VALUES (?, ?, ?, ?, 'ship', ?, NULL, ?, ?, ?, NULL, NULL)`,
    ),
    state: c.prepare<[string | null, string | null, string]>('UPDATE orders SET stock_state = ?, stock_short_reason = ? WHERE id = ?'),
    quotaWaiting: c.prepare<[], string>(QUOTA_WAITING_SQL).pluck(),
    // orders_stock_short_idx walks the queue in paid-time order; each candidate is checked for a line
    // of the SKUs (order_items_order_line_uq), directly or as a bundle of them.
    shortFor: c.prepare<[{ skus: string }], { id: string }>(
      `SELECT o.id FROM orders o INDEXED BY orders_stock_short_idx
        WHERE o.stock_state = 'short' AND EXISTS (
          SELECT 1 FROM order_items i WHERE i.order_id = o.id AND (
            i.sku_id IN (SELECT value FROM json_each(:skus))
            OR i.sku_id IN (SELECT bundle_sku_id FROM bundle_components WHERE component_sku_id IN (SELECT value FROM json_each(:skus)))))
        ORDER BY o.paid_at, o.seq`,
    ),
  };
}

// Plans shared by every new order they describe: an object (and once a closure) made per order was a
// visible share of ingest's settle time in a CPU profile.
const HOLDS_NOTHING = { state: null, reason: null } as const;
const RESERVED = { state: 'reserved', reason: null } as const;

/** Settles orders and refills the 缺货 queue within one transaction, with one batch's caches. */
export class Settler {
  private readonly st: ReturnType<typeof prepare>;
  private readonly components: (skuId: string) => Component[];
  private warehouseList: WarehouseOption[] | null = null;
  /** Free units per SKU, then per warehouse: read once per batch, then moved by what the batch holds and frees. */
  private readonly available = new Map<string, Map<string, number>>();
  /** Each SKU's available units over all warehouses (safety stock counted once), moved like the free units. */
  private readonly totals = new Map<string, number>();
  private readonly dirty = new Set<string>();
  /** Held rows decided but not written yet: [id, order id, line, SKU, warehouse, quantity] (writeHeld). */
  private pendingHeld: (string | number)[][] = [];
  /** The SKUs and orders of pendingHeld: reading one's figures or held rows from the database writes them first. */
  private readonly pendingSkus = new Set<string>();
  private readonly pendingOrders = new Set<string>();
  /** SKUs whose units a release freed: the queue is refilled with them before the batch ends. */
  private readonly freed = new Set<string>();
  readonly summary: SettleSummary = { reserved: 0, short: 0, shipped: 0, released: 0 };
  private readonly actor: string;
  private readonly opId: string;
  /** The offline quotas this station must keep (undefined: not read yet; null: nothing limited). */
  private quotas: OfflineQuotas | null | undefined;

  constructor(
    private readonly tx: WriteTx,
    private readonly now: number,
    options: SettleOptions = {},
  ) {
    let st = statements.get(tx.$client);
    if (!st) statements.set(tx.$client, (st = prepare(tx.$client)));
    this.st = st;
    this.components = componentCache(tx);
    this.actor = options.actor ?? 'system';
    this.opId = options.opId ?? uuidv7();
  }

  /**
   * Read once per batch. Not `??=`: null (nothing limited, the usual case) is an answer too, and
   * reading the hub settings again for every order was the largest share of ingest's settle time.
   */
  private offlineQuotas(): OfflineQuotas | null {
    if (this.quotas === undefined) this.quotas = OfflineQuotas.of(this.tx);
    return this.quotas;
  }

  private warehouses(): WarehouseOption[] {
    this.warehouseList ??= this.st.warehouses.all().map((w) => ({ id: w.id, code: w.code, regions: JSON.parse(w.regions) as string[], priority: w.priority }));
    return this.warehouseList;
  }

  /** A SKU's free units in every warehouse and its available total, read together the first time the batch needs it. */
  private load(skuId: string): Map<string, number> {
    // A queued row's SKU was loaded before it was chosen, so this is a safeguard rather than a
    // flush on every new SKU (which broke a batch's rows into a statement per SKU).
    if (this.pendingSkus.has(skuId)) this.writeHeld();
    const f = figuresByWarehouse(this.tx, skuId);
    const bySku = new Map<string, number>();
    for (const w of this.warehouses()) bySku.set(w.id, f.free.get(w.id) ?? 0);
    this.available.set(skuId, bySku);
    this.totals.set(skuId, f.available);
    return bySku;
  }

  private availableIn = (skuId: string, warehouseId: string): number => {
    const bySku = this.available.get(skuId) ?? this.load(skuId);
    let n = bySku.get(warehouseId);
    if (n === undefined) {
      // Not among the batch's warehouses (not expected: they change only by a command).
      this.writeHeld();
      bySku.set(warehouseId, (n = figuresIn(this.tx, skuId, warehouseId).available));
    }
    return n;
  };

  private totalOf = (skuId: string): number => {
    const n = this.totals.get(skuId);
    if (n !== undefined) return n;
    this.load(skuId);
    return this.totals.get(skuId)!;
  };

  private moveAvailable(skuId: string, warehouseId: string, delta: number): void {
    const bySku = this.available.get(skuId);
    const n = bySku?.get(warehouseId);
    if (bySku && n !== undefined) bySku.set(warehouseId, n + delta);
    const t = this.totals.get(skuId);
    if (t !== undefined) this.totals.set(skuId, t + delta);
    this.dirty.add(skuId);
  }

  /** What each line takes from stock (lines without a local SKU take nothing); empty when no warehouse exists. */
  private needs(orderId: string, known?: readonly KnownLine[]): LineNeed[] {
    if (this.warehouses().length === 0) return [];
    const needs: LineNeed[] = [];
    for (const l of known ?? this.st.lines.all(orderId)) {
      if (l.skuId === null || l.quantity <= 0) continue;
      needs.push({ lineNo: l.lineNo, components: this.components(l.skuId).map((c) => ({ skuId: c.skuId, quantity: c.perUnit * l.quantity })) });
    }
    return needs;
  }

  private setState(o: OrderFacts, state: string | null, reason: ShortReason | null): void {
    if (o.stockState !== state || o.stockShortReason !== reason) this.st.state.run(state, reason, o.id);
    o.stockState = state;
    o.stockShortReason = reason;
  }

  private release(held: readonly HeldRow[]): void {
    for (const h of held) {
      this.st.settle.run('released', this.now, null, h.id);
      this.moveAvailable(h.skuId, h.warehouseId, h.quantity);
      this.freed.add(h.skuId);
    }
    if (held.length) this.summary.released++;
  }

  /**
   * Tries to hold the order's units. Returns the SKUs of which the team has too few in all
   * warehouses together when it cannot (empty for a reason other than 'insufficient').
   */
  private reserve(o: OrderFacts, needs: readonly LineNeed[]): string[] {
    const choice = this.choose(o, needs);
    if (!choice.ok) {
      this.setState(o, 'short', choice.reason);
      this.summary.short++;
      return choice.shortSkus;
    }
    this.take(needs, choice.lines);
    this.holdRows(o.id, needs, choice.lines);
    this.setState(o, 'reserved', null);
    this.summary.reserved++;
    return [];
  }

  private choose(o: Pick<OrderFacts, 'province' | 'platform'>, needs: readonly LineNeed[]): Choice {
    const input = { province: o.province, split: maySplitAcrossWarehouses(o.platform), lines: needs, warehouses: this.warehouses(), available: this.availableIn, total: this.totalOf };
    const q = this.offlineQuotas();
    if (q === null) return chooseWarehouses(input);
    // Offline with quotas: the stock it may take is also bounded by what its quotas leave. An order
    // the stock could fill but the quotas cannot waits with its own reason, and is retried once the
    // station reaches the hub again (finish).
    const bounded = chooseWarehouses({
      ...input,
      available: (skuId, warehouseId) => Math.min(this.availableIn(skuId, warehouseId), q.freeIn(skuId, warehouseId)),
      total: (skuId) => Math.min(this.totalOf(skuId), q.freeAll(skuId)),
    });
    if (bounded.ok) return bounded;
    const plain = chooseWarehouses(input);
    return plain.ok ? { ok: false, reason: 'offline_quota', shortSkus: [] } : plain;
  }

  /** Counts the units as gone from available (the next order of the batch sees it). */
  private take(needs: readonly LineNeed[], lines: Map<number, string>): void {
    for (const line of needs)
      for (const c of line.components) {
        this.moveAvailable(c.skuId, lines.get(line.lineNo)!, -c.quantity);
        this.quotas?.take(c.skuId, lines.get(line.lineNo)!, c.quantity);
      }
  }

  private heldOf(orderId: string): HeldRow[] {
    if (this.pendingOrders.has(orderId)) this.writeHeld();
    return this.st.held.all(orderId);
  }

  /** Queues the order's held rows; writeHeld writes them (in finish, or before this Settler reads them or their SKUs' figures). */
  private holdRows(orderId: string, needs: readonly LineNeed[], lines: Map<number, string>): void {
    // A bundle line can name one component twice only by a duplicate row, which the primary key refuses.
    this.pendingOrders.add(orderId);
    for (const line of needs) {
      const wh = lines.get(line.lineNo)!;
      for (const c of line.components) {
        this.pendingHeld.push([pooledUuidv7(), orderId, line.lineNo, c.skuId, wh, c.quantity]);
        this.pendingSkus.add(c.skuId);
      }
    }
  }

  /**
   * Writes the queued held rows, a few thousand per statement. Their orders' rows must exist by then
   * (the order foreign key): see planNew.
   */
  private writeHeld(): void {
    const rows = this.pendingHeld;
    if (rows.length === 0) return;
    this.pendingHeld = [];
    this.pendingSkus.clear();
    this.pendingOrders.clear();
    for (let i = 0; i < rows.length; i += 2000) this.st.reserve.run(this.now, JSON.stringify(rows.slice(i, i + 2000)));
  }

  /**
   * For an order about to be inserted (ingest): its stock state, decided before the row is written
   * so the row carries it (no second write of the order). The same rules as settling it afterwards.
   * Its held rows are queued, and written in finish (or sooner, when the Settler reads this order's
   * held rows): the caller inserts the order's row before it calls the Settler again (the rows name
   * the order).
   */
  planNew(o: Omit<OrderFacts, 'stockState' | 'stockShortReason'>, lines: readonly KnownLine[]): { readonly state: 'reserved' | 'short' | null; readonly reason: ShortReason | null } {
    if (hasShipped(o) || !shouldHold(o)) return HOLDS_NOTHING;
    const needs = this.needs(o.id, lines);
    if (needs.length === 0) return HOLDS_NOTHING;
    const choice = this.choose(o, needs);
    if (!choice.ok) {
      this.summary.short++;
      return { state: 'short', reason: choice.reason };
    }
    this.take(needs, choice.lines);
    this.holdRows(o.id, needs, choice.lines);
    this.summary.reserved++;
    return RESERVED;
  }

  private ship(o: OrderFacts, held: readonly HeldRow[]): void {
    for (const h of held) {
      const movementId = pooledUuidv7();
      this.st.ship.run(movementId, h.skuId, h.warehouseId, -h.quantity, o.platformOrderId, this.actor, this.now, this.opId);
      this.st.settle.run('shipped', this.now, movementId, h.id);
      // On hand and reserved both drop by the quantity: available does not move.
    }
    this.summary.shipped++;
  }

  /** One order: make its held rows and stock state agree with its row. Returns the SKUs it is short of. */
  private settleOne(o: OrderFacts, lines?: readonly KnownLine[]): string[] {
    // An order that never held anything and has no stock state holds nothing now (a new order).
    const held = o.stockState === null && lines ? [] : this.heldOf(o.id);
    const wasShort = o.stockState === 'short';
    const shortOf = wasShort ? this.needs(o.id, lines).flatMap((l) => l.components.map((c) => c.skuId)) : [];
    const result = this.settleOneInner(o, held, lines);
    // A short order leaving the queue may have been what kept later orders of its SKUs waiting.
    if (wasShort && o.stockState !== 'short') for (const s of shortOf) this.freed.add(s);
    return result;
  }

  private settleOneInner(o: OrderFacts, held: HeldRow[], lines?: readonly KnownLine[]): string[] {
    if (hasShipped(o)) {
      if (held.length > 0) {
        this.ship(o, held);
        this.setState(o, 'shipped', null);
      } else if (o.stockState !== 'shipped') {
        // Shipped without holding anything (it was short, or arrived already shipped): it leaves the queue.
        this.setState(o, null, null);
      }
      return [];
    }
    if (!shouldHold(o)) {
      this.release(held);
      this.setState(o, null, null);
      return [];
    }
    const needs = this.needs(o.id, lines);
    if (needs.length === 0) {
      this.release(held);
      this.setState(o, null, null);
      return [];
    }
    if (held.length > 0) {
      if (sameHolding(held, needs)) {
        this.setState(o, 'reserved', null);
        return [];
      }
      // Its lines changed since it reserved (a platform edit, a new mapping): hold them afresh.
      this.release(held);
    }
    return this.reserve(o, needs);
  }

  /** Settles the orders (ids not found are ignored), then refills the queue with whatever a release freed. */
  settle(orderIds: readonly string[]): void {
    for (let i = 0; i < orderIds.length; i += 5000) {
      for (const o of this.st.orders.all(JSON.stringify(orderIds.slice(i, i + 5000)))) this.settleOne(o);
    }
  }

  /** Settles orders whose facts and lines the caller has just written (ingest), without reading them back. */
  settleKnown(orders: readonly KnownOrder[]): void {
    for (const { lines, ...o } of orders) this.settleOne(o, lines);
  }

  /**
   * Retries the short orders that need any of these SKUs, first paid first, and holds what now fits.
   * An order that still cannot be filled keeps the SKUs it is short of from later orders in this
   * round, so units arriving bit by bit go to the first-paid order rather than to a smaller later one.
   */
  refill(skuIds: Iterable<string>): void {
    const skus = JSON.stringify([...new Set(skuIds)]);
    if (skus === '[]') return;
    const blocked = new Set<string>();
    for (const { id } of this.st.shortFor.all({ skus })) {
      const [o] = this.st.orders.all(JSON.stringify([id]));
      if (!o || o.stockState !== 'short') continue;
      if (blocked.size > 0 && this.needs(o.id).some((l) => l.components.some((c) => blocked.has(c.skuId)))) continue;
      for (const s of this.settleOne(o)) blocked.add(s);
    }
  }

  /** Refills with what releases freed (repeating while a refill frees more), then marks moved SKUs dirty. */
  finish(): SettleSummary {
    // Orders that waited only for an offline quota are retried as soon as nothing limits this station
    // (it reaches the hub again, or its quota was removed).
    if (this.offlineQuotas() === null) for (const skuId of this.st.quotaWaiting.all()) this.freed.add(skuId);
    while (this.freed.size > 0) {
      const freed = [...this.freed];
      this.freed.clear();
      this.refill(freed);
    }
    this.writeHeld();
    if (this.dirty.size > 0) markStockDirty(this.tx, this.dirty, this.now);
    this.dirty.clear();
    return this.summary;
  }
}

/** Whether the held rows are exactly what the lines need (same line, SKU and quantity each). */
function sameHolding(held: readonly HeldRow[], needs: readonly LineNeed[]): boolean {
  const want = needs.flatMap((l) => l.components.map((c) => `${l.lineNo}|${c.skuId}|${c.quantity}`)).sort();
  const have = held.map((h) => `${h.lineNo}|${h.skuId}|${h.quantity}`).sort();
  return want.length === have.length && want.every((w, i) => w === have[i]);
}

/**
 * Makes each order's reservations and stock state agree with its row, in the caller's transaction.
 * Safe to call any number of times for the same orders.
 */
export function settleOrders(tx: WriteTx, orderIds: readonly string[], now: number, options: SettleOptions = {}): SettleSummary {
  const s = new Settler(tx, now, options);
  s.settle(orderIds);
  return s.finish();
}
