// Component printers through the real print queue and a real database: a waybill job's documents
// (platform print data unchanged + our custom area) go to the fake component, and its notification
// becomes the job's confirmed/failed; a component that is not running, a missing printer, silence,
// malformed answers, a restart mid-task, and raster bytes sent to a component are all handled in words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../../testkit/api-fixtures.ts';
import { ensurePackages } from '../../waybills/packages.ts';
import { addWaybillAccount } from '../../waybills/accounts.ts';
import { getJob, waybillLabelKey, type PrintJob } from '../jobs.ts';
import { addPrinter, type Printer } from '../printers.ts';
import { printerStatusOf } from '../printer-status.ts';
import { enqueue, queueTestPrint, reprint, retryJob } from '../queue-commands.ts';
import { PrintQueue } from '../queue-sender.ts';
import { createPrintService } from '../service.ts';
import { transportForUri } from '../transports/for-printer.ts';
import { formatPrinterUri, parsePrinterUri, PRINT_COMPONENTS, type PrintComponent } from '../uri.ts';
import { componentJobBytes } from './documents.ts';
import { FakeComponent, type FakeComponentOptions } from '../../../sandbox/printing/fake-component.ts';
import { closeComponentClients, componentEndpoint, componentPrinters, setComponentEndpoint } from './registry.ts';

let f: Fixture;
let fakes: FakeComponent[];
let queues: PrintQueue[];
beforeEach(() => {
  f = openFixture(3);
  fakes = [];
  queues = [];
});
afterEach(async () => {
  for (const q of queues) await q.stop();
  closeComponentClients();
  for (const k of PRINT_COMPONENTS) setComponentEndpoint(k, null);
  for (const x of fakes) await x.stop();
  f.close();
});

const PRINT_DATA = { encryptedData: 'AES:Zm9vYmFy', signature: 'MD:c2lnbmF0dXJl', templateURL: 'http://cloudprint.cainiao.com/template/standard/101/1', ver: 'waybill_print_secret_version_1' };
const CUSTOM_URL = 'http://cloudprint.cainiao.com/template/customArea/555/1';

async function fake(kind: PrintComponent, o: FakeComponentOptions = {}): Promise<FakeComponent> {
  const x = await FakeComponent.start(kind, o);
  fakes.push(x);
  setComponentEndpoint(kind, x.url);
  return x;
}

/** A package of fixture order n with a platform waybill: what allocate.ts stores after cainiao.waybill.ii.get. */
function waybillPackage(n: number, waybillNo: string, opts: { custom?: boolean; printData?: string | null } = {}): { packageId: string; orderId: string } {
  const account = addWaybillAccount(f.ctx(), {
    name: `菜鸟中通 ${n}`,
    carrierCode: 'ZTO',
    kind: 'platform',
    shopId: f.shopId,
    sender: { name: '杭州仓', mobile: '13900000000', province: '浙江省', city: '杭州市', district: '余杭区', address: '仓前街道 1 号' },
    options: { templateUrl: PRINT_DATA.templateURL, ...(opts.custom === false ? {} : { customTemplateUrl: CUSTOM_URL }) },
  });
  const orderId = f.idOf(n);
  const ensured = ensurePackages(f.ctx(), [orderId], { accountId: account.id });
  const packageId = ensured.packages[0]!.packageId;
  const printData = opts.printData === undefined ? JSON.stringify(PRINT_DATA) : opts.printData;
  f.db.$client.prepare(`UPDATE packages SET waybill_no = ?, print_data = ?, state = 'allocated', allocated_at = ? WHERE id = ?`).run(waybillNo, printData, Date.now(), packageId);
  return { packageId, orderId };
}

function componentPrinter(kind: PrintComponent, printer?: string): Printer {
  return addPrinter(f.ctx(), { name: `${kind} 组件 ${printer ?? '默认'}`, uri: `component:${kind}${printer ? `?printer=${encodeURIComponent(printer)}` : ''}`, lang: 'pdf' });
}

function queue(confirmWithinMs = 2000): PrintQueue {
  const q = new PrintQueue({
    db: f.db,
    events: f.events,
    now: Date.now,
    render: async (job) => componentJobBytes(f.db, job),
    transportFor: (p) => transportForUri(p.uri, p.lang),
    statusTimeoutMs: 300,
    timeoutMs: 2000,
    pollMs: 20,
    confirmWithinMs,
  });
  queues.push(q);
  return q;
}

function enqueueWaybill(p: Printer, pkg: { packageId: string; orderId: string }, waybillNo: string, seq = 1, total = 1): PrintJob {
  const [r] = enqueue(f.ctx(), [{ printerId: p.id, idemKey: waybillLabelKey(pkg.packageId, waybillNo), docType: 'waybill', packageId: pkg.packageId, orderId: pkg.orderId, payload: {}, seq, total, batchId: 'b1' }]);
  return r!.job;
}

const printFrames = (x: FakeComponent) => x.received.filter((r): r is Record<string, unknown> => typeof r === 'object' && (r.cmd === 'print' || r.orderType === 'PRINT'));

describe('component printer uri', () => {
  it('component:KIND?printer=NAME round-trips, Chinese and spaces included', () => {
    const a = parsePrinterUri('component:pdd?printer=得力 DL-888D (USB)');
    expect(a).toEqual({ kind: 'component', component: 'pdd', printer: '得力 DL-888D (USB)' });
    expect(parsePrinterUri(formatPrinterUri(a))).toEqual(a);
    expect(parsePrinterUri('component:CAINIAO')).toEqual({ kind: 'component', component: 'cainiao' });
    expect(() => parsePrinterUri('component:cainiao?foo=1')).toThrow('component:cainiao?printer=打印机名');
    expect(() => parsePrinterUri('component:cainiao?printer=')).toThrow('无效');
  });

  it('default endpoints are the documented ones', () => {
    expect(PRINT_COMPONENTS.map((k) => componentEndpoint(k))).toEqual(['ws://localhost:13528', 'ws://127.0.0.1:5000', 'ws://localhost:13888', 'ws://localhost:16888/ks/printer', 'ws://localhost:9113']);
  });
});

describe('printer discovery', () => {
  it('componentPrinters lists the component’s printers, or says it is not running', async () => {
    const x = await fake('cainiao', { printers: ['GP-L80180 Series', 'Deli DL-888'], defaultPrinter: 'Deli DL-888' });
    expect(await componentPrinters('cainiao')).toEqual({ printers: ['GP-L80180 Series', 'Deli DL-888'], defaultPrinter: 'Deli DL-888' });
    await x.stop();
    closeComponentClients();
    await expect(componentPrinters('cainiao')).rejects.toThrow('菜鸟打印组件未启动，请先打开组件');
  });

  it('printers.status words: ready, a missing printer, not running', async () => {
    const x = await fake('douyin');
    expect(await printerStatusOf(componentPrinter('douyin', 'GP-L80180 Series'))).toMatchObject({ kind: 'status', words: '就绪' });
    const missing = await printerStatusOf(addPrinter(f.ctx(), { name: '不存在', uri: 'component:douyin?printer=NOPE', lang: 'pdf' }));
    expect(missing).toMatchObject({ kind: 'status', status: { ready: false, detail: expect.stringContaining('抖音打印组件里没有打印机「NOPE」') } });
    await x.stop();
    closeComponentClients();
    expect(await printerStatusOf(componentPrinter('douyin'))).toMatchObject({ kind: 'unreachable', reason: 'component_offline', words: '抖音打印组件未启动，请先打开组件' });
  });
});

describe.each(PRINT_COMPONENTS.map((k) => [k]))('%s through the queue', (kind) => {
  it('print → notification printed → confirmed; the documents are the print data unchanged plus the custom area', async () => {
    const x = await fake(kind);
    const p = componentPrinter(kind, 'GP-L80180 Series');
    const pkg = waybillPackage(1, 'ZT7000000001');
    const job = enqueueWaybill(p, pkg, 'ZT7000000001', 2, 5);
    const q = queue();
    q.start();
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'confirmed', attempts: 1, lastError: null });
    expect(x.violations).toEqual([]);
    const [frame] = printFrames(x);
    if (kind === 'jd') {
      expect(frame).toMatchObject({ parameters: { printName: 'GP-L80180 Series', contents: [{ tempUrl: PRINT_DATA.templateURL, printData: PRINT_DATA.encryptedData, customTempUrl: CUSTOM_URL, customData: { seqTotal: '2/5' } }] } });
      return;
    }
    const task = (frame as { task: { printer: string; documents: { documentID: string; contents: Record<string, unknown>[] }[] } }).task;
    expect(task.printer).toBe('GP-L80180 Series');
    expect(task.documents).toHaveLength(1);
    expect(task.documents[0]!.documentID).toBe('ZT7000000001');
    expect(task.documents[0]!.contents[0]).toEqual(PRINT_DATA);
    expect(task.documents[0]!.contents[1]).toEqual({
      templateURL: CUSTOM_URL,
      data: { seqTotal: '2/5', itemSummary: expect.stringContaining('女装纯棉T恤'), buyerMessage: '', reprintMark: '', customText: '' },
    });
  });

  it('not running → failed before sending, in words; retry after it starts → confirmed', async () => {
    const x = await fake(kind);
    await x.stop();
    const p = componentPrinter(kind);
    const pkg = waybillPackage(1, 'ZT7000000002');
    const job = enqueueWaybill(p, pkg, 'ZT7000000002');
    const q = queue();
    q.start();
    await q.drain(p.id);
    const failed = getJob(f.db, job.id)!;
    expect(failed.state).toBe('failed');
    expect(failed.attempts).toBe(0);
    expect(failed.lastErrorWhy).toMatchObject({ reason: 'print_job.failed', details: { failure: 'component_offline' } });
    await x.restart();
    retryJob(f.ctx(), job.id);
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'confirmed', attempts: 1 });
    expect(printFrames(x)).toHaveLength(1);
  });
});

describe('component faults through the queue', () => {
  it('failure notification → uncertain with the component’s reason (it may have half-printed); nothing printed twice', async () => {
    const x = await fake('cainiao', { behaviour: 'fail', failReason: '打印机缺纸' });
    const p = componentPrinter('cainiao');
    const pkg = waybillPackage(1, 'ZT7000000003');
    const job = enqueueWaybill(p, pkg, 'ZT7000000003');
    const q = queue();
    q.start();
    await q.drain(p.id);
    const j = getJob(f.db, job.id)!;
    expect(j.state).toBe('uncertain');
    expect(j.lastErrorWhy).toMatchObject({ reason: 'print_job.problem_after_send', details: { detail: expect.stringContaining('菜鸟打印组件：打印机缺纸') } });
    expect(() => retryJob(f.ctx(), job.id)).toThrow(expect.objectContaining({ reason: 'print_job.not_failed', details: { jobId: job.id, state: 'uncertain' } }));
    expect(printFrames(x)).toHaveLength(1);
  });

  it('the component refuses the task → failed (nothing printed, retry allowed)', async () => {
    const x = await fake('pdd', { behaviour: 'refuse' });
    const p = componentPrinter('pdd');
    const job = enqueueWaybill(p, waybillPackage(1, 'PD0001'), 'PD0001');
    const q = queue();
    q.start();
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'failed', lastErrorWhy: { reason: 'print_job.failed', details: { failure: 'component_failed', detail: '模板下载失败' } } });
    x.behaviour = 'print';
    retryJob(f.ctx(), job.id);
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'confirmed', attempts: 2 });
  });

  it('a printer the component does not have → failed before sending', async () => {
    const x = await fake('kuaishou');
    const p = componentPrinter('kuaishou', 'HPRT N41');
    const job = enqueueWaybill(p, waybillPackage(1, 'KS0001'), 'KS0001');
    const q = queue();
    q.start();
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'failed', attempts: 0, lastError: expect.stringContaining('快手打印组件里没有打印机「HPRT N41」') });
    expect(printFrames(x)).toHaveLength(0);
  });

  it('no notification → the job stays sent (never resent, never confirmed on a guess)', async () => {
    const x = await fake('cainiao', { behaviour: 'silent' });
    const p = componentPrinter('cainiao');
    const job = enqueueWaybill(p, waybillPackage(1, 'ZT7000000004'), 'ZT7000000004');
    const q = queue(400);
    q.start();
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(printFrames(x)).toHaveLength(1);
  });

  it('malformed answers to the print → treated as delivered (sent), not failed, so no automatic resend', async () => {
    const x = await fake('douyin');
    const p = componentPrinter('douyin');
    const job = enqueueWaybill(p, waybillPackage(1, 'DY0001'), 'DY0001');
    // Pre-flight works; then the component starts answering junk.
    const q = queue(300);
    const orig = x.behaviour;
    f.events.on('db.changed', () => {
      if (getJob(f.db, job.id)?.state === 'sending') x.behaviour = 'malformed';
    });
    q.start();
    await q.drain(p.id);
    expect(orig).toBe('print');
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(printFrames(x)).toHaveLength(1);
  });

  it('the component restarts while printing: the result is fetched with getTaskStatus after reconnecting', async () => {
    const x = await fake('cainiao', { behaviour: 'silent' });
    const p = componentPrinter('cainiao');
    const job = enqueueWaybill(p, waybillPackage(1, 'ZT7000000005'), 'ZT7000000005');
    const q = queue(5000);
    q.start();
    for (let i = 0; i < 200 && x.tasks.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const [taskID] = [...x.tasks.keys()];
    await x.restart();
    x.finishTask(taskID!, 'printed');
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'confirmed', attempts: 1 });
    expect(x.received.some((r) => typeof r === 'object' && r.cmd === 'getTaskStatus')).toBe(true);
    expect(printFrames(x)).toHaveLength(1);
  });

  it('a reprint carries the 重打 mark in the custom area', async () => {
    const x = await fake('cainiao');
    const p = componentPrinter('cainiao');
    const pkg = waybillPackage(1, 'ZT7000000006');
    const job = enqueueWaybill(p, pkg, 'ZT7000000006');
    const q = queue();
    q.start();
    await q.drain(p.id);
    reprint(f.ctx(), job.id, '面单被撕坏');
    await q.drain(p.id);
    const frames = printFrames(x) as { task: { documents: { contents: { data?: { reprintMark: string } }[] }[] } }[];
    expect(frames.map((fr) => fr.task.documents[0]!.contents[1]!.data!.reprintMark)).toEqual(['', '重打 第1次']);
  });

  it('without a custom-area template only the platform print data is sent', async () => {
    const x = await fake('cainiao');
    const p = componentPrinter('cainiao');
    enqueueWaybill(p, waybillPackage(1, 'ZT7000000007', { custom: false }), 'ZT7000000007');
    const q = queue();
    q.start();
    await q.drain(p.id);
    const [frame] = printFrames(x) as { task: { documents: { contents: unknown[] }[] } }[];
    expect(frame!.task.documents[0]!.contents).toEqual([PRINT_DATA]);
  });

  it('a waybill without platform print data, and a test page, fail in words without reaching the component', async () => {
    const x = await fake('cainiao');
    const p = componentPrinter('cainiao');
    const job = enqueueWaybill(p, waybillPackage(1, 'ZT7000000008', { printData: null }), 'ZT7000000008');
    const q = queue();
    q.start();
    await q.drain(p.id);
    expect(getJob(f.db, job.id)).toMatchObject({ state: 'failed', lastError: expect.stringContaining('没有平台打印数据') });
    const p2 = componentPrinter('cainiao', 'Deli DL-888');
    const test = queueTestPrint(f.ctx(), p2.id);
    await q.drain(p2.id);
    expect(getJob(f.db, test.id)).toMatchObject({ state: 'failed', lastError: expect.stringContaining('平台打印组件只接受平台面单的打印数据') });
    expect(printFrames(x)).toHaveLength(0);
  });

  it('a package whose number changed since queuing is refused, not printed under the old job', async () => {
    const x = await fake('cainiao');
    const p = componentPrinter('cainiao');
    const pkg = waybillPackage(1, 'ZT7000000009');
    const [r] = enqueue(f.ctx(), [{ printerId: p.id, idemKey: 'k-9', docType: 'waybill', packageId: pkg.packageId, orderId: pkg.orderId, payload: { waybillNo: 'ZT-OLD' } }]);
    const q = queue();
    q.start();
    await q.drain(p.id);
    expect(getJob(f.db, r!.job.id)).toMatchObject({ state: 'failed', lastError: expect.stringContaining('面单号已从 ZT-OLD 变为 ZT7000000009') });
    expect(printFrames(x)).toHaveLength(0);
  });
});

describe('the station print service', () => {
  it('renders a component printer’s waybill job as component documents and marks the package printed', async () => {
    const x = await fake('pdd');
    const p = componentPrinter('pdd', 'GP-L80180 Series');
    const pkg = waybillPackage(2, 'PD7000000001');
    const service = createPrintService({ db: f.db, events: f.events, now: Date.now, queue: { statusTimeoutMs: 300, pollMs: 20, confirmWithinMs: 2000, timeoutMs: 2000 } });
    service.start();
    try {
      const [r] = enqueue(f.ctx(), [{ printerId: p.id, idemKey: waybillLabelKey(pkg.packageId, 'PD7000000001'), docType: 'waybill', packageId: pkg.packageId, orderId: pkg.orderId, payload: { waybillNo: 'PD7000000001' } }]);
      await service.drain(p.id);
      expect(getJob(f.db, r!.job.id)).toMatchObject({ state: 'confirmed' });
      const [frame] = printFrames(x) as { task: { documents: { documentID: string; contents: unknown[] }[] } }[];
      expect(frame!.task.documents[0]!.documentID).toBe('PD7000000001');
      expect(frame!.task.documents[0]!.contents[0]).toEqual(PRINT_DATA);
      const state = f.db.$client.prepare('SELECT state, printed_at AS printedAt FROM packages WHERE id = ?').get(pkg.packageId) as { state: string; printedAt: number | null };
      expect(state.state).toBe('printed');
    } finally {
      await service.stop();
    }
  });
});
