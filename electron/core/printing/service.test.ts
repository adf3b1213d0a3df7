// The print queue hosted by the core, through core.call as the renderer would use it: inline on a
// ':memory:' station, and in the background worker thread on a station file (jobs queued by the
// host's commands reach the worker's queue, the worker's connection marks the orders printed).
import { describe, expect, it } from 'vitest';
import type { PrintBatchView, PrintLabelsResult, PrinterView, WaybillAccountInfo } from '../../shared/contract.ts';
import { platformOrder, tempDbFile } from '../../testkit/api-fixtures.ts';
import { createCore, type Core } from '../app.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { startCaptureServer } from '../../sandbox/printing/capture-server.ts';
import { cleanupsAfterEach, ok } from '../../testkit/results.ts';
import { testDbOf } from '../../testkit/station-db.ts';

const cleanups = cleanupsAfterEach();

/** Three reviewed orders in one shop, a pool account with numbers, a TSPL printer on a capture server. */
async function station(core: Core) {
  const server = await startCaptureServer({ lang: 'tspl' });
  cleanups.push(() => server.close());
  testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
  ingestOrders(testDbOf(core), { shopId: 'shop-1', platform: 'taobao', orders: [1, 2, 3].map((n) => ({ order: platformOrder(n), raw: {} })) }, Date.now());
  const ids = (testDbOf(core).$client.prepare('SELECT id FROM orders ORDER BY paid_at').all() as { id: string }[]).map((r) => r.id);
  ok(await core.call('orders.review', { ids }));
  const printer = ok<PrinterView>(await core.call('printers.add', { name: '打包台', uri: server.uri, lang: 'tspl', documents: ['waybill'] }));
  const account = ok<WaybillAccountInfo>(await core.call('waybillAccounts.add', { name: '圆通自有', carrierCode: 'YTO', kind: 'pool', shopIds: ['shop-1'] }));
  ok(await core.call('waybillAccounts.addRange', { accountId: account.id, prefix: 'YT', start: 1, end: 50, width: 12 }));
  return { server, ids, printer };
}

async function printAndCheck(core: Core) {
  const { server, ids, printer } = await station(core);
  const r = ok<PrintLabelsResult>(await core.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
  expect(r).toMatchObject({ queued: 3, failed: [] });
  await core.printQueue.drain();
  expect(server.jobs.map((j) => j.complete)).toEqual([true, true, true]);
  const batch = ok<PrintBatchView>(await core.call('print.batch', { batchId: r.batchId }));
  expect(batch.finished).toBe(true);
  expect(batch.jobs.map((j) => [j.orderId, j.seq, j.total, j.state])).toEqual(ids.map((id, i) => [id, i + 1, 3, 'confirmed']));
  const queues = testDbOf(core).$client.prepare('SELECT DISTINCT queue FROM orders').all();
  expect(queues).toEqual([{ queue: 'printed' }]);
  // Again: the same labels are not printed twice.
  const again = ok<PrintLabelsResult>(await core.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
  expect(again).toMatchObject({ queued: 0, alreadyQueued: 3 });
  await core.printQueue.drain();
  expect(server.jobs).toHaveLength(3);
}

describe('the print queue in the core', () => {
  it('runs inline on a :memory: station', async () => {
    const core = await createCore({ dbFile: ':memory:', print: true });
    cleanups.push(() => core.close());
    await printAndCheck(core);
  });

  it('runs in the background worker on a station file', async () => {
    const tmp = tempDbFile();
    cleanups.push(tmp.cleanup);
    const core = await createCore({ dbFile: tmp.file, sync: false, syncIn: 'worker', print: true });
    cleanups.push(() => core.close());
    expect(core.syncIn).toBe('worker');
    await printAndCheck(core);
  }, 30_000);

  it('wakes the worker\'s queue when the host queues jobs, without being asked to drain', async () => {
    const tmp = tempDbFile();
    cleanups.push(tmp.cleanup);
    const core = await createCore({ dbFile: tmp.file, sync: false, syncIn: 'worker', print: true });
    cleanups.push(() => core.close());
    const { server, ids, printer } = await station(core);
    // A round trip to the worker: its queue is up (and idle) before anything is queued, so only a wake can send these.
    await core.printQueue.drain();
    ok(await core.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    const deadline = Date.now() + 20_000;
    while (server.jobs.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(server.jobs).toHaveLength(3);
  }, 30_000);

  it('sends nothing when the core runs without the print queue', async () => {
    const core = await createCore({ dbFile: ':memory:' });
    cleanups.push(() => core.close());
    const { server, ids, printer } = await station(core);
    ok(await core.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    await core.printQueue.drain();
    await new Promise((r) => setTimeout(r, 100));
    expect(server.jobs).toHaveLength(0);
    const jobs = ok<{ state: string }[]>(await core.call('printJobs.list', {}));
    expect(jobs.map((j) => j.state)).toEqual(['queued', 'queued', 'queued']);
  });

  it('tells the platform "shipped" when the label is out, on a station set to ship on print', async () => {
    const core = await createCore({ dbFile: ':memory:', print: true });
    cleanups.push(() => core.close());
    ok(await core.call('station.updateSettings', { shipOn: 'print' }));
    const { ids, printer } = await station(core);
    ok(await core.call('print.labels', { ids, printerId: printer.id, sortBy: 'paidAt' }));
    await core.printQueue.drain();
    const shipped = testDbOf(core).$client.prepare("SELECT count(*) AS n FROM orders WHERE stage = 'shipped' AND waybill_no LIKE 'YT%'").get() as { n: number };
    expect(shipped.n).toBe(3);
    const pushes = testDbOf(core).$client.prepare("SELECT count(*) AS n FROM pushes WHERE kind = 'ship'").get() as { n: number };
    expect(pushes.n).toBe(3);
  });
});
