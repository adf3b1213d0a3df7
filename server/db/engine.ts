// The hub's two PostgreSQL engines behind one small interface: PGlite (the PostgreSQL engine
// embedded as WebAssembly, on a data folder; the default, nothing to install) and a real
// PostgreSQL through node-postgres (DATABASE_URL). Both run the same SQL and the same migrations
// (server/db/migrations, drizzle's migrator), and both deliver NOTIFY to LISTEN, so the hub's
// code never asks which one it is on.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /**
   * Set on a transaction that runs alone: nothing else reads or writes the database until it ends
   * (PGlite runs every query and transaction of its one session exclusively), so locks that only
   * order concurrent transactions can be skipped.
   */
  readonly serial?: boolean;
}

export interface Engine extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls onPayload for every NOTIFY on channel (from any process); resolves to an unlisten. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Where the migrations are: beside the bundled CLI (dist-cli/hub-migrations, copied there by
 * scripts/build-cli.mjs) or in the source tree (server/db/migrations).
 */
export function migrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Beside the bundle, migrations/ is the station's SQLite history: only a PostgreSQL journal will do.
  const candidates = [path.join(here, 'hub-migrations'), path.join(here, 'migrations')];
  for (const dir of candidates) {
    const journal = path.join(dir, 'meta', '_journal.json');
    if (fs.existsSync(journal) && (JSON.parse(fs.readFileSync(journal, 'utf8')) as { dialect?: string }).dialect === 'postgresql') return dir;
  }
  throw new Error(`the hub's migrations are missing (looked in ${candidates.join(', ')})`);
}

/** Serialises concurrent hub processes starting over one database: one migrates, the others wait. */
const MIGRATION_LOCK = 727_001;

export async function openPglite(dataDir: string | null): Promise<Engine> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dataDir !== null) fs.mkdirSync(dataDir, { recursive: true });
  const db = dataDir === null ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  await migrate(drizzle(db), { migrationsFolder: migrationsFolder() });
  // PGlite answers int8 as a JS number already, and jsonb as parsed values, like pg below.
  return {
    kind: 'pglite',
    query: async (sql, params) => ({ rows: (await db.query(sql, params)).rows as never[] }),
    transaction: (fn) => db.transaction((tx) => fn({ serial: true, query: async (sql, params) => ({ rows: (await tx.query(sql, params)).rows as never[] }) })),
    listen: async (channel, onPayload) => {
      const unlisten = await db.listen(channel, onPayload);
      return async () => unlisten();
    },
    close: () => db.close(),
  };
}

export async function openPostgres(url: string): Promise<Engine> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // bigint columns hold epoch ms and sync ids, all far below 2^53: read them as numbers.
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types });
  // Idle clients can be cut by the server; a pool error must not crash the hub.
  pool.on('error', (err) => console.error(`[hub] postgres pool: ${err.message}`));
  const migrator = new pg.Client({ connectionString: url, types });
  await migrator.connect();
  try {
    await migrator.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(migrator), { migrationsFolder: migrationsFolder() });
  } finally {
    await migrator.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await migrator.end();
  }
  const listeners: InstanceType<typeof pg.Client>[] = [];
  return {
    kind: 'postgres',
    query: async (sql, params) => ({ rows: (await pool.query(sql, params)).rows }),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows }) });
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    // LISTEN needs a session of its own that stays open (a pooled client would be handed back).
    listen: async (channel, onPayload) => {
      const client = new pg.Client({ connectionString: url, types });
      client.on('error', (err) => console.error(`[hub] postgres listener: ${err.message}`));
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
      });
      await client.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      listeners.push(client);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    close: async () => {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}

/** The engine a hub command asked for: a real PostgreSQL when a URL is given, else PGlite on dataDir. */
export function openEngine(opts: { databaseUrl?: string | null; dataDir?: string | null }): Promise<Engine> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl);
  return openPglite(opts.dataDir ?? null);
}
