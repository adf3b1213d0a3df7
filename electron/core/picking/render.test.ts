// Pick lists and packing slips through the API (roles, files, queueing) and through the real print
// queue to a port-9100 capture server standing in for an ESC/POS receipt printer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { startCaptureServer, type CaptureServer } from '../../sandbox/printing/capture-server.ts';
import { PrintFailure } from '../printing/failure.ts';
import { getJob, type PrintJob } from '../printing/jobs.ts';
import { addPrinter, type Printer } from '../printing/printers.ts';
import { PrintQueue } from '../printing/queue-sender.ts';
import { renderJob } from '../printing/service.ts';
import { transportForUri } from '../printing/transports/for-printer.ts';
import { decodeEscpos, receiptDocuments } from './escpos-decode.ts';
import { renderPickListJob } from './render.ts';
import { columns } from './receipt-text.ts';
import { okAfter } from '../../testkit/results.ts';

let f: Fixture;
let ids: string[];
beforeEach(() => {
  f = openFixture(0);
  ids = f.addOrders([platformOrder(1), platformOrder(2, { buyerMessage: '不要放发票' }), platformOrder(3)]);
  f.db.$client.prepare("UPDATE skus SET location = CASE outer_sku_code WHEN 'SOCK-01' THEN 'A-1' ELSE 'B-7' END").run();
});
afterEach(() => f.close());

async function errorCode(p: Promise<{ ok: boolean; error?: { code: string } }>): Promise<string | undefined> {
  const r = await p;
  expect(r.ok).toBe(false);
  return r.error?.code;
}

describe('pickList.render / packingSlips.render', () => {
  it('renders the pick list as a PDF file and as ESC/POS bytes for 58 mm paper', async () => {
    const pdf = await okAfter<{ fileName: string; mime: string; base64: string }>(f.call('pickList.render', { ids, format: 'pdf' }));
    expect(pdf.mime).toBe('application/pdf');
    expect(pdf.fileName).toMatch(/^picklist-\d{8}-\d{4}\.pdf$/);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    const bin = await okAfter<{ fileName: string; mime: string; base64: string }>(f.call('pickList.render', { ids, format: 'escpos', width: 58 }, f.as('packer')));
    expect(bin.mime).toBe('application/octet-stream');
    expect(bin.fileName).toMatch(/\.bin$/);
    const lines = decodeEscpos(Buffer.from(bin.base64, 'base64')).lines.map((l) => l.text);
    // Socks before T-shirts (B-7): 3 orders × 1 and 3 orders × 2.
    const skuLines = lines.filter((l) => /^[AB]-\d/.test(l));
    expect(skuLines.map((l) => l.replace(/ +/g, ' '))).toEqual(['A-1 SOCK-01 ×3', 'B-7 NZ-2301-BK-M ×6']);
    for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(32);
  });

  it('packing slips: one per order in the order given', async () => {
    const bin = await okAfter<{ base64: string }>(f.call('packingSlips.render', { ids: [ids[2], ids[1]], format: 'escpos' }));
    const docs = receiptDocuments(decodeEscpos(Buffer.from(bin.base64, 'base64')));
    expect(docs.map((d) => d.find((l) => l.startsWith('订单号')))).toEqual(['订单号：P00000003', '订单号：P00000002']);
    expect(docs[1]).toContain('买家留言：不要放发票');
  });

  it('finance may not render them; bad input and unknown orders are refused', async () => {
    expect(await errorCode(f.call('pickList.render', { ids, format: 'pdf' }, f.as('finance')))).toBe('FORBIDDEN');
    expect(await errorCode(f.call('pickList.render', { ids, format: 'escpos', width: 76 }))).toBe('VALIDATION_FAILED');
    expect(await errorCode(f.call('packingSlips.render', { ids: [], format: 'pdf' }))).toBe('VALIDATION_FAILED');
    expect(await errorCode(f.call('packingSlips.render', { ids: ['no-such-order'], format: 'pdf' }))).toBe('NOT_FOUND');
  });
});

describe('print.pickList / print.packingSlips', () => {
  it('needs a receipt or PDF printer; uses the one assigned; a repeated requestId queues nothing new', async () => {
    expect(await errorCode(f.call('print.pickList', { ids }))).toBe('INVALID_STATE');
    const label = addPrinter(f.ctx(), { name: '面单机', uri: 'tcp://127.0.0.1:9', lang: 'tspl', documents: ['waybill', 'pick_list'] });
    expect(await errorCode(f.call('print.pickList', { ids }))).toBe('INVALID_STATE');
    expect(await errorCode(f.call('print.pickList', { ids, printerId: label.id }))).toBe('VALIDATION_FAILED');
    const receipt = addPrinter(f.ctx(), { name: '小票机', uri: 'tcp://127.0.0.1:9', lang: 'escpos', documents: ['pick_list'], settings: { widthMm: 58 } });

    const packer = f.as('packer', '小王');
    const first = await okAfter<{ jobId: string; printerId: string; printerName: string; created: boolean }>(f.call('print.pickList', { ids, requestId: 'r-1' }, packer));
    expect(first).toMatchObject({ printerId: receipt.id, printerName: '小票机', created: true });
    const again = await okAfter<{ jobId: string; created: boolean }>(f.call('print.pickList', { ids, requestId: 'r-1' }, packer));
    expect(again).toEqual({ ...first, created: false });
    const job = getJob(f.db, first.jobId);
    expect(job).toMatchObject({ docType: 'pick_list', state: 'queued', payload: { ids }, createdBy: '小王' });
    // Without a requestId each call is a new document.
    const other = await okAfter<{ jobId: string }>(f.call('print.pickList', { ids }, packer));
    expect(other.jobId).not.toBe(first.jobId);
    // Packing slips need a printer assigned to them.
    expect(await errorCode(f.call('print.packingSlips', { ids }, packer))).toBe('INVALID_STATE');
    const slips = await okAfter<{ jobId: string }>(f.call('print.packingSlips', { ids: [ids[0]], printerId: receipt.id }, packer));
    expect(getJob(f.db, slips.jobId)).toMatchObject({ docType: 'packing_slip', orderId: ids[0] });
    expect(await errorCode(f.call('print.pickList', { ids }, f.as('finance')))).toBe('FORBIDDEN');
  });
});

describe('renderPickListJob through the print queue', () => {
  let server: CaptureServer;
  let queue: PrintQueue | null = null;
  beforeEach(async () => {
    server = await startCaptureServer({ lang: 'escpos' });
  });
  afterEach(async () => {
    await queue?.stop();
    await server.close();
  });

  /** Starts the print queue (ESC/POS over TCP to the capture server) with `render` making each job's bytes. */
  function startQueue(render: (db: Fixture['db'], job: PrintJob, printer: Printer) => Promise<Buffer>): PrintQueue {
    queue = new PrintQueue({
      db: f.db,
      events: f.events,
      now: Date.now,
      render: (job, printer) => render(f.db, job, printer),
      transportFor: (pr) => transportForUri(pr.uri, pr.lang),
      statusTimeoutMs: 500,
      timeoutMs: 5000,
      pollMs: 20,
    });
    queue.start();
    return queue;
  }

  it('a queued pick list reaches the receipt printer as ESC/POS at its paper width, the same bytes every render', async () => {
    const p = addPrinter(f.ctx(), { name: '小票机', uri: server.uri, lang: 'escpos', documents: ['pick_list', 'packing_slip'], settings: { widthMm: 58 } });
    const queued = await okAfter<{ jobId: string }>(f.call('print.pickList', { ids }));
    const slips = await okAfter<{ jobId: string }>(f.call('print.packingSlips', { ids }));
    await startQueue(renderPickListJob).drain(p.id);
    expect(getJob(f.db, queued.jobId)?.state).toMatch(/sent|confirmed/);
    expect(getJob(f.db, slips.jobId)?.state).toMatch(/sent|confirmed/);
    expect(server.jobs).toHaveLength(2);
    const [pick, slip] = server.jobs.map((j) => j.bytes);
    const lines = decodeEscpos(pick!).lines.map((l) => l.text);
    expect(lines[0]).toBe('拣货单');
    expect(lines).toContain('3 单 · 2 种 · 9 件');
    for (const l of lines) expect(columns(l)).toBeLessThanOrEqual(32);
    expect(receiptDocuments(decodeEscpos(slip!))).toHaveLength(3);
    // A retry sends the same bytes: those rendered when the job was queued.
    expect((await renderPickListJob(f.db, getJob(f.db, queued.jobId)!, p)).equals(pick!)).toBe(true);
    // Sent to an 80 mm printer instead (a reprint elsewhere), it is laid out again for 48 columns.
    const wide = addPrinter(f.ctx(), { name: '宽小票机', uri: server.uri, lang: 'escpos', settings: { widthMm: 80 } });
    const relaid = decodeEscpos(await renderPickListJob(f.db, getJob(f.db, queued.jobId)!, wide)).lines.map((l) => l.text);
    expect(relaid).toContain('='.repeat(48));
    expect(relaid.filter((l) => /^[AB]-\d/.test(l)).map((l) => l.replace(/ +/g, ' '))).toEqual(['A-1 SOCK-01 ×3', 'B-7 NZ-2301-BK-M ×6']);
  });

  it("the station's print service (printing/service.ts renderJob) sends the queued bytes as they are", async () => {
    const p = addPrinter(f.ctx(), { name: '小票机', uri: server.uri, lang: 'escpos', documents: ['packing_slip'] });
    const queued = await okAfter<{ jobId: string }>(f.call('print.packingSlips', { ids: [ids[1]] }));
    await startQueue(renderJob).drain(p.id);
    expect(getJob(f.db, queued.jobId)?.state).toMatch(/sent|confirmed/);
    const [doc] = receiptDocuments(decodeEscpos(server.jobs[0]!.bytes));
    expect(doc).toContain('订单号：P00000002');
    expect(doc).toContain('买家留言：不要放发票');
  });

  it('a PDF printer gets a PDF; a label printer gets a render_failed, not garbage', async () => {
    const pdfPrinter = addPrinter(f.ctx(), { name: 'A4', uri: 'cups:A4', lang: 'pdf', documents: ['pick_list'] });
    const label = addPrinter(f.ctx(), { name: '面单机', uri: 'tcp://127.0.0.1:9', lang: 'zpl' });
    const queued = await okAfter<{ jobId: string }>(f.call('print.pickList', { ids }));
    const job = getJob(f.db, queued.jobId)!;
    expect((await renderPickListJob(f.db, job, pdfPrinter)).subarray(0, 5).toString()).toBe('%PDF-');
    const err = await renderPickListJob(f.db, job, label).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrintFailure);
    expect((err as PrintFailure).reason).toBe('render_failed');
  });
});
