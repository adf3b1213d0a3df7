// `npm run bench -- --json [--orders N] [--shops N]`: runs the benchmarks in a temp directory and
// prints ONE JSON object on stdout; progress goes to stderr. Default size is the 1,000,000 orders.
// `npm run bench -- sync --json [...]` runs the platform sync benchmark instead (scripts/bench/sync.ts).
// `npm run bench -- labels --json` runs the label benchmark (scripts/bench/labels.ts).
// `npm run bench -- stock --json` runs the stock ledger benchmark (scripts/bench/stock.ts).
// `npm run bench -- hub --json [--duration S]` runs the team hub load benchmark (scripts/bench/hub.ts).
// `npm run bench -- hub-capture --json [--orders N]`: what the hub's effect triggers cost ingest (scripts/bench/hub-capture.ts).
// `npm run bench -- stock-alerts --json` runs sales velocity, alerts and restock (scripts/bench/stock-alerts.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../electron/core/db/open.ts';
import { benchShops, runDbBench, runReadBench } from './db.ts';
import { measureFirstPaint } from './first-paint.ts';

if (process.argv[2] === 'labels') {
  const { runLabelsBench } = await import('./labels.ts');
  process.exit(await runLabelsBench(process.argv.slice(3)));
}

if (process.argv[2] === 'hub-capture') {
  const { runHubCaptureBench } = await import('./hub-capture.ts');
  process.exit(await runHubCaptureBench(process.argv.slice(3)));
}

if (process.argv[2] === 'stock') {
  const { runStockBench } = await import('./stock.ts');
  process.exit(await runStockBench(process.argv.slice(3)));
}

if (process.argv[2] === 'stock-alerts') {
  const { runStockAlertsBench } = await import('./stock-alerts.ts');
  process.exit(await runStockAlertsBench(process.argv.slice(3)));
}

if (process.argv[2] === 'hub') {
  const { runHubBench } = await import('./hub.ts');
  process.exit(await runHubBench(process.argv.slice(3)));
}

if (process.argv[2] === 'sync') {
  const { runSyncBench } = await import('./sync.ts');
  process.exit(await runSyncBench(process.argv.slice(3)));
}

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    orders: { type: 'string', default: '1000000' },
    shops: { type: 'string', default: '60' },
    keep: { type: 'boolean', default: false },
    /** Re-run only the reads against a database kept from an earlier run (--keep). */
    db: { type: 'string' },
  },
});

/** A failed first-paint run is reported, and never costs the numbers measured before it. */
async function firstPaint(dbFile: string, log: (line: string) => void): Promise<object> {
  try {
    return (await measureFirstPaint(dbFile, log)) ?? {};
  } catch (err) {
    log(`first paint failed: ${(err as Error).message}`);
    return { first_page_painted_ms: null };
  }
}

const orders = Number(values.orders);
const shops = Number(values.shops);
if (!Number.isInteger(orders) || orders < 1000) throw new Error('--orders must be an integer ≥ 1000');

if (values.db) {
  const db = openDatabase(values.db);
  const n = db.$client.prepare('SELECT count(*) FROM orders').pluck().get() as number;
  const result = { orders: n, ...runReadBench(db, benchShops(shops), n, (l) => process.stderr.write(`[bench] ${l}\n`)) };
  db.$client.close();
  Object.assign(result, await firstPaint(values.db, (l) => process.stderr.write(`[bench] ${l}\n`)));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-bench-'));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
// An interrupted run still removes its multi-gigabyte temp database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}
try {
  log(`orders=${orders} shops=${shops} dir=${dir}`);
  const result = runDbBench({ orders, shops, dir, log });
  // The web host from cold start to the first page of orders painted, on the same database.
  Object.assign(result, await firstPaint(path.join(dir, 'ingest.db'), log));
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
} finally {
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}
