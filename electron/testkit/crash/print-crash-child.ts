// The process the print-queue crash test (crash.e2e.test.ts) kills with SIGKILL: opens a station
// database, adds the capture printer if missing, queues a batch of jobs (idempotent by key, so a
// rerun queues nothing twice), starts the queue — turning jobs a dead run left 'sending' into
// 'uncertain' — drains it, prints one JSON line and exits. Each job's bytes carry its id, so the
// capture server can tell which job it received and how often.
// Run: node --import tsx electron/core/printing/crash-child.ts --db FILE --uri tcp://127.0.0.1:PORT --jobs 30
import { parseArgs } from 'node:util';
import { EventBus } from '../../core/api/events.ts';
import { createStationClock } from '../../core/station/clock.ts';
import { openDatabase } from '../../core/db/open.ts';
import { actorNamed } from '../../core/session.ts';
import { listJobs, type PrintJob } from '../../core/printing/jobs.ts';
import { addPrinter, findPrinter } from '../../core/printing/printers.ts';
import { enqueue } from '../../core/printing/queue-commands.ts';
import { PrintQueue } from '../../core/printing/queue-sender.ts';
import { transportForUri } from '../../core/printing/transports/for-printer.ts';

export const CHILD_MARKER = 'print-child:';

/** A job's bytes: a header naming it (and what it reprints), filler the size of a small label, a trailer. */
export function crashJobBytes(job: PrintJob): Buffer {
  return Buffer.concat([Buffer.from(`JOB ${job.id} ${job.reprintOf ?? '-'}\n`), Buffer.alloc(4096, 0x55), Buffer.from(`\nEND ${job.id}\n`)]);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, uri: { type: 'string' }, jobs: { type: 'string' } } });
  if (!values.db || !values.uri) {
    process.stderr.write('crash-child needs --db and --uri\n');
    return 2;
  }
  const count = Number(values.jobs ?? 30);
  const db = openDatabase(values.db);
  const events = new EventBus();
  const ctx = { db, events, actor: actorNamed(db, '打包员', 'packer'), clock: createStationClock(db, Date.now), now: Date.now };
  const owner = { ...ctx, actor: actorNamed(db, '店主', 'owner') };
  const printer = findPrinter(db, 'capture') ?? addPrinter(owner, { name: 'capture', uri: values.uri, lang: 'tspl', settings: { timeoutMs: 5000 } });
  const batch = Array.from({ length: count }, (_, i) => ({
    printerId: printer.id,
    idemKey: `crash-batch:${i + 1}`,
    docType: 'waybill' as const,
    packageId: `pkg-${i + 1}`,
    payload: { n: i + 1 },
    batchId: 'crash-batch',
    seq: i + 1,
    total: count,
  }));
  const created = enqueue(ctx, batch).filter((r) => r.created).length;
  process.stderr.write(`${CHILD_MARKER} enqueued ${created}\n`);
  const queue = new PrintQueue({
    db,
    events,
    now: Date.now,
    render: async (job) => crashJobBytes(job),
    transportFor: (p) => transportForUri(p.uri, p.lang),
    statusTimeoutMs: 2000,
    pollMs: 10,
    onTransition: (job, to) => process.stderr.write(`${CHILD_MARKER} ${to} ${job.id}\n`),
  });
  const { uncertain } = queue.start();
  await queue.drain();
  await queue.stop();
  const states: Record<string, number> = {};
  for (const j of listJobs(db, { limit: 10_000 })) states[j.state] = (states[j.state] ?? 0) + 1;
  process.stdout.write(`${JSON.stringify({ created, uncertainAtStart: uncertain, states })}\n`);
  db.$client.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
