// A team hub and stations joined to it, for e2e specs of team work (docs/team-hub.md). The API:
//
//   const hub = await startTestHub();              // temp PGlite dir (`hub team create`), `hub serve --port 0`
//   hub.url / hub.port / hub.owner / hub.password  // the team's owner (default 店主 / correct horse)
//   const code = await hub.invite('xiaoli', 'packer');   // `hub invite` → one-time join code
//   await hub.stop(); await hub.restart();         // offline / back on the same data dir and port
//   await hub.kill();                              // SIGKILL (then restart)
//   const a = await startStation({ hub, name: '一号打包台', demoOrders: 20 });   // joined, web host up
//   await page.goto(a.url);                        // a.core.call(...) for arranging and checking in-process
//   await a.sync();                                // one push + pull now (hub.syncNow)
//   await a.close(); await hub.close();            // stations first, then the hub (removes its dir)
//
// The hub is a real `shopfleet hub serve` process, so stopping it is a real outage. A station is the
// web host in the test's process (like fixtures.ts) on its own data dir, joined through the API
// method `shopfleet station join` calls (hub.join); the join signs the code's person in, and every
// later call acts as them. Only the first station of a team brings its orders, through owner-only
// `hub.join` ops: give it an owner's code (the default); give later ones demoOrders 0 and they
// receive the orders by pull.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../electron/core/app.ts';
import { buildDemoDatabase } from '../../electron/sandbox/demo/bulk.ts';
import { sandboxDemo } from '../../electron/sandbox/index.ts';
import { startWebHost, type WebHost } from '../../electron/hosts/web/web-host.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';
import type { HubJoinResult, HubSyncResult } from '../../electron/shared/contract.ts';
import { createTeamByCli, inviteByCli, startHubProcess, type HubProcess } from '../../server/hub/testkit.ts';

export interface TestHub extends HubProcess {
  /** The hub's PGlite data dir (kept across stop/restart, removed by close). */
  readonly dataDir: string;
  readonly team: string;
  readonly owner: string;
  readonly password: string;
  /** A one-time join code for `user` with `role` (the user is made or updated), via `shopfleet hub invite`. */
  invite(user: string, role: 'owner' | 'operator' | 'service' | 'packer' | 'finance', shops?: string[]): Promise<string>;
  /** Stop the process and remove the data dir. */
  close(): Promise<void>;
}

export interface HubOptions {
  team?: string;
  owner?: string;
  password?: string;
}

/**
 * A PGlite dir holding just the team and its owner, made once per test process by `shopfleet hub
 * team create` and copied for each hub (a copy takes under a second; making one, many seconds).
 */
const templates = new Map<string, Promise<string>>();
function teamTemplate(team: string, owner: string, password: string): Promise<string> {
  const key = JSON.stringify([team, owner, password]);
  let made = templates.get(key);
  if (!made) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-hub-template-'));
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
    const dataDir = path.join(root, 'hub-data');
    // PGlite allows one process per dir: the team is made before any hub opens it.
    made = createTeamByCli({ dataDir }, team, owner, password).then(() => dataDir);
    made.catch(() => templates.delete(key));
    templates.set(key, made);
  }
  return made;
}

/** A hub process on a new temp PGlite dir with a team and its owner, on a free port. */
export async function startTestHub(opts: HubOptions = {}): Promise<TestHub> {
  const team = opts.team ?? '测试店群';
  const owner = opts.owner ?? '店主';
  const password = opts.password ?? 'correct horse';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-hub-'));
  const dataDir = path.join(root, 'hub-data');
  // A test process that dies before close() leaves no folder behind (its hub is killed as well).
  const forget = () => fs.rmSync(root, { recursive: true, force: true });
  process.once('exit', forget);
  try {
    fs.cpSync(await teamTemplate(team, owner, password), dataDir, { recursive: true });
    const proc = await startHubProcess({ dataDir }, 0);
    return Object.assign(Object.create(proc) as HubProcess, {
      dataDir,
      team,
      owner,
      password,
      invite: (user: string, role: string, shops?: string[]) => inviteByCli(proc.url, owner, password, user, role, shops),
      close: async () => {
        await proc.stop();
        process.off('exit', forget);
        forget();
      },
    }) as TestHub;
  } catch (err) {
    process.off('exit', forget);
    forget();
    throw err;
  }
}

export interface StationOptions {
  hub: TestHub;
  /** What the team calls the station (shown as the holder of its claims). */
  name: string;
  /** A join code; default a fresh owner invite for the hub's owner. */
  code?: string;
  /** Demo orders built before joining (default 0: the station receives the team's by pull). */
  demoOrders?: number;
  demoSeed?: number;
  demoHistoryMs?: number;
  /** Run the print queue, so queued labels reach printers (default false). */
  print?: boolean;
}

export interface TestStation {
  /** http://127.0.0.1:PORT/#token=TOKEN — open a page at it. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  dbFile: string;
  core: Core;
  host: WebHost;
  join: HubJoinResult;
  /** One push and pull now (what the status area's sync button does). */
  sync(): Promise<HubSyncResult>;
  /** Close the web host and the core, remove the data dir. Close pages on it first. */
  close(): Promise<void>;
}

/** A station web host on its own data dir, joined to `hub`. */
export async function startStation(opts: StationOptions): Promise<TestStation> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-station-'));
  const dbFile = path.join(dataDir, 'shopfleet.db');
  // Sync off: no platform sync or hub round changes the data behind the test's back; sync() is explicit.
  const core = await createCore({ dbFile, demo: false, demoProvider: sandboxDemo, sync: false, print: opts.print ?? false });
  let host: WebHost | null = null;
  try {
    if (opts.demoOrders) {
      await buildDemoDatabase(testDbOf(core), {
        orders: opts.demoOrders,
        seed: opts.demoSeed ?? 20240611,
        ...(opts.demoHistoryMs !== undefined ? { historyMs: opts.demoHistoryMs } : {}),
        now: Date.now(),
      });
    }
    const code = opts.code ?? (await opts.hub.invite(opts.hub.owner, 'owner'));
    const joined = await core.call('hub.join', { url: opts.hub.url, code, name: opts.name });
    if (!joined.ok) throw new Error(`hub.join refused: ${JSON.stringify(joined)}`);
    host = await startWebHost({ core, port: 0, log: (line) => console.warn(`[${opts.name}] ${line}`) });
    const h = host;
    return {
      url: h.url,
      origin: h.origin,
      token: h.token,
      dataDir,
      dbFile,
      core,
      host: h,
      join: joined.value as HubJoinResult,
      sync: async () => {
        const r = await core.call('hub.syncNow', {});
        if (!r.ok) throw new Error(`hub.syncNow refused: ${JSON.stringify(r)}`);
        return r.value as HubSyncResult;
      },
      close: async () => {
        await h.close();
        await core.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await host?.close();
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
