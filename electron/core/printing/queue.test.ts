// The print queue against capture servers: idempotent enqueue, one ordered lane per printer,
// status before/after, failures in words that hold the lane, retry, pause/resume, crash recovery
// and links broken mid-send to 'uncertain' (never resent), the operator's answers, and reprints limited by role.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught } from '../../testkit/results.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { refusedPort, startCaptureServer, type CaptureServer } from '../../sandbox/printing/capture-server.ts';
import { failureFromError, PrintFailure } from './failure.ts';
import { getJob, listJobs, waybillLabelKey, type JobState, type PrintJob } from './jobs.ts';
import { addPrinter, setPrinterPaused, type Printer } from './printers.ts';
import { cancelJob, enqueue, queueTestPrint, reprint, resolveUncertain, retryJob } from './queue-commands.ts';
import { PrintQueue, type PrintQueueOptions } from './queue-sender.ts';
import { transportForUri } from './transports/for-printer.ts';

let f: Fixture;
let servers: CaptureServer[];
let queues: PrintQueue[];
beforeEach(() => {
  f = openFixture(0);
  servers = [];
  queues = [];
});
afterEach(async () => {
  for (const q of queues) await q.stop();
  for (const s of servers) await s.close();
  f.close();
});

const bytesOf = (job: PrintJob) => Buffer.from(`JOB ${job.id} ${JSON.stringify(job.payload)}\n`);
const tagsOf = (s: CaptureServer) => s.jobs.map((j) => /^JOB (\S+)/.exec(j.bytes.toString())?.[1]);

async function capture(opts: Parameters<typeof startCaptureServer>[0] = {}) {
  const s = await startCaptureServer(opts);
  servers.push(s);
  return s;
}

function queue(extra: Partial<PrintQueueOptions> = {}): PrintQueue {
  const q = new PrintQueue({
    db: f.db,
    events: f.events,
    now: Date.now,
    render: async (job) => bytesOf(job),
    transportFor: (p) => transportForUri(p.uri, p.lang),
    statusTimeoutMs: 500,
    timeoutMs: 2000,
    pollMs: 20,
    ...extra,
  });
  queues.push(q);
  return q;
}

const printerAt = (uri: string, name = 'P1', lang: Printer['lang'] = 'tspl') => addPrinter(f.ctx(), { name, uri, lang });
const jobsFor = (p: Printer, keys: string[], extra: object = {}) => keys.map((k, i) => ({ printerId: p.id, idemKey: k, docType: 'waybill' as const, packageId: `pkg-${k}`, payload: { n: i + 1 }, seq: i + 1, total: keys.length, batchId: 'b1', ...extra }));
const states = (p: Printer) => listJobs(f.db, { printerId: p.id }).map((j) => j.state);

describe('enqueue', () => {
  it('queues in one transaction; an existing idemKey returns the existing job', () => {
    const p = printerAt('tcp://127.0.0.1:9');
    const ops = () => (f.db.$client.prepare('SELECT count(*) AS n FROM ops').get() as { n: number }).n;
    const before = ops();
    const first = enqueue(f.ctx(), jobsFor(p, ['a', 'b', 'a']));
    expect(first.map((r) => r.created)).toEqual([true, true, false]);
    expect(first[2]!.job.id).toBe(first[0]!.job.id);
    expect(ops()).toBe(before + 1);
    const again = enqueue(f.ctx(), jobsFor(p, ['b', 'c']));
    expect(again.map((r) => r.created)).toEqual([false, true]);
    expect(again[0]!.job.id).toBe(first[1]!.job.id);
    expect(listJobs(f.db).map((j) => j.idemKey)).toEqual(['a', 'b', 'c']);
    expect(listJobs(f.db)[0]).toMatchObject({ state: 'queued', attempts: 0, seq: 1, total: 3, batchId: 'b1', packageId: 'pkg-a', payload: { n: 1 }, createdBy: '店主' });
  });

  it('a waybill label is keyed by package, waybill number and copy', () => {
    const p = printerAt('tcp://127.0.0.1:9');
    const job = (key: string) => ({ printerId: p.id, idemKey: key, docType: 'waybill' as const, payload: {} });
    const keys = [waybillLabelKey('pkg-1', 'SF100'), waybillLabelKey('pkg-1', 'SF100'), waybillLabelKey('pkg-1', 'SF100', 2), waybillLabelKey('pkg-1', 'SF200')];
    expect(enqueue(f.ctx(), keys.map(job)).map((r) => r.created)).toEqual([true, false, true, true]);
    expect(keys[0]).toBe('waybill:pkg-1:SF100:1');
  });

  it('a bad job rolls the whole batch back', () => {
    const p = printerAt('tcp://127.0.0.1:9');
    expect(caught(() => enqueue(f.ctx(), [...jobsFor(p, ['x']), { ...jobsFor(p, ['y'])[0]!, printerId: 'missing' }])).code).toBe('NOT_FOUND');
    expect(caught(() => enqueue(f.ctx(), [{ ...jobsFor(p, ['z'])[0]!, idemKey: ' ' }])).message).toContain('第 1 个打印任务');
    expect(caught(() => enqueue(f.ctx(), [{ ...jobsFor(p, ['z'])[0]!, seq: 5, total: 3 }])).message).toContain('序号不能大于总数');
    expect(caught(() => enqueue(f.ctx(f.as('finance')), jobsFor(p, ['z']))).code).toBe('FORBIDDEN');
    expect(listJobs(f.db)).toEqual([]);
  });
});

describe('PrintQueue', () => {
  it('prints each lane in order, lanes in parallel, and confirms through the status query', async () => {
    const s1 = await capture({ closeDelayMs: 60 });
    const s2 = await capture({ closeDelayMs: 60 });
    const p1 = printerAt(s1.uri, 'P1');
    const p2 = printerAt(s2.uri, 'P2');
    const keys = ['k1', 'k2', 'k3', 'k4'];
    const j1 = enqueue(f.ctx(), jobsFor(p1, keys)).map((r) => r.job.id);
    const j2 = enqueue(f.ctx(), jobsFor(p2, keys.map((k) => `${k}-2`))).map((r) => r.job.id);
    const sending: string[] = [];
    const q = queue({ onTransition: (job, to) => to === 'sending' && sending.push(job.printerId) });
    const started = Date.now();
    q.start();
    await q.drain();
    const took = Date.now() - started;
    expect(tagsOf(s1)).toEqual(j1);
    expect(tagsOf(s2)).toEqual(j2);
    expect(states(p1)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    expect(states(p2)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    // Before and after every job.
    expect(s1.statusQueries).toBe(8);
    // Lanes run side by side: the second printer's first job starts before the first printer's
    // 60 ms-per-job batch is over (in series it would wait for all four).
    expect(sending.slice(0, 2).sort()).toEqual([p1.id, p2.id].sort());
    expect(took).toBeGreaterThanOrEqual(4 * 60);
    const job = getJob(f.db, j1[0]!)!;
    expect(job).toMatchObject({ attempts: 1, lastError: null });
    expect(job.sentAt).not.toBeNull();
    expect(job.confirmedAt).not.toBeNull();
  });

  it('waits while the printer reports printing, then confirms', async () => {
    const s = await capture({ lang: 'zpl', mode: 'printing' });
    s.printingAnswers = 3;
    const p = printerAt(s.uri, 'Z', 'zpl');
    enqueue(f.ctx(), jobsFor(p, ['z1']));
    const q = queue();
    q.start();
    await q.drain();
    expect(states(p)).toEqual(['confirmed']);
    // One before (printing, but no problem: it may take more) + two more "printing" + one ready.
    expect(s.statusQueries).toBe(4);
  });

  it('one-way links are confirmed once delivered', async () => {
    const s = await capture();
    const p = printerAt(s.uri, 'PDF', 'pdf');
    enqueue(f.ctx(), jobsFor(p, ['d1']));
    const q = queue();
    q.start();
    await q.drain();
    expect(states(p)).toEqual(['confirmed']);
    expect(s.statusQueries).toBe(0);
  });

  it('paper out before sending: nothing sent, 缺纸, the lane holds; retry prints in the original order', async () => {
    const s = await capture({ mode: 'paper_out' });
    const p = printerAt(s.uri);
    const ids = enqueue(f.ctx(), jobsFor(p, ['a', 'b'])).map((r) => r.job.id);
    const q = queue();
    q.start();
    await q.drain();
    expect(states(p)).toEqual(['failed', 'queued']);
    // Stored as a reason the screen words (缺纸：发送前检查，未发送), with an English message for logs.
    expect(getJob(f.db, ids[0]!)!.lastErrorWhy).toMatchObject({ reason: 'print_job.not_sent', details: { failure: 'paper_out' } });
    expect(getJob(f.db, ids[0]!)!.lastError).toBe('paper out (checked before sending; nothing was sent)');
    expect(getJob(f.db, ids[0]!)!.attempts).toBe(0);
    expect(s.jobs).toHaveLength(0);
    s.mode = 'ok';
    retryJob(f.ctx(f.as('packer')), ids[0]!);
    await q.drain();
    expect(tagsOf(s)).toEqual(ids);
    expect(states(p)).toEqual(['confirmed', 'confirmed']);
  });

  it('paper out after the job arrived: uncertain — the label is in the printer — and never resent by itself', async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    const [id] = enqueue(f.ctx(), jobsFor(p, ['a'])).map((r) => r.job.id);
    const q = queue({
      transportFor: (printer) => {
        const t = transportForUri(printer.uri, printer.lang);
        return { describe: t.describe, status: t.status!.bind(t), send: async (b, o) => (await t.send(b, o), (s.mode = 'paper_out')) && undefined };
      },
    });
    q.start();
    await q.drain();
    expect(getJob(f.db, id!)).toMatchObject({ state: 'uncertain', lastErrorWhy: { reason: 'print_job.problem_after_send', details: { failure: 'paper_out' } } });
    expect(() => retryJob(f.ctx(), id!)).toThrow(expect.objectContaining({ code: 'INVALID_STATE', reason: 'print_job.not_failed', details: { jobId: id, state: 'uncertain' } }));
    s.mode = 'ok';
    await q.drain();
    expect(s.jobs).toHaveLength(1);
  });

  it('a link that breaks after the bytes left leaves the job uncertain', async () => {
    // A printer that reads the whole label and then resets the connection instead of closing it
    // (allowHalfOpen: it does not answer the client's FIN with its own).
    const resets = net.createServer({ allowHalfOpen: true }, (socket) => socket.on('data', () => setTimeout(() => socket.resetAndDestroy(), 20)));
    await new Promise<void>((r) => resets.listen(0, '127.0.0.1', r));
    try {
      const p = printerAt(`tcp://127.0.0.1:${(resets.address() as net.AddressInfo).port}`, 'RST', 'pdf');
      const [id] = enqueue(f.ctx(), jobsFor(p, ['a'])).map((r) => r.job.id);
      const q = queue();
      q.start();
      await q.drain();
      const job = getJob(f.db, id!)!;
      expect(job).toMatchObject({ state: 'uncertain', attempts: 1 });
      expect(job.lastErrorWhy).toMatchObject({ reason: 'print_job.maybe_delivered', details: { failure: 'closed_early', detail: 'ECONNRESET' } });
    } finally {
      await new Promise((r) => resets.close(r));
    }
  });

  it('a transport failure before any byte left is a plain failure', () => {
    expect(failureFromError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).maybeDelivered).toBe(false);
    expect(failureFromError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), { maybeDelivered: true })).toMatchObject({ reason: 'closed_early', maybeDelivered: true });
    const timeout = new PrintFailure('timeout', '1000 ms');
    expect(failureFromError(timeout, { maybeDelivered: true })).toMatchObject({ reason: 'timeout', detail: '1000 ms', maybeDelivered: true });
    expect(failureFromError(timeout)).toBe(timeout);
  });

  it('connection refused fails, a printer that never reads is uncertain, each with the reason in words', async () => {
    const refused = printerAt(`tcp://127.0.0.1:${await refusedPort()}`, 'R');
    const hang = await capture({ mode: 'hang' });
    const hung = addPrinter(f.ctx(), { name: 'H', uri: hang.uri, lang: 'tspl', settings: { timeoutMs: 1000 } });
    enqueue(f.ctx(), [...jobsFor(refused, ['r1']), ...jobsFor(hung, ['h1'], { payload: { big: 'x'.repeat(8_000_000) } })]);
    const q = queue({ statusTimeoutMs: 200 });
    q.start();
    await q.drain();
    const [r] = listJobs(f.db, { printerId: refused.id });
    expect(r).toMatchObject({ state: 'failed', attempts: 0 });
    expect(r!.lastErrorWhy).toMatchObject({ reason: 'print_job.failed', details: { failure: 'refused' } });
    const [h] = listJobs(f.db, { printerId: hung.id });
    // The status query went unanswered, so the job was sent anyway — and timed out once connected:
    // the printer may have part of it, so a person decides.
    expect(h).toMatchObject({ state: 'uncertain', attempts: 1 });
    expect(h!.lastErrorWhy?.details).toMatchObject({ failure: 'timeout' });
  });

  it('a printer that takes a label and hangs holds its lane: the rest of the batch waits for a person', async () => {
    const hang = await capture({ mode: 'hang' });
    const hung = addPrinter(f.ctx(), { name: 'H', uri: hang.uri, lang: 'tspl', settings: { timeoutMs: 1000 } });
    const [first, second, third] = enqueue(f.ctx(), jobsFor(hung, ['h1', 'h2', 'h3'], { payload: { big: 'x'.repeat(8_000_000) } })).map((r) => r.job.id);
    const q = queue({ statusTimeoutMs: 200 });
    q.start();
    await q.drain();
    expect(states(hung)).toEqual(['uncertain', 'queued', 'queued']);
    expect(getJob(f.db, first!)!.attempts).toBe(1);
    expect(getJob(f.db, second!)!.attempts).toBe(0);
    // Cancelling the uncertain one (the packer saw nothing come out and will deal with it later) frees the lane;
    // the next job then meets the same hung printer and holds the lane in turn.
    cancelJob(f.ctx(), first!, '打印机卡住');
    await q.drain();
    expect(states(hung)).toEqual(['cancelled', 'uncertain', 'queued']);
    expect(getJob(f.db, third!)!.attempts).toBe(0);
  });

  it('a render failure fails the job without sending; test prints render themselves', async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    const [bad] = enqueue(f.ctx(), jobsFor(p, ['bad'])).map((r) => r.job.id);
    const q = queue({ render: () => Promise.reject(new Error('模板缺少字段 receiver')) });
    q.start();
    await q.drain();
    expect(getJob(f.db, bad!)!.lastErrorWhy).toMatchObject({ reason: 'print_job.failed', details: { failure: 'render_failed', detail: '模板缺少字段 receiver' } });
    cancelJob(f.ctx(), bad!, '模板问题');
    const test = queueTestPrint(f.ctx(), p.id);
    await q.drain();
    expect(getJob(f.db, test.id)!.state).toBe('confirmed');
    expect(s.jobs.map((j) => j.bytes.toString().split('\r\n')[0])).toEqual(['SIZE 76 mm,130 mm']);
  });

  it('pause holds the lane; resume wakes it', async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    const q = queue();
    q.start();
    setPrinterPaused(f.ctx(f.as('packer')), p.id, true, '换纸');
    enqueue(f.ctx(), jobsFor(p, ['a', 'b']));
    await q.drain();
    expect(states(p)).toEqual(['queued', 'queued']);
    setPrinterPaused(f.ctx(), p.id, false);
    await q.drain();
    expect(states(p)).toEqual(['confirmed', 'confirmed']);
    expect(s.jobs).toHaveLength(2);
  });

  it('a pause that lands while a job renders stops it before it is sent', async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    enqueue(f.ctx(), jobsFor(p, ['a']));
    const q = queue({
      render: async (job) => {
        setPrinterPaused(f.ctx(f.as('packer')), p.id, true, '急停');
        return bytesOf(job);
      },
    });
    q.start();
    await q.drain();
    expect(states(p)).toEqual(['queued']);
    expect(s.jobs).toHaveLength(0);
  });

  it("after a crash a job left 'sending' is uncertain and never sent again; the operator decides", async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    const [a, b, c] = enqueue(f.ctx(), jobsFor(p, ['a', 'b', 'c'])).map((r) => r.job.id);
    // What a kill -9 between "sending" and "sent" leaves behind.
    f.db.$client.prepare(`UPDATE print_jobs SET state = 'sending', attempts = 1 WHERE id IN (?, ?)`).run(a, b);
    const q = queue();
    expect(q.start()).toEqual({ uncertain: 2 });
    await q.drain();
    // The uncertain labels hold the lane: c must not come out ahead of a label that may yet be reprinted.
    expect(states(p)).toEqual(['uncertain', 'uncertain', 'queued']);
    expect(tagsOf(s)).toEqual([]);
    expect(getJob(f.db, a!)!.lastErrorWhy).toMatchObject({ reason: 'print_job.interrupted', details: { at: expect.any(Number) } });
    expect(caught(() => reprint(f.ctx(), a!, '看不清'))).toMatchObject({ reason: 'print_job.not_reprintable', details: { state: 'uncertain' }, message: expect.stringContaining('confirm whether it printed first') });
    const packer = f.ctx(f.as('packer'));
    expect(resolveUncertain(packer, a!, 'printed').state).toBe('confirmed');
    await q.drain();
    expect(tagsOf(s)).toEqual([]); // b still holds it
    const again = resolveUncertain(packer, b!, 'reprint');
    expect(getJob(f.db, b!)!.state).toBe('cancelled');
    expect(again).toMatchObject({ reprintOf: b, state: 'queued', seq: 2, payload: { n: 2, reprint: { count: 1, of: b } } });
    await q.drain();
    // The replacement comes out in b's place, before c.
    expect(tagsOf(s)).toEqual([again.id, c]);
    expect(caught(() => resolveUncertain(packer, a!, 'printed')).code).toBe('INVALID_STATE');
  });
});

describe('reprint', () => {
  it('is explicit, needs a reason, carries the 重打 mark, and is limited by role per package', async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    const [orig] = enqueue(f.ctx(), jobsFor(p, ['w1'])).map((r) => r.job.id);
    const packer = f.ctx(f.as('packer'));
    expect(caught(() => reprint(packer, orig!, '污损')).code).toBe('INVALID_STATE'); // not printed yet
    const q = queue();
    q.start();
    await q.drain();
    expect(caught(() => reprint(packer, orig!, ' '))).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'reprint.reason_required' });
    const r1 = reprint(packer, orig!, '面单污损');
    expect(r1).toMatchObject({ reprintOf: orig, reprintReason: '面单污损', packageId: 'pkg-w1', seq: 1, total: 1, payload: { n: 1, reprint: { count: 1, reason: '面单污损', of: orig } } });
    await q.drain();
    // A reprint of a reprint still points at the original and counts on.
    const r2 = reprint(packer, r1.id, '贴歪了', { idemKey: 'click-1' });
    expect(reprint(packer, r1.id, '贴歪了', { idemKey: 'click-1' }).id).toBe(r2.id); // double click
    expect(r2).toMatchObject({ reprintOf: orig, payload: { reprint: { count: 2, of: orig } } });
    await q.drain();
    const third = caught(() => reprint(packer, orig!, '又坏了'));
    expect(third).toMatchObject({ code: 'FORBIDDEN', reason: 'reprint.limit_reached', details: { reprints: 2, limit: 2 } });
    const r3 = reprint(f.ctx(f.as('operator')), orig!, '又坏了');
    expect(r3.payload).toMatchObject({ reprint: { count: 3 } });
    await q.drain();
    expect(tagsOf(s)).toEqual([orig, r1.id, r2.id, r3.id]);
    expect(listJobs(f.db, { packageId: 'pkg-w1' }).map((j) => j.state as JobState)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    const audit = f.db.$client.prepare(`SELECT reason FROM audit_log WHERE command = 'print.reprint' ORDER BY rowid`).all() as { reason: string }[];
    expect(audit.map((a) => a.reason)).toEqual(['面单污损', '贴歪了', '又坏了']);
  });

  it('prints a cancelled label again only as a marked reprint', async () => {
    const s = await capture();
    const p = printerAt(s.uri);
    setPrinterPaused(f.ctx(), p.id, true);
    const [orig] = enqueue(f.ctx(), jobsFor(p, ['w2'])).map((r) => r.job.id);
    cancelJob(f.ctx(), orig!, '订单待确认');
    setPrinterPaused(f.ctx(), p.id, false);
    const q = queue();
    q.start();
    await q.drain();
    expect(tagsOf(s)).toEqual([]);
    const again = reprint(f.ctx(f.as('packer')), orig!, '客户确认要发');
    expect(again).toMatchObject({ reprintOf: orig, payload: { reprint: { count: 1, of: orig } } });
    await q.drain();
    expect(tagsOf(s)).toEqual([again.id]);
  });
});
