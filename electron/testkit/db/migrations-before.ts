// A migrations folder holding only the migrations before a tag: a database opened with it stands for
// a station still on an earlier app version, which opening it again with the real folder upgrades.
import fs from 'node:fs';
import path from 'node:path';
import { defaultMigrationsFolder } from '../../core/db/open.ts';

/** Writes the folder under `dir` with the migrations whose tag sorts before `tag` ('0008', '0022', ...) and returns its path. */
export function migrationsBefore(tag: string, dir: string): string {
  const folder = defaultMigrationsFolder();
  const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const old = path.join(dir, `migrations-before-${tag}`);
  fs.mkdirSync(path.join(old, 'meta'), { recursive: true });
  const entries = journal.entries.filter((e) => e.tag < tag);
  for (const e of entries) fs.copyFileSync(path.join(folder, `${e.tag}.sql`), path.join(old, `${e.tag}.sql`));
  fs.writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return old;
}
