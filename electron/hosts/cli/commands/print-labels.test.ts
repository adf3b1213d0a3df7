// `shopfleet print labels` through the real binary against a port-9100 capture server: a pool that
// runs short fails the rest with reasons and exit 1; after a refill the same command prints exactly
// the missing labels and exits 0; bad arguments exit 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PrinterView, WaybillAccountInfo } from '../../../shared/contract.ts';
import { platformOrder } from '../../../testkit/api-fixtures.ts';
import { createCore } from '../../../core/app.ts';
import { ingestOrders } from '../../../core/orders/ingest.ts';
import { startCaptureServer } from '../../../sandbox/printing/capture-server.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';
import { ok } from '../../../testkit/results.ts';
import { testDbOf } from '../../../testkit/station-db.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-print-labels-'));
const dbFile = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet print labels', () => {
  it('prints what it can, names the rest, and prints only those on a second run', { timeout: 180_000 }, async () => {
    const server = await startCaptureServer({ lang: 'tspl' });
    try {
      const core = await createCore({ dbFile, sync: false });
      let accountId: string;
      let ids: string[];
      try {
        testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
        ingestOrders(testDbOf(core), { shopId: 'shop-1', platform: 'taobao', orders: [1, 2, 3, 4, 5].map((n) => ({ order: platformOrder(n), raw: {} })) }, Date.now());
        ids = (testDbOf(core).$client.prepare('SELECT id FROM orders ORDER BY paid_at').all() as { id: string }[]).map((r) => r.id);
        ok(await core.call('orders.review', { ids: ids.slice(0, 4) })); // order 5 stays pending review
        ok<PrinterView>(await core.call('printers.add', { name: '打包台', uri: server.uri, lang: 'tspl' }));
        accountId = ok<WaybillAccountInfo>(await core.call('waybillAccounts.add', { name: '韵达自有', carrierCode: 'YUNDA', kind: 'pool', shopIds: ['shop-1'] })).id;
        ok(await core.call('waybillAccounts.addRange', { accountId, prefix: 'YD', start: 1, end: 3, width: 10 }));
      } finally {
        await core.close();
      }

      const first = await shopfleet(['print', 'labels', '--db', dbFile, '--status', 'awaiting_print', '--printer', '打包台', '--sort', 'paidAt']);
      expect(first.code, first.stderr).toBe(1);
      expect(server.jobs, first.stderr).toHaveLength(3);
      expect(first.stdout.trim().split('\n').map((l) => l.split('\t').slice(2))).toEqual([
        ['1/3', 'YD0000000001', 'confirmed'],
        ['2/3', 'YD0000000002', 'confirmed'],
        ['3/3', 'YD0000000003', 'confirmed'],
      ]);
      expect(first.stderr).toContain(`${ids[3]}\tP00000004\tpool_exhausted`);

      const refill = await createCore({ dbFile, sync: false });
      try {
        ok(await refill.call('waybillAccounts.addRange', { accountId, prefix: 'YD', start: 4, end: 9, width: 10 }));
      } finally {
        await refill.close();
      }
      // The four reviewed orders again (three already printed) and the unreviewed fifth by its number.
      const second = await shopfleet(['print', 'labels', '--db', dbFile, '--orders', [...ids.slice(0, 4), 'P00000005'].join(','), '--printer', '打包台', '--json']);
      expect(second.code, second.stderr).toBe(1);
      const out = JSON.parse(second.stdout) as { queued: number; alreadyQueued: number; printed: number; problems: { id: string; code: string }[] };
      expect(out).toMatchObject({ queued: 1, alreadyQueued: 3, printed: 1 });
      expect(out.problems).toEqual([expect.objectContaining({ id: ids[4], code: 'pending_review' })]);
      expect(server.jobs).toHaveLength(4);

      const third = await shopfleet(['print', 'labels', '--db', dbFile, '--orders', ids.slice(0, 4).join(','), '--printer', '打包台']);
      expect(third.code, third.stderr).toBe(0);
      expect(server.jobs).toHaveLength(4);

      const [noTarget, both, unknown] = await Promise.all([
        shopfleet(['print', 'labels', '--db', dbFile, '--printer', '打包台']),
        shopfleet(['print', 'labels', '--db', dbFile, '--printer', '打包台', '--orders', 'x', '--status', 'awaiting_print']),
        shopfleet(['print', 'labels', '--db', dbFile, '--printer', '打包台', '--orders', 'nope']),
      ]);
      expect([noTarget.code, both.code, unknown.code]).toEqual([2, 2, 2]);
      expect(unknown.stderr).toContain('unknown order(s): nope');

      // Another live process (this one, by its pid) holds the station's print queue: refused, nothing sent.
      fs.writeFileSync(`${dbFile}.print-queue.lock`, String(process.pid));
      try {
        const busy = await shopfleet(['print', 'labels', '--db', dbFile, '--orders', ids.slice(0, 4).join(','), '--printer', '打包台']);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toContain(`Another process (pid ${process.pid}) is sending this station's print jobs`);
      } finally {
        fs.rmSync(`${dbFile}.print-queue.lock`, { force: true });
      }
    } finally {
      await server.close();
    }
  });

  it('after a crash mid-batch, names the uncertain label holding the lane and the command that answers it, and exits 1', { timeout: 180_000 }, async () => {
    const server = await startCaptureServer({ lang: 'tspl' });
    const crashDb = path.join(dir, 'crash.db');
    try {
      let ids: string[];
      let batchId: string;
      const core = await createCore({ dbFile: crashDb, sync: false });
      try {
        testDbOf(core).$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
        const numbers = Array.from({ length: 20 }, (_, i) => i + 1);
        ingestOrders(testDbOf(core), { shopId: 'shop-1', platform: 'taobao', orders: numbers.map((n) => ({ order: platformOrder(n), raw: {} })) }, Date.now());
        ids = (testDbOf(core).$client.prepare('SELECT id FROM orders ORDER BY paid_at').all() as { id: string }[]).map((r) => r.id);
        ok(await core.call('orders.review', { ids }));
        const printer = ok<PrinterView>(await core.call('printers.add', { name: '打包台', uri: server.uri, lang: 'tspl' }));
        const accountId = ok<WaybillAccountInfo>(await core.call('waybillAccounts.add', { name: '韵达自有', carrierCode: 'YUNDA', kind: 'pool', shopIds: ['shop-1'] })).id;
        ok(await core.call('waybillAccounts.addRange', { accountId, prefix: 'YD', start: 1, end: 20, width: 10 }));
        // The batch is queued (this core does not send), then the station "crashes" after label 1
        // came out and while label 2 was on the wire: what a kill leaves in the queue.
        batchId = ok<{ batchId: string }>(await core.call('print.labels', { ids, printerId: printer.id })).batchId;
        const jobs = testDbOf(core).$client.prepare('SELECT id FROM print_jobs WHERE batch_id = ? ORDER BY seq').pluck().all(batchId) as string[];
        testDbOf(core).$client.prepare("UPDATE print_jobs SET state = 'confirmed', sent_at = ?, confirmed_at = ? WHERE id = ?").run(Date.now(), Date.now(), jobs[0]);
        testDbOf(core).$client.prepare("UPDATE print_jobs SET state = 'sending', attempts = 1 WHERE id = ?").run(jobs[1]);
      } finally {
        await core.close();
      }

      const rerun = await shopfleet(['print', 'labels', '--db', crashDb, '--orders', ids.join(','), '--printer', '打包台']);
      expect(rerun.code, rerun.stderr).toBe(1);
      expect(server.jobs).toHaveLength(0);
      const uncertain = /--job (\S+) --printed/.exec(rerun.stderr)?.[1];
      expect(uncertain, rerun.stderr).toBeDefined();
      expect(rerun.stderr).toContain('printer 打包台: its lane is held by an uncertain label');
      expect(rerun.stderr).toContain('order P00000002, 2/20');
      expect(rerun.stderr).toContain('18 label(s) wait behind it');
      expect(rerun.stderr).toContain(`shopfleet print answer --db ${crashDb} --job ${uncertain} --reprint`);
      expect(rerun.stderr).toMatch(/0 printed, 20 queued before, 19 not printed/);

      // The command as printed, run as a person would paste it: the label did come out.
      const answer = rerun.stderr.split('\n').find((l) => l.includes('--printed'))?.replace(/^.*?shopfleet /, '') ?? '';
      const answered = await shopfleet(answer.split(' '));
      expect(answered.code, answered.stderr).toBe(0);
      expect(answered.stdout).toContain(`${uncertain}\tconfirmed`);
      expect(answered.stderr).toContain('18 label(s) waiting behind it on 打包台 were sent');
      expect(server.jobs).toHaveLength(18);

      const done = await shopfleet(['print', 'labels', '--db', crashDb, '--orders', ids.join(','), '--printer', '打包台']);
      expect(done.code, done.stderr).toBe(0);
      expect(done.stderr).toContain('0 not printed');
      expect(server.jobs).toHaveLength(18);
    } finally {
      await server.close();
    }
  });
});
