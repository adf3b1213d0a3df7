// Opens the station database: private file modes, native binding, pragmas, health checks (quick
// check, write probe, free space), backup-then-migrate, and version checks. Whatever goes wrong is an
// AppError that says what and what to do (db/health.ts), never a raw SQLite or file system error.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { AppError } from '../../shared/result.ts';
import { backupsOf, checkFreeSpace, describeDatabaseError, probeWrite, quickCheck } from './health.ts';
import { copyPrivateFile, ensurePrivateDir, preparePrivateDatabase, removeIfEmpty, tightenFile } from './private-files.ts';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenOptions {
  /** A .node file built for the running runtime (Electron passes its own ABI build). */
  nativeBinding?: string;
  /** Where the drizzle migrations live; defaults to the folder beside this module. */
  migrationsFolder?: string;
  /** Copy the file aside before applying migrations to a non-empty database (default true). */
  backup?: boolean;
  readonly?: boolean;
  /**
   * Apply pending migrations (default true). A second connection to a database its host already
   * opened (the background worker) passes false: no migrate, no backup, no journal read.
   */
  migrate?: boolean;
  /** Up to this file size the start-up quick check reads the whole file (default FULL_CHECK_MAX_BYTES). */
  fullCheckMaxBytes?: number;
}

export function defaultMigrationsFolder(): string {
  return process.env.SHOPFLEET_MIGRATIONS ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

function readJournal(folder: string): JournalEntry[] {
  const file = path.join(folder, 'meta', '_journal.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: JournalEntry[] }).entries;
}

function loadDriver(file: string, options: OpenOptions): Database.Database {
  try {
    return new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.readonly ? { readonly: true } : {}),
    });
  } catch (err) {
    const message = String((err as Error).message ?? err);
    if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|not a valid Win32/i.test(message)) {
      throw new AppError(
        'NATIVE_ABI_MISMATCH',
        'better-sqlite3 was built for another runtime. Run `npm rebuild better-sqlite3` for Node, or `npm run build:native-electron` for the desktop app.',
        { cause: message },
      );
    }
    throw err;
  }
}

/** The newest migration this database has applied (drizzle's bookkeeping), or null when fresh. */
function lastAppliedMigration(client: Database.Database): number | null {
  const table = client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return null;
  const row = client.prepare('SELECT max(created_at) AS last FROM __drizzle_migrations').get() as { last: number | null };
  return row.last;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const onDisk = file !== ':memory:';
  const writes = !options.readonly && options.migrate !== false;
  let client: Database.Database | null = null;
  let created = false;
  try {
    if (onDisk && !options.readonly) {
      ensurePrivateDir(path.dirname(path.resolve(file)));
      created = preparePrivateDatabase(path.resolve(file)).created;
      // Backups an older version made are full copies of the station: the user's alone too.
      for (const backup of backupsOf(file)) tightenFile(backup);
    }
    client = loadDriver(file, options);
    const db = configure(client, file, options);
    if (onDisk && writes) {
      // Migrations write, but a database with nothing pending may not have been written yet; a
      // read-only disk answers here, before its free space (which means nothing there) is looked at.
      probeWrite(client);
      checkFreeSpace(file);
    }
    return db;
  } catch (err) {
    try {
      client?.close();
    } catch {
      // Closing a connection to a damaged file can fail too; the first error is the one to tell.
    }
    if (created) removeIfEmpty(path.resolve(file));
    const described = onDisk ? describeDatabaseError(err, file) : null;
    throw described ?? err;
  }
}

function configure(client: Database.Database, file: string, options: OpenOptions): Db {
  // Pragmas must be set per connection, outside any migration transaction.
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  client.pragma('cache_size = -65536');
  client.pragma('temp_store = MEMORY');
  client.pragma('mmap_size = 268435456');
  const db = drizzle(client, { schema }) as Db;
  if (options.readonly || options.migrate === false) return db;
  // Before anything is written to it: a damaged file is neither backed up as good nor migrated.
  if (file !== ':memory:') quickCheck(client, file, options.fullCheckMaxBytes);

  const folder = options.migrationsFolder ?? defaultMigrationsFolder();
  const journal = readJournal(folder);
  const newestKnown = Math.max(...journal.map((e) => e.when));
  const applied = lastAppliedMigration(client);
  if (applied !== null && applied > newestKnown) {
    throw new AppError(
      'DB_NEWER_THAN_APP',
      `This database was written by a newer ShopFleet (schema ${applied} > ${newestKnown}). Update the app before opening it.`,
      { file },
    );
  }
  const pending = journal.filter((e) => applied === null || e.when > applied);
  if (pending.length > 0 && applied !== null && file !== ':memory:' && options.backup !== false) {
    const backupFile = `${file}.bak-${applied}`;
    client.pragma('wal_checkpoint(TRUNCATE)');
    copyPrivateFile(file, backupFile);
  }
  migrate(db, { migrationsFolder: folder });
  return db;
}
