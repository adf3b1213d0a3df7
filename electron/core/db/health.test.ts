import { spawnSync } from 'node:child_process';
// The station database is checked when it opens, and what is wrong is said in words: a damaged file
// (real pages overwritten), a file the user cannot write (another owner, a read-only mount) and a
// full disk (a real tmpfs filled to the last byte). Read-only and full-disk cases need a real mount
// or a second user, which only root has: where this process cannot mount, those cases are skipped
// (said in the test name); the damaged-file and CLI cases run everywhere.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { dispatch, type Handlers } from '../api/dispatch.ts';
import { describeDatabaseError, MIN_FREE_BYTES } from './health.ts';
import { openDatabase } from './open.ts';
import {
  canMountTmpfs,
  corruptPages,
  fillDisk,
  isRoot,
  makeStation,
  mountTmpfs,
  pagesOf,
  remountReadOnly,
  sha256,
  unmount,
} from '../../testkit/db/station-file.ts';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const owner: Actor = { userId: 'u1', name: '店主', role: 'owner' };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-health-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function openError(file: string, options: Parameters<typeof openDatabase>[1] = {}): AppError {
  try {
    openDatabase(file, options).$client.close();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String((err as Error)?.stack ?? err)}`);
  }
  throw new Error('expected the database to be refused, and it opened');
}

/** Damage the middle third of the orders table, as a failing disk would. */
function damageOrders(file: string): void {
  const pages = pagesOf(file, 'orders');
  expect(pages.length).toBeGreaterThan(30);
  corruptPages(file, pages.slice(Math.floor(pages.length / 3), Math.floor((2 * pages.length) / 3)));
}

/** Run the shopfleet CLI (optionally as another user) and collect what a person would see. */
function shopfleet(args: string[], opts: { uid?: number; gid?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'shopfleet.mjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...opts,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a damaged database', () => {
  it('is refused at start as DB_DAMAGED, naming the file and its newest backup, and is not written', () => {
    const file = path.join(dir, 'station.db');
    makeStation(file);
    const backup = `${file}.bak-1700000000000`;
    fs.copyFileSync(file, backup);
    damageOrders(file);
    const before = sha256(file);

    const e = openError(file);
    expect(e.code).toBe('DB_DAMAGED');
    expect(e.message).toContain(file);
    expect(e.message).toContain(backup);
    expect(e.message).toMatch(/quick check/);
    expect(e.message).not.toMatch(/\n/);
    expect(sha256(file)).toBe(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.bak-'))).toEqual([path.basename(backup)]);
    // The advice works: the backup opens and holds every order.
    const restored = openDatabase(backup);
    expect(restored.$client.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(3000);
    restored.$client.close();
  });

  it('a file that is not a database at all is DB_DAMAGED, and says no backup was found', () => {
    const file = path.join(dir, 'station.db');
    makeStation(file, 50);
    corruptPages(file, [1]);
    const e = openError(file);
    expect(e.code).toBe('DB_DAMAGED');
    expect(e.message).toMatch(/No backup of it was found/);
  });

  it('past the size the start-up check reads whole, a damaged page answers DB_DAMAGED when read, not INTERNAL', async () => {
    const file = path.join(dir, 'station.db');
    makeStation(file);
    damageOrders(file);
    // Only the essential tables are checked at start for a file this "large": it opens.
    const db = openDatabase(file, { fullCheckMaxBytes: 0 });
    const handlers = { 'orders.counts': () => db.$client.prepare("SELECT count(*) FROM orders WHERE receiver_address LIKE '%x%'").get() } as unknown as Handlers;
    const r = await dispatch(handlers, 'orders.counts', {}, owner);
    db.$client.close();
    expect(r.ok ? 'ok' : r.error.code).toBe('DB_DAMAGED');
    expect(r.ok ? '' : r.error.message).toMatch(/backup/);
  });

  it('the CLI says it in one sentence and exits 1, without a stack trace', async () => {
    const file = path.join(dir, 'station.db');
    makeStation(file);
    damageOrders(file);
    const r = await shopfleet(['orders', 'list', '--db', file, '--limit', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^shopfleet: DB_DAMAGED\b/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('a database the user cannot write', () => {
  it.runIf(isRoot || process.platform !== 'win32')('another user\'s file (0644, owner root) is DB_READ_ONLY in one sentence, and untouched', async () => {
    const file = path.join(dir, 'station.db');
    makeStation(file, 200);
    const before = sha256(file);
    if (isRoot) {
      // chmod stops no write by root: run the CLI as `nobody`, for whom root's 0644 file is read-only.
      // A checkout under a folder `nobody` cannot enter (a 0700 temp dir) cannot run that CLI at all.
      const reach = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path.resolve('bin/shopfleet.mjs'))})`], { uid: 65534, gid: 65534 });
      if (reach.status !== 0) return;
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(file, 0o644);
      const r = await shopfleet(['orders', 'list', '--db', file, '--limit', '2'], { uid: 65534, gid: 65534 });
      expect(r.stderr).toMatch(/^shopfleet: DB_READ_ONLY\b/);
      expect(r.stderr).toMatch(/write access/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).toBe(1);
    } else {
      fs.chmodSync(file, 0o444);
      const e = openError(file);
      expect(e.code).toBe('DB_READ_ONLY');
      expect(e.message).toContain(file);
    }
    expect(sha256(file)).toBe(before);
  });

  const mountOk = canMountTmpfs(path.join(os.tmpdir(), `shopfleet-mount-probe-${process.pid}`));
  it.runIf(mountOk)('a station on a read-only mount is DB_READ_ONLY (not DISK_FULL, not INTERNAL); a new one there too', () => {
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    expect(mountTmpfs(mnt, '16m')).toBe(true);
    try {
      const file = path.join(mnt, 'station.db');
      makeStation(file, 200);
      remountReadOnly(mnt);
      const e = openError(file);
      expect(e.code).toBe('DB_READ_ONLY');
      expect(e.message).toContain(file);
      expect(openError(path.join(mnt, 'new', 'station.db')).code).toBe('DB_READ_ONLY');
      expect(openError(path.join(mnt, 'fresh.db')).code).toBe('DB_READ_ONLY');
    } finally {
      unmount(mnt);
    }
  });

  it.runIf(mountOk)('a full disk at start is DISK_FULL with the space left; freeing space opens it with every order', () => {
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    expect(mountTmpfs(mnt, '16m')).toBe(true);
    try {
      const file = path.join(mnt, 'station.db');
      makeStation(file, 500);
      const filler = fillDisk(mnt);
      const e = openError(file);
      expect(e.code).toBe('DISK_FULL');
      expect(e.message).toContain(file);
      expect(e.message).toMatch(/KB left/);
      // A new station on the full disk: refused the same way, and no empty file is left behind.
      expect(openError(path.join(mnt, 'fresh.db')).code).toBe('DISK_FULL');
      expect(fs.existsSync(path.join(mnt, 'fresh.db'))).toBe(false);
      fs.rmSync(filler);
      const db = openDatabase(file);
      expect(db.$client.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(500);
      db.$client.close();
    } finally {
      unmount(mnt);
    }
  });

  it.runIf(mountOk)('a disk that fills while the station runs: the failing write is DISK_FULL, not INTERNAL', async () => {
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    expect(mountTmpfs(mnt, '16m')).toBe(true);
    try {
      const file = path.join(mnt, 'station.db');
      makeStation(file, 100);
      const db = openDatabase(file);
      const filler = fillDisk(mnt);
      const handlers = {
        'orders.addNote': () => db.$client.prepare("INSERT INTO meta (key, value) VALUES ('big', ?)").run('x'.repeat(2 * MIN_FREE_BYTES)),
      } as unknown as Handlers;
      const r = await dispatch(handlers, 'orders.addNote', { id: 'o1', body: 'x' }, owner);
      expect(r.ok ? 'ok' : r.error.code).toBe('DISK_FULL');
      db.$client.close();
      fs.rmSync(filler);
    } finally {
      unmount(mnt);
    }
  });
});

describe('describeDatabaseError', () => {
  it('leaves errors that are not about the database alone', () => {
    expect(describeDatabaseError(new Error('boom'), null)).toBeNull();
    expect(describeDatabaseError(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), null)).toBeNull();
  });
});
