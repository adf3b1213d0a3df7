// The order-store benchmark: ingest N orders through ingestOrders, compare with raw prepared
// INSERTs of the same rows, then time the workbench's reads (list page, tab counts, search).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, OrderFilter } from '../../electron/shared/contract.ts';
import type { PlatformOrder } from '../../electron/shared/model.ts';
import { openDatabase, type Db } from '../../electron/core/db/open.ts';
import { ingestOrders } from '../../electron/core/orders/ingest.ts';
import { countOrders, listOrders } from '../../electron/core/orders/query.ts';
import { holdOrders } from '../../electron/core/orders/commands.ts';
import { shopsOverview } from '../../electron/core/shops/overview.ts';
import { EventBus } from '../../electron/core/api/events.ts';
import { createStationClock } from '../../electron/core/station/clock.ts';
import { actorNamed } from '../../electron/core/session.ts';
import { benchOrder, benchOrderNo, benchShops, seedBenchCatalog, type BenchShop } from './orders-data.ts';

export interface DbBenchOptions {
  orders: number;
  dir: string;
  shops?: number;
  log?: (line: string) => void;
}

/** Orders per ingest transaction: the sync engine gathers pages into chunks of 500–2000. */
const BATCH = 2000;
const END_MS = Date.UTC(2025, 5, 30, 16, 0, 0);

const shopOf = (shops: BenchShop[], i: number): BenchShop => shops[Math.floor(i / BATCH) % shops.length]!;

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

function fileBytes(file: string): number {
  return [file, `${file}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const v = fn();
  return [v, performance.now() - t];
}

function ingestAll(db: Db, shops: BenchShop[], n: number, log: (l: string) => void): number {
  let ms = 0;
  for (let start = 0; start < n; start += BATCH) {
    const shop = shopOf(shops, start);
    const orders: { order: PlatformOrder; raw: unknown }[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const order = benchOrder(i, shop, END_MS);
      orders.push({ order, raw: order });
    }
    const [, t] = timed(() => ingestOrders(db, { shopId: shop.id, platform: shop.platform, orders, cursorMs: orders.at(-1)!.order.platformUpdatedAt }, END_MS));
    ms += t;
    if ((start / BATCH) % 50 === 0) log(`ingest ${start + orders.length}/${n} (${round(((start + orders.length) / ms) * 1000, 0)} orders/s)`);
  }
  return ms;
}

/** The reference: the same orders and items through plain prepared INSERTs in one transaction. */
function rawInsertAll(db: Db, shops: BenchShop[], n: number, log: (l: string) => void): number {
  const c = db.$client;
  const insertOrder = c.prepare(
    `INSERT INTO orders (id, shop_id, platform, platform_order_id, status, platform_status, after_sale, stage, order_type,
       presale_deposit_fen, presale_balance_fen, buyer_nick, buyer_message, seller_memo, seller_flag, receiver_name, receiver_phone,
       receiver_province, receiver_city, receiver_district, receiver_town, receiver_address, receiver_cipher, goods_fen, shipping_fen,
       discount_fen, paid_fen, item_count, created_at, paid_at, platform_updated_at, local_updated_at, content_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending_review', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
  );
  const insertItem = c.prepare(
    `INSERT INTO order_items (order_id, line_no, platform_item_id, platform_sku_id, outer_sku_code, title, sku_name, quantity,
       unit_price_fen, paid_fen, is_gift, is_bundle, image_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Timed: the whole transaction including COMMIT, minus the time spent generating orders.
  let genMs = 0;
  const t0 = performance.now();
  c.transaction(() => {
    for (let start = 0; start < n; start += BATCH) {
      const shop = shopOf(shops, start);
      const orders: PlatformOrder[] = [];
      const g = performance.now();
      for (let i = start; i < Math.min(n, start + BATCH); i++) orders.push(benchOrder(i, shop, END_MS));
      genMs += performance.now() - g;
      for (const o of orders) {
        const id = uuidv7();
        const r = o.receiver;
        insertOrder.run(
          id, shop.id, shop.platform, o.platformOrderId, o.status, o.platformStatus, o.afterSale, o.orderType, o.presaleDepositFen,
          o.presaleBalanceFen, o.buyerNick, o.buyerMessage, o.sellerMemo, o.sellerFlag, r.name, r.phone, r.province, r.city,
          r.district, r.town, r.address, r.cipher, o.goodsFen, o.shippingFen, o.discountFen, o.paidFen,
          o.items.reduce((q, it) => q + it.quantity, 0), o.createdAt, o.paidAt, o.platformUpdatedAt, END_MS,
        );
        o.items.forEach((it, k) =>
          insertItem.run(id, k + 1, it.platformItemId, it.platformSkuId, it.outerSkuCode, it.title, it.skuName, it.quantity,
            it.unitPriceFen, it.paidFen, it.isGift ? 1 : 0, it.isBundle ? 1 : 0, it.imageUrl),
        );
      }
      if ((start / BATCH) % 100 === 0) log(`raw ${start + orders.length}/${n}`);
    }
  })();
  return performance.now() - t0 - genMs;
}

function sample(label: string, runs: (() => void)[], log: (l: string) => void): number[] {
  for (const run of runs.slice(0, 3)) run(); // warm the page cache and statement cache
  const out = runs.map((run) => timed(run)[1]);
  log(`${label}: p50 ${round(percentile(out, 50))} ms, p95 ${round(percentile(out, 95))} ms, max ${round(Math.max(...out))} ms`);
  return out;
}

const listInput = (filter: OrderFilter): ApiParsedInput<'orders.list'> => ({
  filter,
  sort: { field: 'paidAt', dir: 'desc' },
  offset: 0,
  limit: 100,
  withTotal: true,
});

export { benchShops };

export function runDbBench(opts: DbBenchOptions): Record<string, number> {
  const log = opts.log ?? (() => {});
  const n = opts.orders;
  const shops = benchShops(opts.shops ?? 60);

  // Raw reference first, into its own file, then thrown away so both runs see the same free disk cache.
  const rawFile = path.join(opts.dir, 'raw.db');
  const rawDb = openDatabase(rawFile);
  seedBenchCatalog(rawDb, shops, END_MS);
  const rawMs = rawInsertAll(rawDb, shops, n, log);
  rawDb.$client.close();
  fs.rmSync(rawFile, { force: true });
  fs.rmSync(`${rawFile}-wal`, { force: true });
  fs.rmSync(`${rawFile}-shm`, { force: true });

  const file = path.join(opts.dir, 'ingest.db');
  const db = openDatabase(file);
  seedBenchCatalog(db, shops, END_MS);
  const ingestMs = ingestAll(db, shops, n, log);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  log(`ingest done: ${round(ingestMs / 1000, 1)} s; raw ${round(rawMs / 1000, 1)} s`);
  const reads = runReadBench(db, shops, n, log);
  const writes = runBatchCommandBench(db, log);
  db.$client.close();
  return {
    orders: n,
    ingest_orders_per_s: round((n / ingestMs) * 1000, 0),
    raw_insert_orders_per_s: round((n / rawMs) * 1000, 0),
    ingest_vs_raw_ratio: round(rawMs / ingestMs, 3),
    ...reads,
    ...writes,
    db_bytes: fileBytes(file),
  };
}

/**
 * A batch command over many orders in one transaction, and the Shops page's overview query. These
 * used to be wall-clock bounds inside unit tests, where a loaded machine made them flaky; here they
 * are numbers to compare between runs.
 */
function runBatchCommandBench(db: Db, log: (l: string) => void): Record<string, number> {
  const ids = db.$client.prepare('SELECT id FROM orders WHERE hold_reason IS NULL ORDER BY seq LIMIT 10000').pluck().all() as string[];
  let clockMs = END_MS;
  const now = () => (clockMs += 1);
  const ctx = { db, actor: actorNamed(db, 'bench', 'owner'), events: new EventBus(), clock: createStationClock(db, now), now };
  const [, holdMs] = timed(() => holdOrders(ctx, { ids, reason: 'bench' }));
  log(`orders.hold × ${ids.length}: ${round(holdMs)} ms`);
  const overview = sample('shops overview', Array.from({ length: 10 }, () => () => shopsOverview(db, () => false, END_MS)), log);
  return { batch_hold_10k_ms: round(holdMs), shops_overview_p95_ms: round(percentile(overview, 95)) };
}

/** The workbench reads over an ingested bench database (also usable on a kept one: --db). */
export function runReadBench(db: Db, shops: BenchShop[], n: number, log: (l: string) => void): Record<string, number> {
  const rng = (k: number) => (Math.imul(k + 1, 2654435761) >>> 0) / 4294967296;
  const pages = Array.from({ length: 60 }, (_, k) => {
    const shop = shops[Math.floor(rng(k) * shops.length)]!;
    const queue = (['pending_review', 'shipped', 'completed', 'all'] as const)[k % 4];
    const to = END_MS - Math.floor(rng(k + 100) * 60) * 86_400_000;
    const filter: OrderFilter = { queue, shopIds: [shop.id], paidFrom: to - 30 * 86_400_000, paidTo: to };
    return () => listOrders(db, listInput(filter));
  });
  const list = sample('list page (queue+shop+paid range, by paid desc)', pages, log);

  const countsAll = sample('tab counts (no filter)', Array.from({ length: 10 }, () => () => countOrders(db, {})), log);
  const countsShop = sample(
    'tab counts (shop filter)',
    Array.from({ length: 10 }, (_, k) => () => countOrders(db, { shopIds: [shops[k % shops.length]!.id] })),
    log,
  );

  // Real names and places from the data: receiver names (often 2 chars), cities and districts.
  const people = db.$client
    .prepare('SELECT receiver_name, receiver_city, receiver_district FROM orders WHERE seq % 997 = 1 LIMIT 40')
    .all() as { receiver_name: string; receiver_city: string; receiver_district: string }[];
  const cnQueries = people.flatMap((p, k) => [
    p.receiver_name,
    [...p.receiver_name].slice(0, 2).join(''),
    k % 2 === 0 ? p.receiver_district : p.receiver_city.slice(0, 2),
  ]);
  const cn = sample('search (Chinese)', cnQueries.map((q) => () => listOrders(db, listInput({ q }))), log);
  const noQueries = Array.from({ length: 40 }, (_, k) => {
    const no = benchOrderNo(Math.floor(rng(k + 500) * n));
    return k % 2 === 0 ? no : no.slice(7, 7 + 6 + (k % 4));
  });
  const orderNo = sample('search (order number / fragment)', noQueries.map((q) => () => listOrders(db, listInput({ q }))), log);

  return {
    list_page_p50_ms: round(percentile(list, 50)),
    list_page_p95_ms: round(percentile(list, 95)),
    tab_counts_ms: round(Math.max(percentile(countsAll, 95), percentile(countsShop, 95))),
    tab_counts_no_filter_ms: round(percentile(countsAll, 50)),
    tab_counts_shop_ms: round(percentile(countsShop, 50)),
    search_cn_p50_ms: round(percentile(cn, 50)),
    search_cn_p95_ms: round(percentile(cn, 95)),
    search_order_no_p50_ms: round(percentile(orderNo, 50)),
    search_order_no_p95_ms: round(percentile(orderNo, 95)),
    search_p95_ms: round(percentile([...cn, ...orderNo], 95)),
  };
}
