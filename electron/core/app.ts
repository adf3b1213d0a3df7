// The core, assembled: database, API handlers, events, and the platform sync engine — in a worker
// thread with its own connection when sync runs on a station file, so the thread that serves API
// calls never waits on a backfill; in-process otherwise. Every transport — Electron IPC, the web
// host, the CLI, tests — talks to one of these.
import path from 'node:path';
import { AppError } from '../shared/result.ts';
import type { Actor, ApiEvents, EventName } from '../shared/contract.ts';
import type { Result } from '../shared/result.ts';
import { dispatch } from './api/dispatch.ts';
import { EventBus } from './api/events.ts';
import { createHandlers } from './api/handlers.ts';
import type { CoreContext } from './api/command.ts';
import { createStationClock } from './station/clock.ts';
import { Station } from './station/station.ts';
import { openDatabase, type Db, type OpenOptions } from './db/open.ts';
import { ensureSearchIndex } from './orders/search.ts';
import { ensurePhoneFlags } from './orders/abnormal.ts';
import { defaultActor } from './session.ts';
import type { PlatformAdapter, ShopRecord } from './platforms/contract.ts';
import { SyncScheduler } from './sync/scheduler.ts';
import type { SyncEngine } from './sync/engine.ts';
import { BackgroundWorker } from './background/worker-host.ts';
import type { WorkerCipherSpec } from './background/protocol.ts';
import type { DemoProvider } from './demo-provider.ts';
import { registerAdapter } from './platforms/registry.ts';
import { Outbox } from './sync/outbox.ts';
import { startUpkeep } from './background/upkeep.ts';
import { createPrintService, type PrintService } from './printing/service.ts';
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
  readonly db: Db;
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
  /** The context a command runs in for this actor: the one place a context is built (API calls and internal services alike). */
  contextFor(actor: Actor): CoreContext;
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
  let scheduler: SyncEngine;
  let pushes: { flush(): Promise<{ sent: number }> };
  let inlineOutbox: Outbox | null = null;
  const runPrint = options.print ?? runSync;
  let inlinePrint: PrintService | null = null;
  let printQueue: Core['printQueue'] = { drain: () => Promise.resolve() };
  let wakePrinter: (() => void) | null = null;
  if (syncIn === 'worker') {
    const cipher = workerCipherFor(options);
    if (cipher === null || options.now || options.adapterFor) {
      db.$client.close();
      throw new AppError('INVALID_STATE', "sync cannot run in a worker here: it needs a database file, no injected clock or adapters, and (with an injected secretCipher) a workerCipher");
    }
    const engine = new BackgroundWorker({
      db,
      events,
      ...(demo ? { entry: demo.workerEntry() } : {}),
      workerData: { dbFile: path.resolve(options.dbFile), cipher, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}), ...(runPrint ? { print: true } : {}) },
    });
    scheduler = engine;
    pushes = { flush: () => engine.flushPushes() };
    if (runPrint) {
      printQueue = { drain: async (printerId) => void (await engine.request('print', 'drain', printerId)) };
      wakePrinter = () => void engine.request('print', 'wake').catch((err: unknown) => console.error('[print] wake failed', err));
    }
  } else {
    const injected = { ...(secretCipher ? { secretCipher } : {}), ...(options.adapterFor ? { adapterFor: options.adapterFor } : {}) };
    scheduler = new SyncScheduler({ db, events, now, clock, station, ...injected });
    inlineOutbox = new Outbox({ db, events, now, ...injected });
    pushes = inlineOutbox;
    if (runPrint) {
      // The inline queue follows this bus's db.changed by itself: no wake needed.
      inlinePrint = createPrintService({ db, events, now, clock });
      const service = inlinePrint;
      printQueue = { drain: (printerId) => service.drain(printerId) };
    }
  }
  if (inlinePrint) {
    try {
      inlinePrint.start();
    } catch (err) {
      // Another process holds this station's print queue (queue-lock.ts): say so, leave nothing open.
      await scheduler.stop();
      db.$client.close();
      throw err;
    }
  }
  // Demo shops' loopback gateways (the demo's stand-in for the platforms, so they run even when only a
  // manual "sync now" will pull) get new ports each start: point the shops at them before any sync.
  const demoGateways = options.demo && demo ? await demo.startGateways({ db, now, secretCipher }) : null;
  // Inline stations run the background upkeep here; a worker runs its own with its sync service.
  const inlineUpkeep = runSync && syncIn === 'inline' ? startUpkeep({ db, events, now, clock, secretCipher }) : null;
  if (runSync) {
    scheduler.start();
    inlineOutbox?.start();
  }
  // A command that queued push-backs (ship, memo, retry) gets them sent now, not at the outbox's
  // next tick. The outbox's own writes announce 'pushes' too, but a flush with nothing due is quiet.
  let flushSoon: NodeJS.Timeout | null = null;
  const offPushes = runSync
    ? events.on('db.changed', ({ tables }) => {
        if (!tables.includes('pushes') || flushSoon) return;
        flushSoon = setTimeout(() => {
          flushSoon = null;
          pushes.flush().catch((err: unknown) => console.error('[outbox] flush failed', err));
        }, 200);
        flushSoon.unref();
      })
    : () => undefined;
  // Jobs queued on this thread reach the worker's queue only when told (its bus is its own); the
  // worker's own transitions come back as db.changed too, hence one wake per burst, not per event.
  let wakeSoon: NodeJS.Timeout | null = null;
  const offPrint = wakePrinter
    ? events.on('db.changed', ({ tables }) => {
        if (!(tables.includes('print_jobs') || tables.includes('printers')) || wakeSoon) return;
        wakeSoon = setTimeout(() => {
          wakeSoon = null;
          wakePrinter?.();
        }, 50);
        wakeSoon.unref();
      })
    : () => undefined;
  const handlers = createHandlers({ db, events, clock, now, scheduler, pushes, secretCipher, station, contextFor });
  const actor = defaultActor(db);
  return {
    db,
    secretCipher,
    scheduler,
    syncIn,
    pushes,
    printQueue,
    events,
    defaultActor: actor,
    contextFor,
    station,
    call: (name, input, who) => dispatch(handlers, name, input, who ?? actor),
    on: (event, listener) => events.on(event, listener),
    close: async () => {
      offPushes();
      offPrint();
      if (flushSoon) clearTimeout(flushSoon);
      if (wakeSoon) clearTimeout(wakeSoon);
      await Promise.all([scheduler.stop(), inlineOutbox?.stop(), inlinePrint?.stop(), inlineUpkeep?.stop()]);
      await demoGateways?.close();
      await station.close();
      db.$client.close();
    },
  };
}
