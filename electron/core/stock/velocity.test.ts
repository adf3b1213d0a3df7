// Sales velocity on a real station: units per day over 7 and 30 days by paid time, a bundle's lines
// counted into its components, closed and unpaid orders left out, and the two query plans (a page of
// SKUs, the whole catalogue) giving the same figures from their indexes.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/open.ts';
import { ingestInto, lineItem, order, setupDb, T0 } from '../../testkit/ingest-fixtures.ts';
import { daysOfCover, FEW_LINES, ONE_SKU_SQL, salesPerDay, salesPerDayBoth, unitsSold, velocityPlan, WINDOW_PLAN_ABOVE, WINDOW_SQL } from './velocity.ts';

const DAY = 86_400_000;
const NOW = T0 + 60 * DAY;

let db: Db | null = null;
afterEach(() => {
  db?.$client.close();
  db = null;
});

/** sku-1 (T恤), SOCK (袜) and SET (组合装: 2 × T恤 + 1 × 袜). */
function station(): Db {
  const d = setupDb();
  const c = d.$client;
  c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('sku-sock', 'p1', 'SOCK', '袜', 500), ('sku-set', 'p1', 'SET', '套装', 4999)").run();
  c.prepare("INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES ('sku-set', 'sku-1', 2, 0), ('sku-set', 'sku-sock', 1, 0)").run();
  return d;
}

let n = 0;
/** One order paid `daysAgo` days before NOW with lines (outer code, quantity). */
function sell(d: Db, daysAgo: number, lines: [string, number][], o: Parameters<typeof order>[1] = {}): void {
  n += 1;
  const paidAt = NOW - daysAgo * DAY;
  ingestInto(d, 'shop-a', [
    order(n, {
      createdAt: paidAt - 1000,
      paidAt,
      platformUpdatedAt: paidAt,
      items: lines.map(([code, quantity], i) => lineItem(n, { platformItemId: `I${n}-${i}`, platformSkuId: code, outerSkuCode: code, quantity })),
      ...o,
    }),
  ]);
}

const many = (ids: string[]): string[] => [...ids, ...Array.from({ length: WINDOW_PLAN_ABOVE + 10 }, (_, i) => `no-such-${i}`)];

describe('salesPerDay', () => {
  it('counts paid lines inside the window by paid time, and bundles into their components', () => {
    const d = (db = station());
    sell(d, 1, [['NZ-2301-BK-M', 3]]); // 3 T恤
    sell(d, 2, [['SET', 2], ['SOCK', 1]]); // 2 sets = 4 T恤 + 2 袜, plus 1 袜
    sell(d, 10, [['NZ-2301-BK-M', 7]]); // outside 7 days, inside 30
    sell(d, 31, [['NZ-2301-BK-M', 100]]); // outside both
    sell(d, 3, [['NZ-2301-BK-M', 50]], { status: 'closed', platformStatus: 'TRADE_CLOSED' }); // cancelled: sold nothing
    sell(d, 3, [['NZ-2301-BK-M', 40]], { status: 'unpaid', platformStatus: 'WAIT_BUYER_PAY', paidAt: null });
    sell(d, 4, [['SOCK', 2]], { status: 'shipped', platformStatus: 'WAIT_BUYER_CONFIRM_GOODS' }); // shipped still sold

    const ids = ['sku-1', 'sku-sock', 'sku-set'];
    const week = unitsSold(d, ids, 7, NOW);
    expect(Object.fromEntries(week)).toEqual({ 'sku-1': 3 + 4, 'sku-sock': 2 + 1 + 2, 'sku-set': 2 });
    const month = unitsSold(d, ids, 30, NOW);
    expect(Object.fromEntries(month)).toEqual({ 'sku-1': 3 + 4 + 7, 'sku-sock': 5, 'sku-set': 2 });

    const perDay = salesPerDay(d, ids, 7, NOW);
    expect(perDay.get('sku-1')).toBeCloseTo(7 / 7);
    expect(salesPerDay(d, ['sku-1'], 30, NOW).get('sku-1')).toBeCloseTo(14 / 30);
    // A line paid exactly at the window's start is outside it; one paid at `now` is inside.
    sell(d, 7, [['SOCK', 10]]);
    sell(d, 0, [['SOCK', 1]]);
    expect(unitsSold(d, ['sku-sock'], 7, NOW).get('sku-sock')).toBe(6);
  });

  it('gives the same figures through the whole-window plan as through the per-SKU plan', () => {
    const d = (db = station());
    sell(d, 1, [['NZ-2301-BK-M', 3], ['SET', 1]]);
    sell(d, 5, [['SOCK', 4], ['SET', 3]]);
    sell(d, 20, [['NZ-2301-BK-M', 9]]);
    const ids = ['sku-1', 'sku-sock', 'sku-set'];
    for (const days of [7, 30] as const) {
      const page = unitsSold(d, ids, days, NOW);
      const whole = unitsSold(d, many(ids), days, NOW);
      for (const id of ids) expect(whole.get(id)).toBe(page.get(id));
    }
    expect(unitsSold(d, many(ids), 30, NOW).get('sku-1')).toBe(3 + 2 + 6 + 9);
    expect(unitsSold(d, many(ids), 30, NOW).get('no-such-1')).toBe(0);
  });

  it('reads each plan from an index, not by scanning orders or lines', () => {
    const d = (db = station());
    const plan = (sql: string, ...params: unknown[]): string =>
      (d.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
    const one = plan(ONE_SKU_SQL, { from: NOW - DAY, now: NOW, split: NOW - DAY, sku: 'sku-1' });
    // Index reads alone: neither a line's nor an order's row is read.
    expect(one).toContain('USING COVERING INDEX order_items_sku_idx (sku_id=?)');
    expect(one).toContain('USING COVERING INDEX orders_id_sales_idx (id=?)');
    const win = plan(WINDOW_SQL, { from: NOW - DAY, now: NOW, split: NOW - DAY });
    expect(win).toContain('USING INDEX orders_paid_idx (paid_at>? AND paid_at<?)');
    expect(win).toContain('USING INDEX order_items_order_line_uq (order_id=?)');
  });
});

describe('the plan', () => {
  it("reads a SKU's own lines until they outnumber the window's orders, then the window; both agree", () => {
    const d = (db = station());
    sell(d, 1, [['NZ-2301-BK-M', 2]]);
    sell(d, 3, [['SOCK', 1]]);
    const set = (ids: string[]) => new Set(ids);
    expect(velocityPlan(d, set(['sku-1']), NOW - 30 * DAY, NOW)).toBe('per-sku');
    // Years of history: the T恤 has thousands of old lines (one old order holding them is enough here).
    sell(d, 400, [['NZ-2301-BK-M', 1]]);
    const old = (d.$client.prepare("SELECT order_id AS id FROM order_items WHERE quantity = 1 AND sku_id = 'sku-1'").get() as { id: string }).id;
    const add = d.$client.prepare("INSERT INTO order_items (order_id, line_no, platform_item_id, sku_id, title, quantity, unit_price_fen, paid_fen) VALUES (?, ?, 'x', 'sku-1', 'T恤', 1, 0, 0)");
    d.$client.transaction(() => {
      for (let i = 0; i < FEW_LINES; i += 1) add.run(old, 100 + i);
    })();
    expect(velocityPlan(d, set(['sku-1']), NOW - 30 * DAY, NOW)).toBe('window');
    expect(velocityPlan(d, set(['sku-sock']), NOW - 30 * DAY, NOW)).toBe('per-sku');
    expect(unitsSold(d, ['sku-1', 'sku-sock'], 30, NOW)).toEqual(new Map([['sku-1', 2], ['sku-sock', 1]]));
  });

  it('reads 7 and 30 days in one pass with the same figures as each alone', () => {
    const d = (db = station());
    sell(d, 1, [['NZ-2301-BK-M', 3], ['SET', 1]]);
    sell(d, 12, [['NZ-2301-BK-M', 9], ['SOCK', 2]]);
    const ids = ['sku-1', 'sku-sock', 'sku-set'];
    const both = salesPerDayBoth(d, ids, NOW);
    expect(both.perDay7).toEqual(salesPerDay(d, ids, 7, NOW));
    expect(both.perDay30).toEqual(salesPerDay(d, ids, 30, NOW));
    expect(both.perDay7.get('sku-1')).toBeCloseTo(5 / 7);
    expect(both.perDay30.get('sku-1')).toBeCloseTo(14 / 30);
  });
});

describe('daysOfCover', () => {
  it('is available ÷ units per day; null when nothing sells; 0 when nothing is available', () => {
    expect(daysOfCover(30, 2)).toBe(15);
    expect(daysOfCover(5, 0)).toBeNull();
    expect(daysOfCover(0, 3)).toBe(0);
    expect(daysOfCover(-4, 3)).toBe(0);
  });
});
