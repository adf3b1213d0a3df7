// One sandbox shop's world as a live feed: the orders that changed since the last look, each as it
// stands now. changedOrders() answers the same question but recomputes every lifecycle of the last
// 40 days on each call — fine for one pull, too dear every few seconds for a whole demo team — so
// the feed computes each lifecycle once and files the order under the minute of its next event.
import type { PlatformOrder } from '../../shared/model.ts';
import { eventTimes, MAX_LIFETIME_MS, MINUTE, worldOrderAt, worldOrders, type WorldOrder, type WorldShop } from './generator.ts';

interface Pending {
  order: WorldOrder;
  /** The order's event times, ascending. */
  times: number[];
  /** Its next event not yet reported. */
  next: number;
}

const byModified = (a: PlatformOrder, b: PlatformOrder): number =>
  a.platformUpdatedAt - b.platformUpdatedAt || (a.platformOrderId < b.platformOrderId ? -1 : a.platformOrderId > b.platformOrderId ? 1 : 0);

export class WorldFeed {
  /** Orders with an event still to come, by the minute of that event (a calendar queue). */
  private readonly due = new Map<number, Pending[]>();
  private lastMs: number;

  /**
   * Start watching at nowMs. `initial` holds the orders with any change in [fromMs, nowMs), as at
   * nowMs — exactly changedOrders(shop, fromMs, nowMs), sorted the same way.
   */
  readonly initial: PlatformOrder[];

  constructor(
    private readonly shop: WorldShop,
    fromMs: number,
    nowMs: number,
  ) {
    const out: PlatformOrder[] = [];
    for (const order of worldOrders(shop, fromMs - MAX_LIFETIME_MS, nowMs)) {
      const times = eventTimes(order.life).sort((a, b) => a - b);
      if (times.some((t) => t >= fromMs && t < nowMs)) out.push(worldOrderAt(shop, order, nowMs));
      this.schedule({ order, times, next: 0 }, nowMs);
    }
    this.initial = out.sort(byModified);
    this.lastMs = nowMs;
  }

  /** The time the feed has reported up to. */
  get reportedUntilMs(): number {
    return this.lastMs;
  }

  /**
   * The orders with any change in [last look, toMs) — new ones and ones whose lifecycle moved — as
   * at toMs, sorted by modified time. Empty when toMs is not after the last look.
   */
  advance(toMs: number): PlatformOrder[] {
    const from = this.lastMs;
    if (toMs <= from) return [];
    const moved: Pending[] = [];
    for (let m = Math.floor(from / MINUTE), last = Math.floor((toMs - 1) / MINUTE); m <= last; m += 1) {
      const list = this.due.get(m);
      if (!list) continue;
      const keep = list.filter((p) => p.next >= toMs);
      for (const p of list) if (p.next < toMs) moved.push(p);
      if (keep.length > 0) this.due.set(m, keep);
      else this.due.delete(m);
    }
    // Orders created in the window: their creation is a change, and later events get filed.
    for (const order of worldOrders(this.shop, from, toMs)) moved.push({ order, times: eventTimes(order.life).sort((a, b) => a - b), next: order.slot.createdAt });
    const out = moved.map((p) => worldOrderAt(this.shop, p.order, toMs));
    for (const p of moved) this.schedule(p, toMs);
    this.lastMs = toMs;
    return out.sort(byModified);
  }

  /** File the order under its first event at or after atLeastMs; an order with none left is dropped. */
  private schedule(p: Pending, atLeastMs: number): void {
    const next = p.times.find((t) => t >= atLeastMs);
    if (next === undefined) return;
    p.next = next;
    const minute = Math.floor(next / MINUTE);
    const list = this.due.get(minute);
    if (list) list.push(p);
    else this.due.set(minute, [p]);
  }
}
