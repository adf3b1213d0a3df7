// Who the print queue's marks are written as: the queue itself at a station of its own, the person
// signed in at a station joined to a team hub (the hub knows the team's people and refuses an op of
// anyone else, so a label marked printed by "the queue" would never reach the other stations).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PrintLabelsResult } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';
import { startCaptureServer, type CaptureServer } from '../../sandbox/printing/capture-server.ts';
import { writeTx } from '../db/access.ts';
import { writeSignedIn } from '../hub/identity-local.ts';
import { addWaybillAccount } from '../waybills/accounts.ts';
import { addNumberRange } from '../waybills/pool.ts';
import { addPrinter, type Printer } from './printers.ts';
import { createPrintService, type PrintService } from './service.ts';

let fx: Fixture;
let server: CaptureServer;
let service: PrintService;
let printer: Printer;

beforeEach(async () => {
  fx = openFixture(0);
  server = await startCaptureServer({ lang: 'tspl' });
  printer = addPrinter(fx.ctx(), { name: '打包台 1', uri: server.uri, lang: 'tspl', dpi: 203, documents: ['waybill'] });
  const accountId = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] }).id;
  addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 10, width: 10 });
  service = createPrintService({ db: fx.db, events: fx.events, now: () => Date.now(), queue: { statusTimeoutMs: 500, confirmWithinMs: 2000, pollMs: 20 } });
  service.start();
});

afterEach(async () => {
  await service.stop();
  await server.close();
  fx.close();
});

async function printOne(n: number): Promise<string[]> {
  const ids = fx.addOrders([platformOrder(n)]);
  ok(await fx.call('orders.review', { ids }));
  const r = ok<PrintLabelsResult>(await fx.call('print.labels', { ids, printerId: printer.id }));
  expect(r.queued).toBe(1);
  await service.drain();
  return (fx.db.$client.prepare("SELECT actor FROM ops WHERE name = 'print.markPrinted' ORDER BY rowid").pluck().all() as string[]);
}

it('marks printed as the queue on a station of its own, and as the person signed in once one is', async () => {
  expect(await printOne(1)).toEqual(['打印队列']);
  writeTx(fx.db, (tx) => writeSignedIn(tx, { id: 'user_li', name: 'xiaoli', role: 'packer', shops: null }, Date.now()));
  expect(await printOne(2)).toEqual(['打印队列', 'xiaoli']);
});
