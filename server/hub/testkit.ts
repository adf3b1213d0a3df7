// For the hub's tests: the engines to run each suite on (PGlite always; a real PostgreSQL when
// SHOPFLEET_TEST_DATABASE_URL names a cluster, as .ci/run sets it), each on a fresh database, a
// small client that speaks the contract through Fastify's inject, one POST to a listening hub, and
// real hub processes through the CLI (serve, team create, invite) that a test can stop, SIGKILL and
// restart on the same port.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { HUB_SCHEMA_VERSION, type PushOp } from '../../electron/shared/hub/protocol.ts';
import { type Engine, openPglite, openPostgres } from '../db/engine.ts';
import { createHubApp, listenHub } from './app.ts';
import { createTeam } from './identity.ts';

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

/** A station joined in a test, with the wire seq of the last op it sent. */
/** A hub on a fresh database of `te`, with the team 杭州店群 and its owner boss signed in. */
export interface TeamHub {
  engine: Engine;
  app: FastifyInstance;
  /** boss's session token. */
  owner: string;
  close(): Promise<void>;
}

/** What the hub's HTTP suites start from (beforeAll), and close() in afterAll. */
export async function openTeamHub(te: TestEngine): Promise<TeamHub> {
  const db = await te.open();
  const app = await createHubApp({ engine: db.engine });
  await createTeam(db.engine, { team: '杭州店群', owner: 'boss', password: 'correct horse' });
  const owner = (await call(app, 'POST', '/v1/login', { body: { team: '杭州店群', user: 'boss', password: 'correct horse' } })).body.token;
  const close = async () => {
    await app.close();
    await db.engine.close();
    await db.drop();
  };
  return { engine: db.engine, app, owner, close };
}

/** A hub listening on loopback with a team of two people (listenPackerTeam). */
export interface PackerTeam {
  url: string;
  engine: Engine;
  /** boss's session token. */
  ownerToken: string;
  close(): Promise<void>;
}

/**
 * What the station-side sign-in suites start from: a hub on the first test engine listening on a
 * loopback port, with team 宁波店群 — its owner boss (password "boss password") and the packer 小李,
 * limited to shop-1 (password "packer password", PIN 2468).
 */
export async function listenPackerTeam(): Promise<PackerTeam> {
  const db = await TEST_ENGINES[0]!.open();
  const hub = await listenHub(await createHubApp({ engine: db.engine }), { port: 0 });
  await createTeam(db.engine, { team: '宁波店群', owner: 'boss', password: 'boss password' });
  const ownerToken = (await post<{ token: string }>(hub.url, '/v1/login', { team: '宁波店群', user: 'boss', password: 'boss password' })).token;
  await post(hub.url, '/v1/invites', { user: '小李', role: 'packer', shops: ['shop-1'], password: 'packer password', pin: '2468' }, ownerToken);
  const close = async () => {
    await hub.close();
    await db.engine.close();
    await db.drop();
  };
  return { url: hub.url, engine: db.engine, ownerToken, close };
}

export interface TestStation {
  id: string;
  token: string;
  seq: number;
}

/**
 * Invites `user` with `role` (limited to `shops` when given) through the owner's session and joins a
 * station named `name` with the code.
 */
export async function joinStation(app: FastifyInstance, ownerSession: string, user: string, role: string, name: string, shops?: string[]): Promise<TestStation> {
  const inv = await call(app, 'POST', '/v1/invites', { token: ownerSession, body: { user, role, ...(shops ? { shops } : {}) } });
  if (inv.status !== 200) throw new Error(`invite ${user}: ${inv.status} ${JSON.stringify(inv.body)}`);
  const j = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name } });
  if (j.status !== 200) throw new Error(`join ${name}: ${j.status} ${JSON.stringify(j.body)}`);
  return { id: j.body.stationId, token: j.body.token, seq: 0 };
}

/** One push of ops as the station sends them (its schema version, its token). */
export function pushAs(app: FastifyInstance, s: TestStation, ops: PushOp[]): Promise<Answer> {
  return call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops } });
}

/**
 * One JSON POST to a listening hub (`base` = the URL `listenHub` or `hub serve` answered); a non-2xx
 * answer throws with its status and body, so a test never reads an error body as a result.
 */
export async function post<T = any>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

const BIN = fileURLToPath(new URL('../../bin/shopfleet.mjs', import.meta.url));

/** `shopfleet …` as a child process, for a test that signals it. */
export function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  // DATABASE_URL cleared: a developer's own variable must not point a test's hub at their database.
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' } });
}

/** `shopfleet …` in its own process (stdin given, then closed); answers its exit code and output. */
export function runCli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Where a hub process keeps its data: a PGlite folder, or a PostgreSQL database. */
export type HubStore = { dataDir: string } | { databaseUrl: string };

const storeFlags = (store: HubStore): string[] => ('dataDir' in store ? ['--data', store.dataDir] : ['--database-url', store.databaseUrl]);

/** `shopfleet hub team create` on a store (a PGlite folder must not be open in a running hub). */
export async function createTeamByCli(store: HubStore, team: string, owner: string, password: string): Promise<void> {
  const made = await runCli(['hub', 'team', 'create', ...storeFlags(store), '--team', team, '--owner', owner], `${password}\n`);
  if (made.code !== 0) throw new Error(`hub team create exited ${made.code}: ${made.stderr}`);
}

/** `shopfleet hub invite` as the team's owner; answers the join code (its last line of output). */
export async function inviteByCli(url: string, owner: string, password: string, user: string, role: string, shops?: string[]): Promise<string> {
  const made = await runCli(['hub', 'invite', '--hub', url, '--owner', owner, '--user', user, '--role', role, ...(shops ? ['--shops', shops.join(',')] : [])], `${password}\n`);
  if (made.code !== 0) throw new Error(`hub invite exited ${made.code}: ${made.stderr}`);
  return made.stdout.trim().split('\n').pop()!;
}

/** A `shopfleet hub serve` process. */
export interface HubProcess {
  /** http://127.0.0.1:PORT — the same port across restarts. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM (the hub closes its engine) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies wherever it is, as a crash or `kill -9` would leave it. */
  kill(): Promise<void>;
  /** A new process on the same store and port (after stop or kill). */
  restart(): Promise<void>;
}

function serveOnce(store: HubStore, port: number): Promise<{ child: ChildProcessWithoutNullStreams; url: string; exited: Promise<void> }> {
  const child = spawnCli(['hub', 'serve', ...storeFlags(store), '--port', String(port)]);
  // A test that dies before its clean-up must not leave the hub running (it would hold its folder).
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphan);
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/^(http:\/\/127\.0\.0\.1:\d+)\n/m)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code, signal) => reject(new Error(`hub serve exited ${code ?? signal} before listening: ${err}`)));
  });
}

/** Starts `shopfleet hub serve` on a store (`port` 0 = a free one, kept for restarts). */
export async function startHubProcess(store: HubStore, port = 0): Promise<HubProcess> {
  let current = await serveOnce(store, port);
  const fixedPort = Number(new URL(current.url).port);
  const end = async (signal: NodeJS.Signals) => {
    if (current.child.exitCode === null && current.child.signalCode === null) current.child.kill(signal);
    await current.exited;
  };
  return {
    get url() {
      return current.url;
    },
    port: fixedPort,
    get pid() {
      return current.child.pid!;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGTERM');
      current = await serveOnce(store, fixedPort);
    },
  };
}
