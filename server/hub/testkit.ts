// For the hub's tests: the engines to run each suite on (PGlite always; a real PostgreSQL when
// SHOPFLEET_TEST_DATABASE_URL names a cluster, as .ci/run sets it), each on a fresh database, and a
// small client that speaks the contract through Fastify's inject.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Engine, openPglite, openPostgres } from '../db/engine.ts';

export interface TestEngine {
  name: 'pglite' | 'postgres';
  /** A new, empty, migrated hub database (a fresh PGlite, or a new database on the cluster). */
  open(): Promise<{ engine: Engine; url: string | null; drop(): Promise<void> }>;
}

export const PG_URL = process.env.SHOPFLEET_TEST_DATABASE_URL ?? null;

/** Makes a new database on the test cluster and answers its URL. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (PG_URL === null) throw new Error('SHOPFLEET_TEST_DATABASE_URL is not set');
  const pg = (await import('pg')).default;
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export const TEST_ENGINES: TestEngine[] = [
  {
    name: 'pglite',
    open: async () => {
      const engine = await openPglite(null);
      return { engine, url: null, drop: async () => undefined };
    },
  },
];
if (PG_URL !== null) {
  TEST_ENGINES.push({
    name: 'postgres',
    open: async () => {
      const db = await freshDatabase();
      const engine = await openPostgres(db.url);
      return { engine, url: db.url, drop: db.drop };
    },
  });
} else {
  console.warn('[hub tests] SHOPFLEET_TEST_DATABASE_URL is not set: the PostgreSQL variant is skipped (CI sets it; see .ci/run)');
}

export interface Answer<T = any> {
  status: number;
  body: T;
}

/** One request to the hub as a station or a person would send it. */
export async function call<T = any>(app: FastifyInstance, method: 'GET' | 'POST', url: string, opts: { token?: string; body?: unknown } = {}): Promise<Answer<T>> {
  const res = await app.inject({
    method,
    url,
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    ...(opts.body === undefined ? {} : { payload: opts.body as object }),
  });
  return { status: res.statusCode, body: res.body === '' ? null : JSON.parse(res.body) };
}
