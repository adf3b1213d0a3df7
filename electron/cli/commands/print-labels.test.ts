// `shopfleet print labels` through the real binary against a port-9100 capture server: a pool that
// runs short fails the rest with reasons and exit 1; after a refill the same command prints exactly
// the missing labels and exits 0; bad arguments exit 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PrinterView, WaybillAccountInfo } from '../../shared/contract.ts';
import type { Result } from '../../shared/result.ts';
import { platformOrder } from '../../core/api/test-fixtures.ts';
import { createCore } from '../../core/app.ts';
import { ingestOrders } from '../../core/orders/ingest.ts';
import { startCaptureServer } from '../../core/printing/capture-server.ts';
import { shopfleet } from '../run-shopfleet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-print-labels-'));
const dbFile = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('shopfleet print labels', () => {
  it('prints what it can, names the rest, and prints only those on a second run', { timeout: 180_000 }, async () => {
    const server = await startCaptureServer({ lang: 'tspl' });
    try {
      const core = await createCore({ dbFile, sync: false });
      let accountId: string;
      let ids: string[];
      try {
        core.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-1', '杭州女装旗舰店', 'taobao', 'active', 0)").run();
        ingestOrders(core.db, { shopId: 'shop-1', platform: 'taobao', orders: [1, 2, 3, 4, 5].map((n) => ({ order: platformOrder(n), raw: {} })) }, Date.now());
        ids = (core.db.$client.prepare('SELECT id FROM orders ORDER BY paid_at').all() as { id: string }[]).map((r) => r.id);
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
        const busy = await shopfleet(['print', 'labels', '--db', dbFile, '--status', 'awaiting_print', '--printer', '打包台']);
        expect(busy.code).toBe(1);
        expect(busy.stderr).toContain('正在发送这个工作站的打印任务');
      } finally {
        fs.rmSync(`${dbFile}.print-queue.lock`, { force: true });
      }
    } finally {
      await server.close();
    }
  });
});
