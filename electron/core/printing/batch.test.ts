// The batch print flow end to end on a real station file: orders → pre-checks → packages → pool
// waybills → label jobs in the chosen order → the print service sends them to a port-9100 capture
// server → packages and orders marked printed. The captured TSPL is decoded back to pixels and
// compared with the label drawn for the expected order and seq/total, so the print order is checked
// on the bytes a printer would get. Re-running a batch prints nothing twice; an exhausted pool fails
// the rest with a reason and a re-run after a refill prints exactly those.
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrintBatchView, PrinterView, PrintLabelsResult, PrintPrecheck } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { bitmapsEqual } from '../labels/bitmap.ts';
import { decodeTspl } from '../labels/encode.ts';
import { labelDataForOrder } from '../labels/order-label.ts';
import { labelToBitmap } from '../labels/raster.ts';
import { addWaybillAccount } from '../waybills/accounts.ts';
import { addNumberRange } from '../waybills/pool.ts';
import { startCaptureServer, type CaptureServer } from '../../sandbox/printing/capture-server.ts';
import { addPrinter, type Printer } from './printers.ts';
import { createPrintService, type PrintService } from './service.ts';
import { ok } from '../../testkit/results.ts';

let fx: Fixture;
let server: CaptureServer;
let service: PrintService;
let printer: Printer;
let accountId: string;

const PROVINCES = ['浙江省', '广东省', '北京市', '四川省'];

beforeEach(async () => {
  fx = openFixture(0);
  server = await startCaptureServer({ lang: 'tspl' });
  printer = addPrinter(fx.ctx(), { name: '打包台 1', uri: server.uri, lang: 'tspl', dpi: 203, documents: ['waybill'] });
  accountId = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] }).id;
  service = createPrintService({ db: fx.db, events: fx.events, now: () => Date.now(), queue: { statusTimeoutMs: 500, confirmWithinMs: 2000, pollMs: 20 } });
  service.start();
});

afterEach(async () => {
  await service.stop();
  await server.close();
  fx.close();
});

/** n reviewed orders (awaiting print), the i-th in PROVINCES[i % 4] and with a distinct first SKU code. */
async function reviewedOrders(n: number, from = 1): Promise<string[]> {
  const orders = Array.from({ length: n }, (_, i) => {
    const base = platformOrder(from + i);
    return platformOrder(from + i, {
      receiver: { ...base.receiver, province: PROVINCES[i % PROVINCES.length] as string },
      items: base.items.map((it, line) => (line === 0 ? { ...it, outerSkuCode: `SKU-${String.fromCharCode(90 - i)}` } : it)),
    });
  });
  const ids = fx.addOrders(orders);
  ok(await fx.call('orders.review', { ids }));
  return ids;
}

const usedNumbers = () => (fx.db.$client.prepare('SELECT count(*) AS n FROM waybill_numbers WHERE package_id IS NOT NULL').get() as { n: number }).n;

/** The order id and seq/total each captured label shows, by comparing pixels with candidate labels. */
function decodeLabels(candidates: string[], total: number, jobs = server.jobs): { orderId: string; seq: number }[] {
  return jobs.map((job, k) => {
    const got = decodeTspl(job.bytes).bitmap;
    for (const orderId of candidates) {
      const want = labelToBitmap(labelDataForOrder(fx.db, orderId, { seq: k + 1, total }), { dpi: 203, template: '76x130' });
      if (bitmapsEqual(got, want)) return { orderId, seq: k + 1 };
    }
    throw new Error(`captured label ${k + 1} matches no order with ${k + 1}/${total}`);
  });
}

describe('print.labels', () => {
  it('allocates pool numbers, prints in province order with seq/total, and marks packages and orders printed', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 100, width: 10 });
    const ids = await reviewedOrders(4);
    const progress: { phase: string; done: number; total: number }[] = [];
    fx.events.on('print.progress', (p) => progress.push(p));
    const r = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'province' }, fx.as('packer')));
    expect(r.failed).toEqual([]);
    expect(r.queued).toBe(4);
    await service.drain();
    expect(server.jobs).toHaveLength(4);
    // zh-Hans collation sorts by pinyin: 北京 (bei), 广东 (guang), 四川 (si), 浙江 (zhe).
    const byProvince = ['北京市', '广东省', '四川省', '浙江省'].map((p) => ids[PROVINCES.indexOf(p)] as string);
    expect(decodeLabels(ids, 4)).toEqual(byProvince.map((orderId, i) => ({ orderId, seq: i + 1 })));
    expect(progress.filter((p) => p.phase === 'allocate').at(-1)).toMatchObject({ done: 4, total: 4 });
    expect(progress.filter((p) => p.phase === 'queue').at(-1)).toMatchObject({ done: 4, total: 4 });

    const packages = fx.db.$client.prepare('SELECT order_id AS orderId, state, printed_at AS printedAt, waybill_no AS waybillNo FROM packages').all() as {
      orderId: string;
      state: string;
      printedAt: number | null;
      waybillNo: string;
    }[];
    expect(packages.every((p) => p.state === 'printed' && p.printedAt !== null)).toBe(true);
    expect(new Set(packages.map((p) => p.waybillNo)).size).toBe(4);
    const stages = fx.db.$client.prepare(`SELECT stage, queue FROM orders WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { stage: string; queue: string }[];
    expect(stages.every((o) => o.stage === 'printed' && o.queue === 'printed')).toBe(true);
    const audits = fx.db.$client.prepare(`SELECT count(*) AS n FROM audit_log WHERE command = 'print.markPrinted' AND entity = 'order'`).get() as { n: number };
    expect(audits.n).toBe(4);

    const batch = ok<{ finished: boolean; counts: Record<string, number>; jobs: { seq: number; orderId: string; waybillNo: string }[] }>(await fx.call('print.batch', { batchId: r.batchId }));
    expect(batch.finished).toBe(true);
    expect(batch.counts.confirmed).toBe(4);
    expect(batch.jobs.map((j) => j.orderId)).toEqual(byProvince);
    expect(batch.jobs.every((j) => /^ZT\d{10}$/.test(j.waybillNo))).toBe(true);

    // The same batch again: nothing allocated, nothing queued, nothing printed.
    const again = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'province' }));
    expect(again).toMatchObject({ queued: 0, alreadyQueued: 4, failed: [] });
    await service.drain();
    expect(server.jobs).toHaveLength(4);
    expect(usedNumbers()).toBe(4);
  });

  it('orders by SKU code when asked', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 100, width: 10 });
    // SKU codes run SKU-Z, SKU-Y, SKU-X: sorted by SKU the last order comes first.
    const ids = await reviewedOrders(3);
    ok(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'sku' }));
    await service.drain();
    expect(decodeLabels(ids, 3).map((l) => l.orderId)).toEqual([...ids].reverse());
  });

  it('fails the rest of the batch when the pool runs out, and a re-run after a refill prints exactly those', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 2, width: 10 });
    const ids = await reviewedOrders(4);
    const first = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    expect(first.queued).toBe(2);
    expect(first.failed.map((f) => [f.id, f.code])).toEqual([
      [ids[2], 'pool_exhausted'],
      [ids[3], 'pool_exhausted'],
    ]);
    expect(first.failed[0]?.reason).toContain('面单号用完了');
    await service.drain();
    expect(server.jobs).toHaveLength(2);

    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 3, end: 10, width: 10 });
    const retry = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    expect(retry).toMatchObject({ queued: 2, alreadyQueued: 2, failed: [] });
    await service.drain();
    expect(server.jobs).toHaveLength(4);
    expect(usedNumbers()).toBe(4);
    // Each run is its own batch: 1/2 and 2/2, then the retried two as 1/2 and 2/2.
    expect(decodeLabels(ids, 2, server.jobs.slice(0, 2)).map((l) => l.orderId)).toEqual(ids.slice(0, 2));
    expect(decodeLabels(ids, 2, server.jobs.slice(2)).map((l) => l.orderId)).toEqual(ids.slice(2));
  });

  it('a failed job is retried by running the batch again, the same label to the same lane', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const ids = await reviewedOrders(1);
    server.mode = 'paper_out';
    const r = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    await service.drain();
    expect(server.jobs).toHaveLength(0);
    const [job] = ok<{ state: string; lastError: string; lastErrorWhy: unknown }[]>(await fx.call('printJobs.list', { batchId: r.batchId }));
    expect(job).toMatchObject({ state: 'failed' });
    expect(job?.lastErrorWhy).toMatchObject({ reason: 'print_job.not_sent', details: { failure: 'paper_out' } });
    server.mode = 'ok';
    const again = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    expect(again).toMatchObject({ queued: 1, alreadyQueued: 0, failed: [] });
    await service.drain();
    expect(server.jobs).toHaveLength(1);
    expect(usedNumbers()).toBe(1);
  });

  it("an earlier batch's failed label holds the next batch: print.batch names it, printers.list counts it, cancelling it lets the batch print", async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const [early, ...later] = await reviewedOrders(3);
    server.mode = 'paper_out';
    const first = ok<PrintLabelsResult>(await fx.call('print.labels', { ids: [early], printerId: printer.id, sortBy: 'paidAt' }));
    await service.drain();
    const [stuck] = ok<PrintBatchView>(await fx.call('print.batch', { batchId: first.batchId })).jobs;
    expect(stuck?.state).toBe('failed');
    server.mode = 'ok';

    const second = ok<PrintLabelsResult>(await fx.call('print.labels', { ids: later, printerId: printer.id, sortBy: 'paidAt' }));
    await service.drain();
    expect(server.jobs).toHaveLength(0);
    const held = ok<PrintBatchView>(await fx.call('print.batch', { batchId: second.batchId }, fx.as('packer')));
    expect(held.counts.queued).toBe(2);
    expect(held.blockedBy.map((j) => [j.id, j.state, j.batchId])).toEqual([[stuck?.id, 'failed', first.batchId]]);
    // The first batch's own view: it is finished (nothing queued), nothing blocks it.
    expect(ok<PrintBatchView>(await fx.call('print.batch', { batchId: first.batchId })).blockedBy).toEqual([]);
    const [listed] = ok<PrinterView[]>(await fx.call('printers.list', {}, fx.as('packer')));
    expect(listed?.held).toEqual({ failed: 1, uncertain: 0 });

    ok(await fx.call('printJobs.cancel', { id: stuck?.id, reason: '订单已退款' }, fx.as('packer')));
    await service.drain();
    expect(decodeLabels(later, 2).map((l) => l.orderId)).toEqual(later);
    const done = ok<PrintBatchView>(await fx.call('print.batch', { batchId: second.batchId }));
    expect(done).toMatchObject({ finished: true, blockedBy: [] });
    expect(ok<PrinterView[]>(await fx.call('printers.list', {}))[0]?.held).toEqual({ failed: 0, uncertain: 0 });
  });

  it('refuses the whole batch when skipProblems is off and an order has a problem; skips it otherwise', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const ids = await reviewedOrders(2);
    ok(await fx.call('orders.hold', { ids: [ids[0]], reason: '买家要求改地址' }));
    const refused = await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt', skipProblems: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('INVALID_STATE');
    expect(fx.db.$client.prepare('SELECT count(*) AS n FROM packages').get()).toEqual({ n: 0 });
    const skipped = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    expect(skipped.queued).toBe(1);
    expect(skipped.failed).toEqual([{ id: ids[0], code: 'held', reason: '订单已挂起/拦截' }]);
  });

  it('sends a PDF printer one PDF page per label', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const pdfServer = await startCaptureServer({ lang: 'pdf' });
    try {
      const pdfPrinter = addPrinter(fx.ctx(), { name: 'A4', uri: pdfServer.uri, lang: 'pdf', dpi: 203, settings: { template: '100x150' } });
      const ids = await reviewedOrders(2);
      ok(await fx.call('print.labels', { ids, printerId: pdfPrinter.id, sortBy: 'paidAt' }));
      await service.drain();
      expect(pdfServer.jobs).toHaveLength(2);
      for (const job of pdfServer.jobs) {
        const doc = await PDFDocument.load(job.bytes);
        expect(doc.getPageCount()).toBe(1);
        // 100×150 mm from the printer's settings: 283.46 × 425.2 pt.
        const { width, height } = doc.getPage(0).getSize();
        expect([Math.round(width), Math.round(height)]).toEqual([283, 425]);
      }
    } finally {
      await pdfServer.close();
    }
  });

  it('says which orders have no waybill account', async () => {
    const ids = await reviewedOrders(1);
    fx.db.$client.prepare('DELETE FROM waybill_accounts').run();
    const r = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    expect(r.failed.map((f) => f.code)).toEqual(['no_account']);
  });
});

describe('print.precheck', () => {
  it('names each problem and lists merge candidates of the same buyer and receiver', async () => {
    const base = platformOrder(1);
    const ids = fx.addOrders([
      platformOrder(1),
      platformOrder(2, { buyerNick: base.buyerNick }), // same buyer and receiver as 1
      platformOrder(3, { afterSale: 'requested' }),
      platformOrder(4, { receiver: { ...base.receiver, district: '' } }),
      platformOrder(5, { status: 'unpaid', platformStatus: 'WAIT_BUYER_PAY', paidAt: null }),
      platformOrder(6),
      platformOrder(7),
    ]);
    ok(await fx.call('orders.review', { ids: ids.filter((_, i) => i !== 5) }));
    ok(await fx.call('orders.hold', { ids: [ids[6]], reason: '缺货' }));
    const checks = ok<PrintPrecheck[]>(await fx.call('print.precheck', { ids: [...ids, 'nope'] }, fx.as('packer')));
    const by = new Map(checks.map((c) => [c.id, c]));
    expect(by.get(ids[0] as string)).toMatchObject({ ok: true, problems: [], mergeCandidates: [ids[1]] });
    expect(by.get(ids[1] as string)).toMatchObject({ ok: true, mergeCandidates: [ids[0]] });
    expect(by.get(ids[2] as string)?.problems).toContain('refund_requested');
    expect(by.get(ids[3] as string)?.problems).toContain('address_incomplete');
    expect(by.get(ids[4] as string)?.problems).toContain('unpaid');
    expect(by.get(ids[5] as string)?.problems).toEqual(['pending_review']);
    expect(by.get(ids[6] as string)?.problems).toEqual(['held']);
    expect(by.get('nope')).toMatchObject({ ok: false, problems: ['not_found'] });
  });

  it('flags an order already printed', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const ids = await reviewedOrders(1);
    ok(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    await service.drain();
    const [check] = ok<PrintPrecheck[]>(await fx.call('print.precheck', { ids }));
    expect(check).toMatchObject({ ok: false, problems: ['already_printed'], hasWaybill: true });
  });
});

describe('roles', () => {
  it('packers print, pause and reprint within limits; only owners and operators configure', async () => {
    addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const ids = await reviewedOrders(1);
    const packer = fx.as('packer');
    const finance = fx.as('finance');
    const denied = await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }, finance);
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
    const add = await fx.call('printers.add', { name: 'x', uri: 'tcp://127.0.0.1:9100', lang: 'tspl' }, packer);
    expect(add.ok ? null : add.error.code).toBe('FORBIDDEN');
    const range = await fx.call('waybillAccounts.addRange', { accountId, start: 20, end: 30 }, packer);
    expect(range.ok ? null : range.error.code).toBe('FORBIDDEN');
    ok(await fx.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }, packer));
    await service.drain();
    const [job] = ok<{ id: string; state: string }[]>(await fx.call('printJobs.list', { printerId: printer.id }, packer));
    expect(job?.state).toBe('confirmed');
    const first = ok<{ reprintCount: number; waybillNo: string }>(await fx.call('printJobs.reprint', { id: job?.id, reason: '面单被撕坏' }, packer));
    expect(first.reprintCount).toBe(1);
    ok(await fx.call('printJobs.reprint', { id: job?.id, reason: '又撕坏了' }, packer));
    const third = await fx.call('printJobs.reprint', { id: job?.id, reason: '第三次' }, packer);
    expect(third.ok ? null : third.error.code).toBe('FORBIDDEN');
    const paused = ok<{ paused: boolean }>(await fx.call('printers.setPaused', { id: printer.id, paused: true }, packer));
    expect(paused.paused).toBe(true);
    const jobs = ok<{ state: string; reprintOf: string | null }[]>(await fx.call('printJobs.list', {}));
    expect(jobs.filter((j) => j.reprintOf !== null)).toHaveLength(2);
  });

  it('lists waybill accounts with pool counts and imports numbers from a CSV', async () => {
    const csv = Buffer.from('运单号\nZT0000000001\nZT0000000002\nbad number\n', 'utf8').toString('base64');
    const refused = ok<{ imported: boolean; bad: { line: number }[] }>(await fx.call('waybillAccounts.importNumbers', { accountId, fileName: 'n.csv', base64: csv }));
    expect(refused.imported).toBe(false);
    expect(refused.bad.map((b) => b.line)).toEqual([4]);
    const r = ok<{ imported: boolean; added: number }>(await fx.call('waybillAccounts.importNumbers', { accountId, fileName: 'n.csv', base64: csv, skipBad: true }));
    expect(r).toMatchObject({ imported: true, added: 2 });
    const [account] = ok<{ pool: { free: number; used: number } }[]>(await fx.call('waybillAccounts.list', {}, fx.as('packer')));
    expect(account?.pool).toEqual({ free: 2, used: 0 });
  });
});
