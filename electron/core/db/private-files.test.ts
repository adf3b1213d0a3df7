// The station's files hold buyers' names and addresses: the database, its WAL and shared memory,
// its backups and exports are the user's alone (0600 in a 0700 folder), whatever the umask, and a
// station written by an older version is tightened when it opens. POSIX only (Windows has no modes).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeExport } from '../orders/export.ts';
import { defaultMigrationsFolder, openDatabase } from './open.ts';
import { makeStation } from '../../testkit/db/station-file.ts';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const mode = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8).padStart(3, '0');

let dir: string;
let umask: number;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-modes-'));
  // The loosest umask: the modes must come from the code, not from the shell's defaults.
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('station files are private', () => {
  it('a new station: folder 0700; database, WAL and shared memory 0600 while it is open', () => {
    const folder = path.join(dir, 'nested', 'data');
    const file = path.join(folder, 'station.db');
    const db = openDatabase(file);
    db.$client.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    expect({ folder: mode(folder), db: mode(file), wal: mode(`${file}-wal`), shm: mode(`${file}-shm`) }).toEqual({
      folder: '700',
      db: '600',
      wal: '600',
      shm: '600',
    });
    db.$client.close();
  });

  it('a station an older version left 0644 in a 0755 folder (WAL included) is tightened when it opens', () => {
    const folder = path.join(dir, 'data');
    const file = path.join(folder, 'station.db');
    makeStation(file, 20);
    // As the old version left it, with a WAL from a session that did not shut down.
    const old = openDatabase(file);
    old.$client.pragma('wal_autocheckpoint = 0');
    old.$client.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    fs.copyFileSync(file, `${file}.bak-1700000000000`);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.bak-1700000000000`]) fs.chmodSync(f, 0o644);
    fs.chmodSync(folder, 0o755);
    const db = openDatabase(file);
    expect({ folder: mode(folder), db: mode(file), wal: mode(`${file}-wal`), shm: mode(`${file}-shm`), backup: mode(`${file}.bak-1700000000000`) }).toEqual({
      folder: '700',
      db: '600',
      wal: '600',
      shm: '600',
      backup: '600',
    });
    db.$client.close();
    old.$client.close();
  });

  it('the backup made before an upgrade is 0600', () => {
    const folder = defaultMigrationsFolder();
    const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
    const first = journal.entries[0]!;
    const old = path.join(dir, 'old-migrations');
    fs.mkdirSync(path.join(old, 'meta'), { recursive: true });
    fs.copyFileSync(path.join(folder, `${first.tag}.sql`), path.join(old, `${first.tag}.sql`));
    fs.writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: [first] }));
    const file = path.join(dir, 'data', 'station.db');
    openDatabase(file, { migrationsFolder: old }).$client.close();
    fs.chmodSync(file, 0o644);
    openDatabase(file).$client.close();
    const backup = `${file}.bak-${first.when}`;
    expect(fs.existsSync(backup)).toBe(true);
    expect(mode(backup)).toBe('600');
  });

  it('an export written to a file is 0600', async () => {
    const file = path.join(dir, 'data', 'station.db');
    makeStation(file, 5);
    const db = openDatabase(file);
    const out = path.join(dir, 'orders.csv');
    const r = await writeExport(db, { filter: {}, columns: ['platformOrderId', 'receiverName'], format: 'csv' }, out);
    db.$client.close();
    expect(r.rowCount).toBe(5);
    expect(mode(out)).toBe('600');
  });

  it('the CLI\'s export file is 0600 (the umask the command inherits is 0)', async () => {
    const file = path.join(dir, 'data', 'station.db');
    makeStation(file, 5);
    const out = path.join(dir, 'out', 'orders.csv');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'shopfleet.mjs'), 'export', '--db', file, '--queue', 'all', '--columns', 'platformOrderId,receiverName', '--out', out], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toMatch(/exported 5 orders/);
    expect(r.code).toBe(0);
    expect(mode(out)).toBe('600');
  });

  it('a folder that holds other things (the temp folder itself) keeps its mode; the files are still 0600', () => {
    const tmp = os.tmpdir();
    const before = mode(tmp);
    const file = path.join(tmp, `shopfleet-modes-${process.pid}.db`);
    try {
      openDatabase(file).$client.close();
      expect(mode(tmp)).toBe(before);
      expect(mode(file)).toBe('600');
    } finally {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
  });
});
