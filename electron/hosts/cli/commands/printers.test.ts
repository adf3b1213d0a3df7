// `shopfleet printers add|list` and `print jobs` through the real binary: exit codes, messages,
// and what lands in the database (read back in-process).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../core/api/events.ts';
import { HybridClock } from '../../../core/api/hlc.ts';
import { openDatabase } from '../../../core/db/open.ts';
import type { PrintJob } from '../../../core/printing/jobs.ts';
import type { Printer } from '../../../core/printing/printers.ts';
import { enqueue } from '../../../core/printing/queue-commands.ts';
import { actorNamed, defaultActor } from '../../../core/session.ts';
import { shopfleet } from '../../../testkit/run-shopfleet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-printers-cli-'));
const dbFile = path.join(dir, 'station.db');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('shopfleet printers / print jobs', () => {
  it('refuses a printer from a packer through the core, and writes nothing', { timeout: 60_000 }, async () => {
    const own = path.join(dir, 'roles.db');
    const first = await shopfleet(['printers', 'add', '--db', own, '--name', '面单机', '--uri', 'tcp://192.168.1.51', '--lang', 'tspl']);
    expect(first.code, first.stderr).toBe(0);
    const counts = () => {
      const db = openDatabase(own);
      try {
        actorNamed(db, '打包员小李', 'packer');
        return ['printers', 'audit_log', 'ops'].map((t) => (db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
      } finally {
        db.$client.close();
      }
    };
    const before = counts();
    const r = await shopfleet(['printers', 'add', '--db', own, '--name', '面单机 2', '--uri', 'tcp://192.168.1.52', '--lang', 'tspl', '--user', '打包员小李']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FORBIDDEN');
    expect(counts()).toEqual(before);
  });

  it('adds, refuses bad input, lists, and shows the queue', { timeout: 60_000 }, async () => {
    const add = await shopfleet(['printers', 'add', '--db', dbFile, '--name', '面单机 1', '--uri', 'tcp://192.168.1.50', '--lang', 'tspl', '--dpi', '300', '--documents', 'waybill']);
    expect(add.code, add.stderr).toBe(0);
    const id = add.stdout.trim();
    const [dup, badUri, badLang, badDpi] = await Promise.all([
      shopfleet(['printers', 'add', '--db', dbFile, '--name', '面单机 1', '--uri', 'usb:/dev/usb/lp0', '--lang', 'tspl']),
      shopfleet(['printers', 'add', '--db', dbFile, '--name', 'B', '--uri', 'lp0', '--lang', 'tspl']),
      shopfleet(['printers', 'add', '--db', dbFile, '--name', 'C', '--uri', 'cups:Q', '--lang', 'epl']),
      shopfleet(['printers', 'add', '--db', dbFile, '--name', 'D', '--uri', 'cups:Q', '--lang', 'zpl', '--dpi', '600']),
    ]);
    expect([dup.code, badUri.code, badLang.code, badDpi.code]).toEqual([1, 1, 2, 2]);
    expect(dup.stderr).toContain('A printer named "面单机 1" already exists');
    expect(badUri.stderr).toContain('无法识别的打印机地址');
    expect(badLang.stderr).toContain('--lang must be one of');

    const list = await shopfleet(['printers', 'list', '--db', dbFile, '--json']);
    expect(list.code).toBe(0);
    const printers = JSON.parse(list.stdout) as Printer[];
    expect(printers).toEqual([expect.objectContaining({ id, name: '面单机 1', uri: 'tcp://192.168.1.50:9100', lang: 'tspl', dpi: 300, documents: ['waybill'], paused: false })]);

    const db = openDatabase(dbFile);
    try {
      const ctx = { db, actor: defaultActor(db), events: new EventBus(), clock: new HybridClock('t', Date.now), now: Date.now };
      enqueue(ctx, [1, 2].map((n) => ({ printerId: id, idemKey: `k${n}`, docType: 'waybill' as const, orderId: `o${n}`, payload: {}, seq: n, total: 2 })));
    } finally {
      db.$client.close();
    }
    const jobs = await shopfleet(['print', 'jobs', '--db', dbFile, '--json']);
    expect(jobs.code, jobs.stderr).toBe(0);
    expect((JSON.parse(jobs.stdout) as PrintJob[]).map((j) => [j.idemKey, j.state, j.seq, j.total])).toEqual([
      ['k1', 'queued', 1, 2],
      ['k2', 'queued', 2, 2],
    ]);
    const text = await shopfleet(['print', 'jobs', '--db', dbFile, '--printer', '面单机 1', '--state', 'queued']);
    expect(text.stdout.trim().split('\n').map((l) => l.split('\t').slice(1, 4))).toEqual([
      ['queued', 'waybill', '1/2'],
      ['queued', 'waybill', '2/2'],
    ]);
    expect((await shopfleet(['print', 'jobs', '--db', dbFile, '--state', 'lost'])).code).toBe(2);
    expect((await shopfleet(['printers', 'remove'])).code).toBe(2);
  });
});
