// The live feed must report exactly what the generator's changedOrders says, window by window.
import { describe, expect, it } from 'vitest';
import { changedOrders, DAY, HOUR, MINUTE, SECOND, type WorldShop } from './generator.ts';
import { WorldFeed } from './world-feed.ts';

const NOW = Date.UTC(2026, 10, 20, 4, 0, 0);
const shop = (over: Partial<WorldShop> = {}): WorldShop => ({
  id: 'feed-shop',
  seed: 424242,
  imitates: 'taobao',
  categories: ['零食'],
  ordersPerHour: 30,
  worldStartMs: NOW - 50 * DAY,
  ...over,
});
const ids = (orders: { platformOrderId: string; platformUpdatedAt: number }[]) => orders.map((o) => `${o.platformOrderId}@${o.platformUpdatedAt}`);

describe('WorldFeed', () => {
  it('starts with changedOrders(from, now) and then reports each window exactly as changedOrders does', () => {
    const world = shop();
    const from = NOW - 3 * DAY;
    const feed = new WorldFeed(world, from, NOW);
    expect(feed.initial.length).toBeGreaterThan(1000);
    expect(feed.initial).toEqual(changedOrders(world, from, NOW));

    // Uneven steps: sub-minute, several minutes, a long gap (the station was closed for a day).
    let t = NOW;
    for (const step of [3 * SECOND, 7 * SECOND, 2 * MINUTE + 500, 45 * MINUTE, DAY + 17 * SECOND, 5 * SECOND]) {
      const next = t + step;
      const got = feed.advance(next);
      expect(ids(got)).toEqual(ids(changedOrders(world, t, next)));
      expect(got).toEqual(changedOrders(world, t, next));
      t = next;
    }
    expect(feed.reportedUntilMs).toBe(t);
    // Nothing new for a time that is not later.
    expect(feed.advance(t)).toEqual([]);
    expect(feed.advance(t - HOUR)).toEqual([]);
  });

  it('reports new orders once, at creation, when the world begins inside the watched span', () => {
    const world = shop({ worldStartMs: NOW - HOUR, ordersPerHour: 120, imitates: 'pdd' });
    const feed = new WorldFeed(world, NOW - 3 * DAY, NOW);
    expect(feed.initial).toEqual(changedOrders(world, NOW - 3 * DAY, NOW));
    const later = feed.advance(NOW + 30 * MINUTE);
    const created = later.filter((o) => o.createdAt >= NOW);
    expect(created.length).toBeGreaterThan(10);
    expect(new Set(later.map((o) => o.platformOrderId)).size).toBe(later.length);
  });
});
