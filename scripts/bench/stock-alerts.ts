// `npm run bench -- stock-alerts --json [--skus N] [--orders N] [--movements N]`: sales velocity,
// alert evaluation and restock suggestions at a shop group's size — by default 100,000 SKUs × 3
// warehouses (2% of them bundles), 300,000 movements and 300,000 orders over 90 days with one to
// three lines each, written in paid-time order as ingest writes them, sales skewed to a few
// popular SKUs. Measured through the functions the API's handlers and the background upkeep call.
// Seeding writes rows directly in big transactions: it sets the scene, it is not what is measured.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeTx } from '../../electron/core/db/access.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { alertCounts, listAlerts } from '../../electron/core/stock/alert-views.ts';
import { evaluateAlerts, evaluateAllAlerts, evaluateMarkedAlerts } from '../../electron/core/stock/alerts.ts';
import { markAlertsDirty } from '../../electron/core/stock/dirty.ts';
import { restockRows } from '../../electron/core/stock/restock.ts';
import { salesPerDay } from '../../electron/core/stock/velocity.ts';
import { rng, stats, time } from './sampling.ts';


const DAY = 86_400_000;

export async function runStockAlertsBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      skus: { type: 'string', default: '100000' },
      orders: { type: 'string', default: '300000' },
      movements: { type: 'string', default: '300000' },
    },
  });
  const skuCount = Number(values.skus);
  const orderCount = Number(values.orders);
  const moveCount = Number(values.movements);
  for (const [name, n] of [['skus', skuCount], ['orders', orderCount], ['movements', moveCount]] as const) {
    if (!Number.isInteger(n) || n < 100) throw new Error(`--${name} must be a whole number ≥ 100`);
  }
  const log = (line: string) => process.stderr.write(`[bench stock-alerts] ${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-bench-alerts-'));
  const db = openDatabase(path.join(dir, 'alerts.db'));
  const c = db.$client;
  const NOW = Date.UTC(2026, 11, 1);
  try {
    const seedStart = performance.now();
    const random = rng(7);
    const skuIds: string[] = [];
    c.transaction(() => {
      c.prepare("INSERT INTO shops (id, name, platform, created_at) VALUES ('s1', '店', 'taobao', 0)").run();
      const product = c.prepare('INSERT INTO products (id, title, created_at) VALUES (?, ?, 0)');
      const sku = c.prepare(
        'INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, safety_stock, low_stock_threshold, lead_time_days) VALUES (?, ?, ?, ?, 0, ?, 10, 7)',
      );
      let productId = '';
      for (let i = 0; i < skuCount; i++) {
        if (i % 4 === 0) product.run((productId = randomUUID()), `商品 ${i / 4}`);
        const id = randomUUID();
        sku.run(id, productId, `SKU-${String(i).padStart(6, '0')}`, `规格 ${i % 4}`, i % 5);
        skuIds.push(id);
      }
      const wh = c.prepare("INSERT INTO warehouses (id, code, name, regions, priority, created_at) VALUES (?, ?, ?, '[]', 0, 0)");
      for (let w = 0; w < 3; w++) wh.run(`wh${w}`, `WH${w}`, `仓库 ${w}`);
      const bundle = c.prepare('INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES (?, ?, ?, 0)');
      for (let i = 0; i < skuCount; i += 50) {
        bundle.run(skuIds[i]!, skuIds[(i + 1) % skuCount]!, 2);
        bundle.run(skuIds[i]!, skuIds[(i + 2) % skuCount]!, 1);
      }
    })();
    // Receipts mostly, some shipments: a few warehouses end below zero, as merged stations can.
    const move = c.prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, ?, ?, ?, ?, 'bench', ?, 'op')");
    for (let done = 0; done < moveCount; done += 50_000) {
      c.transaction(() => {
        for (let i = done; i < Math.min(moveCount, done + 50_000); i++) {
          const ship = random() < 0.2;
          move.run(randomUUID(), skuIds[Math.floor(random() * skuCount)]!, `wh${Math.floor(random() * 3)}`, ship ? -1 - Math.floor(random() * 3) : 1 + Math.floor(random() * 40), ship ? 'ship' : 'receive', i);
        }
      })();
    }
    const order = c.prepare(
      `INSERT INTO orders (id, shop_id, platform, platform_order_id, status, platform_status, buyer_nick, receiver_name, receiver_phone,
         receiver_province, receiver_city, receiver_district, receiver_address, goods_fen, shipping_fen, discount_fen, paid_fen, item_count,
         created_at, paid_at, platform_updated_at, local_updated_at, content_hash)
       VALUES (?, 's1', 'taobao', ?, ?, 'X', 'b', 'n', 'p', '浙江省', '杭州市', '西湖区', 'a', 0, 0, 0, 0, 1, ?, ?, ?, ?, 'h')`,
    );
    const line = c.prepare('INSERT INTO order_items (order_id, line_no, platform_item_id, sku_id, title, quantity, unit_price_fen, paid_fen) VALUES (?, ?, ?, ?, ?, ?, 0, 0)');
    for (let done = 0; done < orderCount; done += 20_000) {
      c.transaction(() => {
        for (let i = done; i < Math.min(orderCount, done + 20_000); i++) {
          const id = randomUUID();
          const paid = NOW - 90 * DAY + Math.floor(((i + random()) / orderCount) * 90 * DAY);
          const status = random() < 0.05 ? 'closed' : random() < 0.3 ? 'awaiting_shipment' : 'completed';
          order.run(id, `P${i}`, status, paid - 1000, paid, paid, paid);
          const lines = 1 + Math.floor(random() * 3);
          // Cubed: a few SKUs sell most, as a shop group's best sellers do.
          for (let l = 1; l <= lines; l++) line.run(id, l, `I${i}`, skuIds[Math.floor(random() ** 3 * skuCount)]!, '商品', 1 + Math.floor(random() * 2));
        }
      })();
    }
    c.exec('ANALYZE');
    const seedMs = Math.round(performance.now() - seedStart);
    log(`seeded in ${seedMs} ms`);

    const pick = rng(3);
    const page = () => Array.from({ length: 100 }, () => skuIds[Math.floor(pick() * skuCount)]!);
    const bestSellers = () => Array.from({ length: 100 }, () => skuIds[Math.floor(pick() ** 3 * skuCount)]!);
    for (let i = 0; i < 20; i++) salesPerDay(db, page(), 30, NOW);
    const velocityPage = time(50, () => salesPerDay(db, page(), 30, NOW));
    const velocityBest = time(20, () => salesPerDay(db, bestSellers(), 30, NOW));
    const velocityAll = time(3, () => salesPerDay(db, skuIds, 30, NOW));
    const evaluatePage = time(30, (i) => writeTx(db, (tx) => evaluateAlerts(tx, page(), NOW + i)));
    let first: ReturnType<typeof evaluateAllAlerts> | null = null;
    const evaluateFirst = time(1, () => (first = evaluateAllAlerts(db, NOW + 100)));
    const evaluateAgain = time(2, (i) => evaluateAllAlerts(db, NOW + 200 + i));
    // The 5-minute round between hourly sweeps: the SKUs marked since the last one (marking included).
    const markedRound = (n: number) => (i: number) => {
      const ids = Array.from({ length: n }, () => skuIds[Math.floor(pick() * skuCount)]!);
      writeTx(db, (tx) => markAlertsDirty(tx, ids, NOW + 300 + i));
      return evaluateMarkedAlerts(db, NOW + 400 + i);
    };
    const evaluateMarked100 = time(5, markedRound(100));
    const evaluateMarked1000 = time(3, markedRound(1000));
    const evaluateMarkedNone = time(5, (i) => evaluateMarkedAlerts(db, NOW + 500 + i));
    const restock = time(3, () => restockRows(db, 30, NOW));
    const list = time(50, () => listAlerts(db, { includeCleared: false, limit: 200, offset: 0 }));
    const counts = time(50, () => alertCounts(db));
    const result = {
      skus: skuCount,
      orders: orderCount,
      movements: moveCount,
      seed_ms: seedMs,
      velocity_page_100_ms: stats(velocityPage, 2),
      velocity_best_sellers_100_ms: stats(velocityBest, 2),
      velocity_all_skus_ms: stats(velocityAll, 2),
      evaluate_page_100_ms: stats(evaluatePage, 2),
      evaluate_all_first_ms: stats(evaluateFirst, 2),
      evaluate_all_again_ms: stats(evaluateAgain, 2),
      evaluate_marked_100_ms: stats(evaluateMarked100, 2),
      evaluate_marked_1000_ms: stats(evaluateMarked1000, 2),
      evaluate_marked_none_ms: stats(evaluateMarkedNone, 2),
      evaluated: first!.evaluated,
      raised: first!.raised.length,
      restock_all_ms: stats(restock, 2),
      restock_rows: restockRows(db, 30, NOW).length,
      alert_list_first_page_ms: stats(list, 2),
      alert_counts_ms: stats(counts, 2),
      open_alerts: alertCounts(db),
      load_average: os.loadavg().map((n) => Math.round(n * 10) / 10),
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
