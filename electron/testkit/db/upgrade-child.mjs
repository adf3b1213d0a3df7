// Test child for the upgrade test (upgrade.test.ts): opens a station database at an older schema
// as the app would (WAL), puts one row in every table, and dies by SIGKILL with those rows still
// only in the WAL — the state a crash leaves for the next start's backup-then-migrate.
// Usage: node upgrade-child.mjs <db file> <migrations folder>
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

const [file, folder] = process.argv.slice(2);
const client = new Database(file);
client.pragma('journal_mode = WAL');
client.pragma('foreign_keys = ON');
migrate(drizzle(client), { migrationsFolder: folder });
// Checkpoint what the migration wrote, then keep everything after it in the WAL.
client.pragma('wal_checkpoint(TRUNCATE)');
client.pragma('wal_autocheckpoint = 0');

const tables = client
  .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
  .all()
  // FTS5 tables and their shadow tables are filled by the app's own code, not by plain inserts.
  .filter((t) => !/VIRTUAL TABLE/i.test(t.sql ?? ''));
const virtualNames = client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all();
const shadow = (name) => virtualNames.some((v) => name.startsWith(`${v}_`));
const fill = tables.filter((t) => !shadow(t.name)).map((t) => t.name);

// Parents before children: a row's foreign keys point at the one row of each parent table.
const parentsOf = (t) => client.prepare(`PRAGMA foreign_key_list("${t}")`).all();
const ordered = [];
const visit = (t, seen = new Set()) => {
  if (ordered.includes(t) || seen.has(t)) return;
  seen.add(t);
  for (const fk of parentsOf(t)) if (fill.includes(fk.table) && fk.table !== t) visit(fk.table, seen);
  ordered.push(t);
};
fill.forEach((t) => visit(t));

const values = new Map(); // `${table}.${column}` → the value written
const filled = {};
client.transaction(() => {
  for (const t of ordered) {
    const cols = client.prepare(`PRAGMA table_info("${t}")`).all();
    const fks = parentsOf(t);
    const row = cols.map((c) => {
      const fk = fks.find((k) => k.from === c.name);
      if (fk && fill.includes(fk.table)) return values.get(`${fk.table}.${fk.to}`) ?? null;
      const type = String(c.type).toUpperCase();
      if (type.includes('INT')) return 1;
      if (type.includes('REAL')) return 1.5;
      if (type.includes('BLOB')) return Buffer.from([0]);
      // Text columns holding JSON are read as JSON by later migrations and by the app.
      return /settings|payload|json|details|args|data|options|sender|receiver|filter|before|after|problems|documents|routing/i.test(c.name) ? '{}' : `v-${t}-${c.name}`;
    });
    cols.forEach((c, i) => values.set(`${t}.${c.name}`, row[i]));
    const names = cols.map((c) => `"${c.name}"`).join(', ');
    client.prepare(`INSERT INTO "${t}" (${names}) VALUES (${cols.map(() => '?').join(', ')})`).run(...row);
    filled[t] = client.prepare(`SELECT count(*) FROM "${t}"`).pluck().get();
  }
})();
process.stdout.write(`${JSON.stringify(filled)}\n`, () => process.kill(process.pid, 'SIGKILL'));
