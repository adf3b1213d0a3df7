// The core, assembled: database, API handlers, events, and the background services (sync, outbox,
// print queue, upkeep) — wired in the background worker or inline by background/services.ts. Every
// face — Electron IPC through the utility host, the web host, the CLI, tests — talks to one of these.
import path from 'node:path';
import { AppError } from '../shared/result.ts';
import type { Actor, ApiEvents, EventName } from '../shared/contract.ts';
import type { Result } from '../shared/result.ts';
import { EventBus } from './api/events.ts';
import { createHandlers } from './api/handlers.ts';
import type { CoreContext } from './api/command.ts';
import { createStationClock } from './station/clock.ts';
import { Station } from './station/station.ts';
import { openDatabase, type OpenOptions } from './db/open.ts';
import { STATION_DB_FOR_TESTS } from './db/station-db-key.ts';
import { ensureSearchIndex } from './orders/search.ts';
import { ensurePhoneFlags } from './orders/abnormal.ts';
import { defaultActor, dispatchAsStation } from './session.ts';
import type { PlatformAdapter, ShopRecord } from './platforms/contract.ts';
import type { SyncEngine } from './sync/engine.ts';
import type { WorkerCipherSpec } from './background/protocol.ts';
import type { DemoProvider } from './demo-provider.ts';
import { HubSyncService } from './hub/schedule.ts';
import { followCommands, servicesInline, servicesInWorker, workerRefusal, type BackgroundServices } from './background/services.ts';
import { registerAdapter } from './platforms/registry.ts';
import { createLocalKeyCipher, keyFileFor, type SecretCipher } from './shops/secrets.ts';

export interface CoreOptions extends OpenOptions {
  /** SQLite file; ':memory:' for throwaway tests. */
  dbFile: string;
  /** Create a demo team of sandbox shops when the database has no shops (default false); needs demoProvider. */
  demo?: boolean;
  /**
   * The demo as an injected part (electron/sandbox/index.ts `sandboxDemo`; hosts that carry the demo
   * always pass it): its platforms are registered in this thread and the background worker starts
   * from its entry, so a station holding demo shops syncs them even with `demo` off.
   */
  demoProvider?: DemoProvider;
  /** Run the per-shop sync scheduler (default: true when demo is on). */
  sync?: boolean;
  /** Wall clock, injectable for tests. */
  now?: () => number;
  /**
   * Encrypts shops' secrets (the Electron host passes a safeStorage-backed one). Default for a file
   * database: AES-256-GCM with the key in `<db>.key` (see shops/secrets.ts); ':memory:' gets none.
   */
  secretCipher?: SecretCipher;
  /**
   * Where the sync engine runs. Default: 'worker' when sync runs on a database file with a cipher
   * a worker can rebuild (the default, or one with toSpec) and no injected clock or adapters;
   * 'inline' otherwise — a worker cannot share a ':memory:' database, and functions (clocks,
   * adapters) do not cross threads.
   */
  syncIn?: 'worker' | 'inline';
  /** How a worker opens secrets (default: the injected secretCipher's toSpec(), or the key file beside dbFile). */
  workerCipher?: WorkerCipherSpec;
  /** Adapters for the inline scheduler (tests); implies syncIn 'inline'. */
  adapterFor?: (shop: ShopRecord) => PlatformAdapter;
  /**
   * Run the print queue (send queued jobs to printers). Default: when sync runs (the desktop app, the
   * web host). It runs where the sync engine runs — in the worker beside the outbox, or inline — and
   * takes the station's print-queue lock, so only one process sends a station's jobs.
   */
  print?: boolean;
}

export interface Core {
  /** The cipher for shops' secrets, when there is one (CLI `shops add`, the scheduler). */
  readonly secretCipher: SecretCipher | undefined;
  /** The sync engine (scheduling only when sync is on; syncShop works either way). */
  readonly scheduler: SyncEngine;
  /** Where the sync engine runs. */
  readonly syncIn: 'worker' | 'inline';
  /** The push-back outbox (beside the sync engine): flush sends due pushes now. */
  readonly pushes: { flush(): Promise<{ sent: number }> };
  /** The print queue: drain resolves when no printer has anything it can send (nothing when print is off). */
  readonly printQueue: { drain(printerId?: string): Promise<void> };
  readonly events: EventBus;
  readonly defaultActor: Actor;
  /** This core's in-memory station state: scan sessions, the authorisations in flight. */
  readonly station: Station;
  call(name: string, input: unknown, actor?: Actor): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  close(): Promise<void>;
}

/** How the background worker would open secrets, or null when it cannot (':memory:', or an injected cipher without a key). */
function workerCipherFor(options: CoreOptions): WorkerCipherSpec | null {
  if (options.dbFile === ':memory:') return null;
  if (options.workerCipher) return options.workerCipher;
  // An injected cipher (the Electron host's keychain key) says how a worker rebuilds it, if it can.
  if (options.secretCipher) return options.secretCipher.toSpec?.() ?? null;
  return { kind: 'local-key', keyFile: path.resolve(keyFileFor(options.dbFile)) };
}

export async function createCore(options: CoreOptions): Promise<Core> {
  if (options.demo && !options.demoProvider) {
    throw new AppError('INVALID_STATE', 'the demo team needs the sandbox: pass demoProvider (electron/sandbox/index.ts sandboxDemo)');
  }
  const demo = options.demoProvider;
  for (const [platform, factory] of demo?.adapters ?? []) registerAdapter(platform, factory);
  const db = openDatabase(options.dbFile, options);
  // A database upgraded from before the search index existed gets its documents built once.
  ensureSearchIndex(db);
  // Orders synced under an older phone rule lose its false 手机号异常 alarms once (a meta marker).
  if (!options.readonly) ensurePhoneFlags(db);
  const events = new EventBus();
  const now = options.now ?? Date.now;
  // The station's one clock on this connection; the background worker keeps its own on the same node id.
  const clock = createStationClock(db, now);
  // The one place a command context is built; the handlers get it, a host never does (it calls the API).
  const contextFor = (actor: Actor): CoreContext => ({ db, actor, events, clock, now });
  const station = new Station();
  const secretCipher = options.secretCipher ?? (options.dbFile === ':memory:' ? undefined : createLocalKeyCipher(keyFileFor(options.dbFile)));
  // With a cipher the demo team is real platform shops on loopback gateways; without one, sandbox shops.
  // Its folder printer writes into the station's data folder, beside the database.
  if (options.demo && demo) {
    const labelsDir = options.dbFile === ':memory:' ? undefined : path.join(path.dirname(path.resolve(options.dbFile)), 'demo-labels');
    demo.ensureDemo(db, now(), { ...(secretCipher ? { secretCipher } : {}), ...(labelsDir !== undefined ? { labelsDir } : {}) });
  }
  const runSync = options.sync ?? options.demo ?? false;
  const syncIn = options.syncIn ?? (runSync && workerCipherFor(options) !== null && !options.now && !options.adapterFor ? 'worker' : 'inline');
  const runPrint = options.print ?? runSync;
  let services: BackgroundServices;
  if (syncIn === 'worker') {
    const cipher = workerCipherFor(options);
    const refusal = workerRefusal({ cipher, injectedClock: options.now !== undefined, injectedAdapters: options.adapterFor !== undefined });
    if (refusal || cipher === null) {
      db.$client.close();
      throw refusal;
    }
    services = servicesInWorker({
      db,
      events,
      print: runPrint,
      dbFile: path.resolve(options.dbFile),
      cipher,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(demo ? { entry: demo.workerEntry() } : {}),
    });
  } else {
    try {
      services = await servicesInline({
        db,
        events,
        print: runPrint,
        now,
        clock,
        station,
        ...(secretCipher ? { secretCipher } : {}),
        ...(options.adapterFor ? { adapterFor: options.adapterFor } : {}),
      });
    } catch (err) {
      db.$client.close();
      throw err;
    }
  }
  const { scheduler, pushes, printQueue } = services;
  // Demo shops' loopback gateways (the demo's stand-in for the platforms, so they run even when only a
  // manual "sync now" will pull) get new ports each start: point the shops at them before any sync.
  const demoGateways = options.demo && demo ? await demo.startGateways({ db, now, secretCipher }) : null;
  if (runSync) services.start();
  const unfollow = followCommands(events, services, runSync);
  // The team hub's rounds (nothing but a meta read every 30 s while the station has not joined one).
  const hubSync = runSync && secretCipher ? new HubSyncService({ db, events, secretCipher, now }) : null;
  hubSync?.start();
  const handlers = createHandlers({ db, events, clock, now, scheduler, pushes, secretCipher, station, contextFor });
  const actor = defaultActor(db);
  const core: Core = {
    secretCipher,
    scheduler,
    syncIn,
    pushes,
    printQueue,
    events,
    defaultActor: actor,
    station,
    // No actor named: the station's (its owner, or on a joined station the person signed in there).
    call: (name, input, who) => dispatchAsStation(handlers, db, name, input, who, actor),
    on: (event, listener) => events.on(event, listener),
    close: async () => {
      unfollow();
      await hubSync?.stop();
      await services.stop();
      await demoGateways?.close();
      await station.close();
      db.$client.close();
    },
  };
  // Not part of Core: only the testkit's testDbOf reads it (the boundary lint keeps it there).
  Object.defineProperty(core, STATION_DB_FOR_TESTS, { value: db });
  return core;
}
