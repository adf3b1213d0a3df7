// `shopfleet demo`: a reproducible demo database of a chosen size (for trying the app and for benches).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDemoStation } from '../../../sandbox/demo/build-station.ts';
import { openOrCreateStation, withCore } from '../open-station.ts';
import { UsageError } from '../usage.ts';

function wholeNumber(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min}`);
  return n;
}

export async function demo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { db: { type: 'string' }, orders: { type: 'string' }, shops: { type: 'string' }, seed: { type: 'string' } },
  });
  if (!values.db) throw new UsageError('demo needs --db FILE');
  const orders = wholeNumber('orders', values.orders, 1);
  if (orders === undefined) throw new UsageError('demo needs --orders N');
  const shops = wholeNumber('shops', values.shops, 1);
  const seed = wholeNumber('seed', values.seed, 0);
  const dbFile = path.resolve(values.db);
  const started = Date.now();
  let lastReport = 0;
  // The station is set up as any station is (migrated, its owner and clock), then the sandbox writes
  // its shops and history into it in chunked transactions; no scheduler runs meanwhile.
  await withCore(openOrCreateStation(dbFile), async () => undefined);
  await buildDemoStation(dbFile, {
    orders,
    ...(shops !== undefined ? { shops } : {}),
    ...(seed !== undefined ? { seed } : {}),
    now: started,
    onProgress: (done: number, total: number) => {
      const t = Date.now();
      if (t - lastReport < 500 && done < total) return;
      lastReport = t;
      process.stderr.write(`demo: ${done}/${total} orders\n`);
    },
  });
  process.stderr.write(`demo: ${orders} orders in ${dbFile} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return 0;
}
