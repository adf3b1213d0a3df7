// `npm run bench -- stock --json [--skus N] [--warehouses N] [--movements N]`: the stock ledger at a
// shop group's size — by default 100,000 SKUs × 3 warehouses and 1,000,000 movements — measured
// through the same functions the API's handlers call: one SKU's available stock (every warehouse's
// row, on hand summed from the ledger), the stock list's first page (and the low-stock filter's), the
// 库存 page's first rows under each of its filters and its keyset pages deep in the list, a SKU's
// ledger timeline, and a receive command (rows + audit + ops row in one transaction).
// Seeding writes rows directly in big transactions: it sets the scene, it is not what is measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { EventBus } from '../../electron/core/api/events.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { actorNamed } from '../../electron/core/session.ts';
import { createStationClock } from '../../electron/core/station/clock.ts';
import { ledgerOf, listStock } from '../../electron/core/stock/balances.ts';
import { receiveStock } from '../../electron/core/stock/ledger.ts';
import { benchIngestBoth } from './stock-ingest.ts';
import { benchPushRound } from './stock-push.ts';
import { rng, stats, time } from './sampling.ts';


export async function runStockBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      skus: { type: 'string', default: '100000' },
      warehouses: { type: 'string', default: '3' },
      movements: { type: 'string', default: '1000000' },
      samples: { type: 'string', default: '2000' },
      keep: { type: 'boolean', default: false },
      /** Orders ingested with reservations and without stock (stock-ingest.ts); 0 skips it. */
      'ingest-orders': { type: 'string', default: '100000' },
      /** Runs of the ingest comparison; each figure reported is their median. */
      'ingest-repeats': { type: 'string', default: '1' },
      'push-shops': { type: 'string', default: '100' },
      'push-skus': { type: 'string', default: '10000' },
      /** Runs of the debounced push round from the same state; the median is reported. */
      'push-repeats': { type: 'string', default: '3' },
    },
  });
  const skuCount = Number(values.skus);
  const whCount = Number(values.warehouses);
  const moveCount = Number(values.movements);
  const samples = Number(values.samples);
  for (const [name, n] of [['skus', skuCount], ['warehouses', whCount], ['movements', moveCount], ['samples', samples]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  }
  const log = (line: string) => process.stderr.write(`[bench stock] ${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-bench-stock-'));
  const db = openDatabase(path.join(dir, 'stock.db'));
  const c = db.$client;
  try {
    const seedStart = performance.now();
    const T0 = Date.UTC(2026, 0, 1);
    const codes: string[] = [];
    const skuIds: string[] = [];
    c.transaction(() => {
      const product = c.prepare('INSERT INTO products (id, title, created_at) VALUES (?, ?, ?)');
      const sku = c.prepare(
        'INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, safety_stock, low_stock_threshold, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)',
      );
      let productId = '';
      for (let i = 0; i < skuCount; i++) {
        // Four SKUs (colours/sizes) per product, as a clothing catalogue has.
        if (i % 4 === 0) product.run((productId = uuidv7()), `商品 ${i / 4}`, T0);
        const id = uuidv7();
        const code = `SKU-${String(i).padStart(6, '0')}`;
        sku.run(id, productId, code, `规格 ${i % 4}`, i % 5, 10, T0);
        codes.push(code);
        skuIds.push(id);
      }
      const wh = c.prepare('INSERT INTO warehouses (id, code, name, regions, priority, created_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (let w = 0; w < whCount; w++) wh.run(uuidv7(), `WH${w + 1}`, `仓库 ${w + 1}`, '[]', whCount - w, T0);
    })();
    const whIds = (c.prepare('SELECT id FROM warehouses ORDER BY code').all() as { id: string }[]).map((r) => r.id);
    log(`${skuCount} SKUs, ${whCount} warehouses in ${Math.round(performance.now() - seedStart)} ms`);

    // Movements: mostly receipts, then shipments and counts; a SKU's rows are spread over its warehouses.
    const random = rng(12);
    const insert = c.prepare(
      `INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, reference, note, actor, at, op_id, corrects_id, request_id)
       VALUES (?, ?, ?, ?, ?, NULL, NULL, 'bench', ?, ?, NULL, NULL)`,
    );
    const CHUNK = 50_000;
    for (let done = 0; done < moveCount; done += CHUNK) {
      c.transaction(() => {
        for (let i = done; i < Math.min(moveCount, done + CHUNK); i++) {
          const s = Math.floor(random() * skuCount);
          const w = Math.floor(random() * whCount);
          const r = random();
          const [delta, reason] = r < 0.5 ? [1 + Math.floor(random() * 50), 'receive'] : r < 0.9 ? [-1 - Math.floor(random() * 3), 'ship'] : [Math.floor(random() * 7) - 3 || 1, 'count'];
          insert.run(uuidv7(), skuIds[s], whIds[w], delta, reason, T0 + i * 1000, uuidv7());
        }
      })();
      if ((done / CHUNK) % 4 === 0) log(`${Math.min(moveCount, done + CHUNK)} movements`);
    }
    c.exec('ANALYZE');
    const seedMs = Math.round(performance.now() - seedStart);
    log(`seeded in ${seedMs} ms`);

    const pick = rng(99);
    const codeAt = () => codes[Math.floor(pick() * codes.length)] as string;
    // Warm the page cache the way a running station has it.
    const NOW = T0 + moveCount * 1000;
    const list = (input: Partial<Parameters<typeof listStock>[1]>) => listStock(db, { low: false, out: false, unmapped: false, limit: 100, offset: 0, ...input }, NOW);
    for (let i = 0; i < 200; i++) list({ sku: codeAt(), limit: 10 });

    const oneSku = time(samples, () => list({ sku: codeAt(), limit: 10 }));
    const firstPage = time(50, () => list({}));
    const deepPage = time(20, (i) => list({ offset: 100_000 + i * 1000 }));
    const lowFirst = time(20, () => list({ low: true }));
    // The 库存 page's own reads: its first 200 rows, each filter's first page, and keyset pages deep
    // in the list (after a row a third and two thirds of the way down, as scrolling reaches them).
    const PAGE = 200;
    const pageFirst = time(50, () => list({ limit: PAGE }));
    const pageWarehouse = time(20, () => list({ limit: PAGE, warehouse: 'WH1' }));
    const pageOut = time(20, () => list({ limit: PAGE, out: true }));
    const pageUnmapped = time(20, () => list({ limit: PAGE, unmapped: true }));
    const pageSearch = time(20, (i) => list({ limit: PAGE, q: codes[(i * 4999) % codes.length] as string }));
    const cursorAt = (k: number) => ({ sku: codes[Math.min(codes.length - 1, k)] as string, warehouse: `WH${whCount}` });
    const pageKeyset = time(50, (i) => list({ limit: PAGE, after: cursorAt(Math.floor(codes.length / 3) + i * 997) }));
    const pageKeysetDeep = time(50, (i) => list({ limit: PAGE, after: cursorAt(Math.floor((codes.length * 2) / 3) + i * 997) }));
    const timeline = time(500, () => ledgerOf(db, { sku: codeAt(), limit: 100 }));

    let clockMs = Date.now();
    const now = () => (clockMs += 1);
    const ctx = { db, actor: actorNamed(db, '仓管', 'packer'), events: new EventBus(), clock: createStationClock(db, now), now };
    const receive = time(500, () => receiveStock(ctx, { sku: codeAt(), warehouse: 'WH1', quantity: 5 }));

    // Ingest with reservations vs without stock, in databases of their own (stock-ingest.ts).
    const ingestOrders = Number(values['ingest-orders']);
    const ingest = ingestOrders > 0 ? benchIngestBoth(ingestOrders, dir, log, Number(values['ingest-repeats'])) : {};

    // Pushes: 100 shops × 10,000 mapped SKUs over the same ledger (stock-push.ts).
    const push = benchPushRound(db, skuIds.slice(0, Number(values['push-skus'])), NOW, log, Number(values['push-shops']), Number(values['push-repeats']));

    const check = c.prepare('SELECT count(*) AS n FROM stock_movements').get() as { n: number };
    const result = {
      bench: 'stock',
      skus: skuCount,
      warehouses: whCount,
      movements: check.n,
      seed_ms: seedMs,
      available_one_sku_ms: stats(oneSku, 3),
      available_one_sku_target_p95_ms: 2,
      stock_list_first_page_ms: stats(firstPage, 3),
      stock_list_first_page_target_ms: 50,
      stock_list_page_at_100k_ms: stats(deepPage, 3),
      stock_list_low_first_page_ms: stats(lowFirst, 3),
      stock_page_first_rows_ms: stats(pageFirst, 3),
      stock_page_first_rows_target_ms: 50,
      stock_page_warehouse_first_rows_ms: stats(pageWarehouse, 3),
      stock_page_out_first_rows_ms: stats(pageOut, 3),
      stock_page_unmapped_first_rows_ms: stats(pageUnmapped, 3),
      stock_page_search_code_ms: stats(pageSearch, 3),
      stock_page_keyset_third_ms: stats(pageKeyset, 3),
      stock_page_keyset_two_thirds_ms: stats(pageKeysetDeep, 3),
      ledger_timeline_100_ms: stats(timeline, 3),
      receive_command_ms: stats(receive, 3),
      ...ingest,
      ...push,
      db_mb: Math.round(fs.statSync(path.join(dir, 'stock.db')).size / 1e6),
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return result.available_one_sku_ms.p95 <= 2 && result.stock_list_first_page_ms.p95 <= 50 && result.stock_page_first_rows_ms.p95 <= 50 ? 0 : 1;
  } finally {
    c.close();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}
