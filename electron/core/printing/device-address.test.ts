// A `usb:` printer address writes only to a printer device. Through the core as the printers page
// and the CLI use it: an address naming the station database (or any regular file, a symlink to
// one, a folder) is refused when the printer is added or changed, and a test print to such a file —
// a symlink swapped after the printer was saved, or a row saved before the rule — fails with the
// reason and leaves the file exactly as it was. A pseudo-terminal is the real character device
// that stands in for /dev/usb/lp0. Files under /dev come from /dev/shm (tmpfs anyone may write),
// which is exactly where a regular file can hide behind a /dev path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PrintJobView, PrinterView } from '../../shared/contract.ts';
import { createCore, type Core } from '../app.ts';
import { startPtyPrinter, type PtyPrinter } from '../../testkit/printing/pty-printer.ts';
import { ok } from '../../testkit/results.ts';
import { testDbOf } from '../../testkit/station-db.ts';

let core: Core;
let tmp: string;
let shm: string;
const printers: PtyPrinter[] = [];
beforeEach(async () => {
  core = await createCore({ dbFile: ':memory:', print: true });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-devaddr-'));
  shm = fs.mkdtempSync('/dev/shm/shopfleet-devaddr-');
});
afterEach(async () => {
  for (const p of printers.splice(0)) p.stop();
  await core.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(shm, { recursive: true, force: true });
});

/** A real SQLite file with orders in it, as a copy of a station database would be. */
function stationCopy(dir: string) {
  const file = path.join(dir, 'shopfleet-copy.db');
  const db = new Database(file);
  db.exec("CREATE TABLE orders (id TEXT PRIMARY KEY, buyer TEXT); INSERT INTO orders VALUES ('o1', '张伟'), ('o2', '李娜');");
  db.close();
  const bytes = fs.readFileSync(file);
  return {
    file,
    intact() {
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      const again = new Database(file, { readonly: true });
      expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(again.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 2 });
      again.close();
    },
  };
}

const add = (uri: string, name = '面单机') => core.call('printers.add', { name, uri, lang: 'tspl' });

async function testPrint(printerId: string): Promise<PrintJobView> {
  const job = ok<PrintJobView>(await core.call('printers.testPrint', { id: printerId }));
  await core.printQueue.drain();
  const jobs = ok<PrintJobView[]>(await core.call('printJobs.list', { printerId }));
  return jobs.find((j) => j.id === job.id)!;
}

describe('usb: printer addresses', () => {
  it('refuses the station database as an address when a printer is added, in words, and writes nothing', async () => {
    const db = stationCopy(tmp);
    const r = await add(`usb:${db.file}`);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('不是打印机设备') } });
    db.intact();
    expect(ok<PrinterView[]>(await core.call('printers.list', {}))).toEqual([]);
  });

  it('refuses a regular file, a symlink to one and a folder even under /dev, at add and at change', async () => {
    const db = stationCopy(shm);
    const link = path.join(shm, 'lp0');
    fs.symlinkSync(db.file, link);
    for (const uri of [`usb:${db.file}`, `usb:${link}`]) {
      expect(await add(uri)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('普通文件') } });
    }
    expect(await add(`usb:${shm}`)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('目录') } });
    // /dev/null is a character device: accepted. Changing it to the file is refused the same way.
    const p = ok<PrinterView>(await add('usb:/dev/null'));
    const change = await core.call('printers.update', { id: p.id, patch: { uri: `usb:${link}` } });
    expect(change).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('普通文件') } });
    expect(ok<PrinterView[]>(await core.call('printers.list', {})).map((x) => x.uri)).toEqual(['usb:/dev/null']);
    db.intact();
  });

  it('prints to a device; when the saved address later leads to a file, the test print fails with the reason and the file is intact', async () => {
    const printer = await startPtyPrinter('read');
    printers.push(printer);
    // A stable name in front of the device, as udev's /dev/serial/by-id links are.
    const link = path.join(shm, 'label-printer');
    fs.symlinkSync(printer.path, link);
    const p = ok<PrinterView>(await add(`usb:${link}`));
    const first = await testPrint(p.id);
    expect(first.state).toBe('confirmed');
    // The "printer" relays what it read through its stdout pipe: wait for it to arrive.
    for (let i = 0; i < 100 && printer.readSoFar().length < 4; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(printer.readSoFar().subarray(0, 4).toString('latin1')).toBe('SIZE');

    // Someone points the name at a copy of the station database.
    const db = stationCopy(shm);
    fs.rmSync(link);
    fs.symlinkSync(db.file, link);
    const second = await testPrint(p.id);
    expect(second.state).toBe('failed');
    // The screen words the reason (打印机地址不是打印机设备…普通文件、目录、管道都不是打印机).
    expect(second.lastErrorWhy).toMatchObject({ reason: 'print_job.failed', details: { failure: 'not_a_device' } });
    db.intact();
  });

  it('a printer row saved before the rule (an address outside /dev) fails its jobs and leaves the file intact', async () => {
    const db = stationCopy(tmp);
    const p = ok<PrinterView>(await add('usb:/dev/null', '旧地址'));
    // As an older version would have stored it.
    testDbOf(core).$client.prepare('UPDATE printers SET uri = ? WHERE id = ?').run(`usb:${db.file}`, p.id);
    const job = await testPrint(p.id);
    expect(job.state).toBe('failed');
    expect(job.lastErrorWhy).toMatchObject({ reason: 'print_job.failed', details: { failure: 'not_a_device' } });
    db.intact();
    const status = ok<{ kind: string; words: string }>(await core.call('printers.status', { id: p.id }));
    expect(status).toMatchObject({ kind: 'unreachable', words: expect.stringContaining('不是打印机设备') });
  });
});
