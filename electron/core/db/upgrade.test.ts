// Upgrading from every older schema after a crash: a station at schema version k with a row in
// every table, killed (SIGKILL) while those rows were still only in the WAL, is opened by today's
// app. The pre-migration backup must open on its own (no WAL beside it) and hold every row, and
// the migrated database must keep them too. A backup copied without checkpointing first loses
// exactly these rows.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, openDatabase } from './open.ts';

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}
const folder = defaultMigrationsFolder();
const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;
const CHILD = path.join(path.dirname(new URL(import.meta.url).pathname), '../../testkit/db/upgrade-child.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-upgrade-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A migrations folder holding the first k+1 migrations: the app as it was at schema version k. */
function migrationsUpTo(k: number): string {
  const out = path.join(dir, `migrations-${k}`);
  fs.mkdirSync(path.join(out, 'meta'), { recursive: true });
  const entries = journal.entries.slice(0, k + 1);
  for (const e of entries) fs.copyFileSync(path.join(folder, `${e.tag}.sql`), path.join(out, `${e.tag}.sql`));
  fs.writeFileSync(path.join(out, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return out;
}

const countsIn = (client: Database.Database, tables: string[]): Record<string, number> =>
  Object.fromEntries(tables.map((t) => [t, client.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));

describe('upgrade after a crash', () => {
  for (const entry of journal.entries.slice(0, -1)) {
    it(`from schema ${entry.tag}: the backup and the upgraded database keep the rows the WAL held`, () => {
      const file = path.join(dir, `station-${entry.idx}.db`);
      const child = spawnSync(process.execPath, [CHILD, file, migrationsUpTo(entry.idx)], { encoding: 'utf8' });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      const filled = JSON.parse(child.stdout.trim()) as Record<string, number>;
      const tables = Object.keys(filled);
      expect(tables).toEqual(expect.arrayContaining(['orders', 'order_items', 'shops', 'ops']));
      // The kill left committed rows that live only in the WAL.
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);

      const db = openDatabase(file);
      const backupFile = `${file}.bak-${entry.when}`;
      expect(fs.existsSync(backupFile)).toBe(true);
      expect(fs.existsSync(`${backupFile}-wal`)).toBe(false);
      const backup = new Database(backupFile, { readonly: true, fileMustExist: true });
      try {
        expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(countsIn(backup, tables)).toEqual(filled);
        const applied = backup.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get();
        expect(applied).toBe(entry.when);
      } finally {
        backup.close();
      }

      // Every table the old version had still exists and kept its row.
      const after = countsIn(db.$client, tables);
      for (const t of tables) expect(after[t], t).toBeGreaterThanOrEqual(filled[t]!);
      const newest = journal.entries.at(-1)!.when;
      expect(db.$client.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get()).toBe(newest);
      db.$client.close();
    });
  }
});
