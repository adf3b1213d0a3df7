// `npm run bench -- hub-capture --json [--orders N]`: what the hub's effect triggers cost ingest.
// The same orders go through ingestOrders into three fresh databases — effect triggers dropped (the
// station as it was before them), triggers present but capture off (a station without a hub), and
// capture on (joined) — batch by batch in a random order, so the machine's load drifts over all
// three alike. Prints orders/s of each and the two ratios to the first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { PlatformOrder } from '../../electron/shared/model.ts';
import { openDatabase } from '../../electron/core/db/open.ts';
import { ingestOrders } from '../../electron/core/orders/ingest.ts';
import { CAPTURE_KEY } from '../../electron/core/hub/triggers.ts';
import { benchOrder, benchShops, seedBenchCatalog } from './orders-data.ts';

const END_MS = Date.UTC(2025, 5, 30, 16, 0, 0);
const BATCH = 2000;

export async function runHubCaptureBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false }, orders: { type: 'string', default: '40000' } } });
  const n = Number(values.orders);
  if (!Number.isInteger(n) || n < BATCH) throw new Error(`--orders must be an integer ≥ ${BATCH}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-hub-capture-'));
  try {
    const shops = benchShops(60);
    const dbs = (['none', 'off', 'on'] as const).map((mode) => {
      const db = openDatabase(path.join(dir, `${mode}.db`));
      seedBenchCatalog(db, shops, END_MS);
      if (mode === 'none') {
        for (const r of db.$client.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hub_fx_%'`).all() as { name: string }[]) {
          db.$client.exec(`DROP TRIGGER "${r.name}"`);
        }
      }
      if (mode === 'on') db.$client.prepare(`INSERT INTO meta (key, value) VALUES (?, '1')`).run(CAPTURE_KEY);
      return db;
    });
    const ms = [0, 0, 0];
    for (let start = 0; start < n; start += BATCH) {
      const shop = shops[Math.floor(start / BATCH) % shops.length]!;
      const orders: { order: PlatformOrder; raw: unknown }[] = [];
      for (let i = start; i < Math.min(n, start + BATCH); i++) {
        const order = benchOrder(i, shop, END_MS);
        orders.push({ order, raw: order });
      }
      for (const k of [0, 1, 2].sort(() => Math.random() - 0.5)) {
        const t = performance.now();
        ingestOrders(dbs[k]!, { shopId: shop.id, platform: shop.platform, orders, cursorMs: orders.at(-1)!.order.platformUpdatedAt }, END_MS);
        ms[k]! += performance.now() - t;
      }
      process.stderr.write(`[bench] hub-capture ${Math.min(n, start + BATCH)}/${n}\n`);
    }
    for (const db of dbs) db.$client.close();
    const [none, off, on] = ms.map((m) => Math.round((n / m) * 1000)) as [number, number, number];
    const result = {
      orders: n,
      ingest_no_triggers_orders_per_s: none,
      ingest_without_hub_orders_per_s: off,
      ingest_joined_orders_per_s: on,
      without_hub_vs_no_triggers: Number((off / none - 1).toFixed(3)),
      joined_vs_no_triggers: Number((on / none - 1).toFixed(3)),
    };
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
