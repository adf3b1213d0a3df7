// Ingest with reservations vs without: the same 100,000 bench orders (scripts/bench/orders-data.ts)
// through ingestOrders into two fresh databases with the same shops and SKU catalogue. "with": three
// warehouses hold about 70% of what the orders ask for, so recent paid orders reserve and the rest
// go short (old orders arrive shipped or completed and hold nothing). "without": no warehouse — the
// settle call still runs in every batch, reads each changed order and finds nothing to hold, which is
// what a team that does not keep stock pays. Batches alternate between the two databases so both
// see the same load on a shared machine, and the slowdown is also taken per pair of batches (the same
// orders, measured back to back) with the median reported: another process's burst lands in a few
// pairs, not in the figure. --ingest-repeats runs the whole comparison again and reports medians.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { openDatabase, type Db } from '../../electron/core/db/open.ts';
import { ingestOrders } from '../../electron/core/orders/ingest.ts';
import type { PlatformOrder } from '../../electron/shared/model.ts';
import { benchOrder, benchShops, seedBenchCatalog } from './orders-data.ts';

const BATCH = 2000;
const END_MS = Date.UTC(2025, 5, 30, 16, 0, 0);

export interface IngestReservationResult {
  ingest_orders: number;
  ingest_without_stock_orders_per_s: number;
  ingest_with_reservations_orders_per_s: number;
  /** with ÷ without − 1 in wall time: the share ingest is slower with reservations (target ≤ 0.10). */
  ingest_reservation_slowdown: number;
  /** The same from the process's CPU time, which other processes on a shared machine disturb less. */
  ingest_reservation_slowdown_cpu: number;
  /** The median over pairs of batches of with ÷ without − 1 in CPU time: the steadiest of the three. */
  ingest_reservation_slowdown_cpu_median: number;
  ingest_reservation_slowdown_target: number;
  ingest_reserved_orders: number;
  ingest_short_orders: number;
}

function stock(db: Db, orders: number): void {
  const c = db.$client;
  const skus = c.prepare('SELECT id FROM skus ORDER BY id').pluck().all() as string[];
  const whIds = ['杭州', '广州', '北京'].map((name, i) => {
    const id = uuidv7();
    const regions = [['浙江', '江苏', '上海'], ['广东', '广西', '福建'], ['北京', '天津', '河北']][i]!;
    c.prepare('INSERT INTO warehouses (id, code, name, regions, priority, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, `WH${i + 1}`, `${name}仓`, JSON.stringify(regions), 3 - i, END_MS);
    return id;
  });
  // About 1.5 units per order, a third of orders still awaiting shipment: ~70% of that demand in stock.
  const perSkuPerWarehouse = Math.max(1, Math.round((orders * 1.5 * 0.35 * 0.7) / skus.length / whIds.length));
  const move = c.prepare(
    "INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, ?, ?, ?, 'receive', 'bench', ?, ?)",
  );
  c.transaction(() => {
    for (const s of skus) for (const w of whIds) move.run(uuidv7(), s, w, perSkuPerWarehouse, END_MS - 86_400_000, uuidv7());
  })();
}

/**
 * allPaid: every order arrives paid and awaiting shipment (the worst case: each one reserves or goes
 * short) instead of the bench data's mix, where most orders are months old and already shipped.
 */
export function benchIngestReservations(n: number, dir: string, log: (line: string) => void, allPaid = false): IngestReservationResult {
  const shops = benchShops(12);
  const open = (name: string): Db => {
    const file = path.join(dir, name);
    fs.rmSync(file, { force: true });
    const db = openDatabase(file);
    seedBenchCatalog(db, shops, END_MS - 86_400_000 * 400);
    return db;
  };
  const without = open('ingest-without-stock.db');
  const withStock = open('ingest-with-stock.db');
  stock(withStock, allPaid ? n / 0.35 : n);
  const ms = { without: 0, with: 0 };
  const cpu = { without: 0, with: 0 };
  const pairs: number[] = [];
  try {
    for (let start = 0, k = 0; start < n; start += BATCH, k++) {
      const shop = shops[k % shops.length]!;
      const orders: { order: PlatformOrder; raw: unknown }[] = [];
      for (let i = start; i < Math.min(n, start + BATCH); i++) {
        const generated = benchOrder(i, shop, END_MS);
        const order: PlatformOrder = allPaid
          ? { ...generated, status: 'awaiting_shipment', afterSale: 'none', paidAt: generated.paidAt ?? generated.createdAt + 60_000 }
          : generated;
        orders.push({ order, raw: order });
      }
      const batch = { shopId: shop.id, platform: shop.platform, orders, cursorMs: orders.at(-1)!.order.platformUpdatedAt };
      // Alternate which goes first, so neither always runs on a warmer cache.
      const order = k % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
      const pair = { without: 0, with: 0 };
      for (const which of order) {
        const t = performance.now();
        const c0 = process.cpuUsage();
        ingestOrders(which === 'with' ? withStock : without, batch, END_MS);
        const c1 = process.cpuUsage(c0);
        ms[which] += performance.now() - t;
        pair[which] = (c1.user + c1.system) / 1000;
        cpu[which] += pair[which];
      }
      if (pair.without > 0) pairs.push(pair.with / pair.without - 1);
      if (k % 10 === 0) log(`ingest ${start + orders.length}/${n}: without ${Math.round(ms.without)} ms, with reservations ${Math.round(ms.with)} ms`);
    }
    const count = (state: string) => withStock.$client.prepare('SELECT count(*) FROM orders WHERE stock_state = ?').pluck().get(state) as number;
    const rate = (t: number) => Math.round((n / t) * 1000);
    return {
      ingest_orders: n,
      ingest_without_stock_orders_per_s: rate(ms.without),
      ingest_with_reservations_orders_per_s: rate(ms.with),
      ingest_reservation_slowdown: Math.round((ms.with / ms.without - 1) * 1000) / 1000,
      ingest_reservation_slowdown_cpu: Math.round((cpu.with / cpu.without - 1) * 1000) / 1000,
      ingest_reservation_slowdown_cpu_median: Math.round(median(pairs) * 1000) / 1000,
      ingest_reservation_slowdown_target: 0.1,
      ingest_reserved_orders: count('reserved'),
      ingest_short_orders: count('short'),
    };
  } finally {
    without.$client.close();
    withStock.$client.close();
  }
}

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Each figure's median over `repeats` runs of the comparison (fresh databases each time). */
function repeated(repeats: number, run: () => IngestReservationResult): Record<string, number> {
  const runs = Array.from({ length: Math.max(1, repeats) }, run);
  return Object.fromEntries(Object.keys(runs[0]!).map((k) => [k, median(runs.map((r) => r[k as keyof IngestReservationResult]))]));
}

/**
 * Both runs the stock bench reports: the bench data's mix of orders, and the worst case where every
 * order arrives paid (keys prefixed ingest_all_paid_); each the median of `repeats` runs.
 */
export function benchIngestBoth(n: number, dir: string, log: (line: string) => void, repeats = 1): Record<string, number> {
  const mix = repeated(repeats, () => benchIngestReservations(n, dir, log));
  const paid = repeated(repeats, () => benchIngestReservations(n, dir, log, true));
  return { ...mix, ingest_repeats: repeats, ...Object.fromEntries(Object.entries(paid).map(([k, v]) => [k.replace(/^ingest_/, 'ingest_all_paid_'), v])) };
}
