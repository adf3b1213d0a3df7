// One print-queue sender per database: a second queue (this process or another live one) is
// refused, a lock left by a dead process is taken over, and stop() gives it back.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { PrintQueue } from './queue-sender.ts';
import { takeQueueLock } from './queue-lock.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(0);
});
afterEach(() => f.close());

const newQueue = () => new PrintQueue({ db: f.db, events: f.events, now: Date.now, render: async () => Buffer.alloc(0), transportFor: () => ({ describe: 'none', send: async () => undefined }) });
const lockFile = () => `${f.db.$client.name}.print-queue.lock`;

describe('print queue lock', () => {
  it('refuses a second queue on the same database until the first stops', async () => {
    const a = newQueue();
    a.start();
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(String(process.pid));
    expect(() => newQueue().start()).toThrow(AppError);
    await a.stop();
    expect(fs.existsSync(lockFile())).toBe(false);
    const b = newQueue();
    b.start();
    await b.stop();
  });

  it("refuses while another live process holds it, takes over once that process is gone", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid!;
    fs.writeFileSync(lockFile(), String(pid));
    try {
      expect(() => takeQueueLock(f.db.$client.name)).toThrow(expect.objectContaining({ reason: 'print_queue.locked', details: expect.objectContaining({ pid }) }));
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
    }
    const q = newQueue();
    q.start();
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(String(process.pid));
    await q.stop();
  });

  it('needs no lock for an in-memory database', () => {
    expect(takeQueueLock(':memory:').file).toBeNull();
  });
});
