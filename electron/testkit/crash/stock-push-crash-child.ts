// The process the stock-push kill -9 test (electron/core/stock/push-crash.e2e.test.ts) murders: opens
// a station file and sends its due stock pushes through the real adapters. After the platform has
// answered a write — before the rows are settled — it says so on stderr and waits, so the test can
// SIGKILL it at exactly the moment between send and confirm. Run: node --import tsx
// electron/testkit/crash/stock-push-crash-child.ts --db FILE
import { parseArgs } from 'node:util';
import { EventBus } from '../../core/api/events.ts';
import { openDatabase } from '../../core/db/open.ts';
import { StockSender } from '../../core/stock/push-sender.ts';
import { SENT_MARKER } from './stock-push-protocol.ts';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' } } });
  if (!values.db) {
    process.stderr.write('stock-push-child needs --db FILE\n');
    return 2;
  }
  const db = openDatabase(values.db, { migrate: false });
  const sender = new StockSender({
    db,
    events: new EventBus(),
    now: Date.now,
    afterSend: (ids) =>
      new Promise<void>(() => {
        process.stderr.write(`${SENT_MARKER} ${ids.join(',')}\n`);
        // Held here until the kill; the timer keeps the process alive meanwhile.
        setInterval(() => undefined, 1_000);
      }),
  });
  const r = await sender.flush();
  process.stdout.write(`${JSON.stringify(r)}\n`);
  db.$client.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stock-push-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
