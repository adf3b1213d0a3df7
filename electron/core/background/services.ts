// Where a station's background services run — platform sync, the push-back outbox, the print queue
// and upkeep — wired one of two ways: in the background worker thread (a station file: the thread
// that serves API calls never waits on a backfill or a printer), or inline on this thread (':memory:'
// stations and tests with injected clocks or adapters, which cannot cross threads). createCore picks
// one; everything after that talks to the same BackgroundServices.
import { AppError } from '../../shared/result.ts';
import type { HybridClock } from '../api/hlc.ts';
import type { EventBus } from '../api/events.ts';
import type { Db } from '../db/open.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { createPrintService } from '../printing/service.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import type { Station } from '../station/station.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { Outbox } from '../sync/outbox.ts';
import { StockPushService } from '../stock/push-service.ts';
import { MappingPullService } from '../stock/mapping-schedule.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import type { WorkerCipherSpec } from './protocol.ts';
import { startUpkeep } from './upkeep.ts';
import { BackgroundWorker, type WorkerEntry } from './worker-host.ts';

export interface BackgroundServices {
  /** The sync engine (scheduling only once started; syncShop works either way). */
  readonly scheduler: SyncEngine;
  /** The push-back outbox: flush sends due pushes now. */
  readonly pushes: { flush(): Promise<{ sent: number }> };
  /** The print queue: drain resolves when no printer has anything it can send (nothing when print is off). */
  readonly printQueue: { drain(printerId?: string): Promise<void> };
  /** Tells the print queue that this thread queued jobs; null when the queue follows this thread's bus itself. */
  readonly wakePrinter: (() => void) | null;
  /** Starts the periodic work (sync schedule, outbox, upkeep). */
  start(): void;
  stop(): Promise<void>;
}

interface Common {
  db: Db;
  events: EventBus;
  /** Run the print queue here (it takes the station's print-queue lock). */
  print: boolean;
}

export interface WorkerServicesOptions extends Common {
  dbFile: string;
  cipher: WorkerCipherSpec;
  nativeBinding?: string;
  /** The worker's entry (the demo's, which registers its platform in the thread), else the core's own. */
  entry?: WorkerEntry;
}

/** Services in the background worker thread: this thread only forwards requests and wakes. */
export function servicesInWorker(o: WorkerServicesOptions): BackgroundServices {
  const worker = new BackgroundWorker({
    db: o.db,
    events: o.events,
    ...(o.entry ? { entry: o.entry } : {}),
    workerData: { dbFile: o.dbFile, cipher: o.cipher, ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}), ...(o.print ? { print: true } : {}) },
  });
  return {
    scheduler: worker,
    pushes: { flush: () => worker.flushPushes() },
    printQueue: o.print ? { drain: async (printerId) => void (await worker.request('print', 'drain', printerId)) } : { drain: () => Promise.resolve() },
    wakePrinter: o.print ? () => void worker.request('print', 'wake').catch((err: unknown) => console.error('[print] wake failed', err)) : null,
    // The worker runs its own outbox and upkeep beside its scheduler.
    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}

export interface InlineServicesOptions extends Common {
  now: () => number;
  clock: HybridClock;
  station: Station;
  secretCipher?: SecretCipher;
  adapterFor?: (shop: ShopRecord) => PlatformAdapter;
}

/**
 * Services on this thread. The print queue starts at once (it must take the station's print-queue
 * lock before the core is handed out: another process holding it is an error to report, leaving
 * nothing open); sync, outbox and upkeep start with start().
 */
export async function servicesInline(o: InlineServicesOptions): Promise<BackgroundServices> {
  const injected = { ...(o.secretCipher ? { secretCipher: o.secretCipher } : {}), ...(o.adapterFor ? { adapterFor: o.adapterFor } : {}) };
  const scheduler = new SyncScheduler({ db: o.db, events: o.events, now: o.now, clock: o.clock, station: o.station, ...injected });
  const outbox = new Outbox({ db: o.db, events: o.events, now: o.now, ...injected });
  const stockPushes = new StockPushService({ db: o.db, events: o.events, now: o.now, ...injected });
  const mappingPulls = new MappingPullService({ db: o.db, events: o.events, now: o.now, clock: o.clock, ...injected });
  // The inline queue follows this bus's db.changed by itself: no wake needed.
  const print = o.print ? createPrintService({ db: o.db, events: o.events, now: o.now, clock: o.clock }) : null;
  if (print) {
    try {
      print.start();
    } catch (err) {
      // Another process holds this station's print queue (printing/queue-lock.ts): say so, leave nothing open.
      await scheduler.stop();
      throw err;
    }
  }
  let upkeep: { stop(): Promise<void> | void } | null = null;
  return {
    scheduler,
    pushes: outbox,
    printQueue: print ? { drain: (printerId) => print.drain(printerId) } : { drain: () => Promise.resolve() },
    wakePrinter: null,
    start: () => {
      upkeep = startUpkeep({ db: o.db, events: o.events, now: o.now, clock: o.clock, ...(o.secretCipher ? { secretCipher: o.secretCipher } : {}) });
      scheduler.start();
      outbox.start();
      stockPushes.start();
      mappingPulls.start();
    },
    stop: async () => {
      await Promise.all([scheduler.stop(), outbox.stop(), stockPushes.stop(), mappingPulls.stop(), print?.stop(), upkeep?.stop()]);
    },
  };
}

/** Why a worker cannot run here, or null when it can. */
export function workerRefusal(options: { cipher: WorkerCipherSpec | null; injectedClock: boolean; injectedAdapters: boolean }): AppError | null {
  if (options.cipher !== null && !options.injectedClock && !options.injectedAdapters) return null;
  return new AppError('INVALID_STATE', 'sync cannot run in a worker here: it needs a database file, no injected clock or adapters, and (with an injected secretCipher) a workerCipher');
}

/**
 * Sends what commands on this thread leave for the services without waiting for their next tick:
 * push-backs queued by a command (ship, memo, retry) are flushed within 200 ms when sync runs (the
 * outbox's own writes announce 'pushes' too, but a flush with nothing due is quiet); jobs queued here
 * wake a worker's print queue (its bus is its own; the worker's own transitions come back as
 * db.changed too, hence one wake per burst, not per event). Returns what stops following.
 */
export function followCommands(events: EventBus, services: BackgroundServices, runSync: boolean): () => void {
  let flushSoon: NodeJS.Timeout | null = null;
  const offPushes = runSync
    ? events.on('db.changed', ({ tables }) => {
        if (!tables.includes('pushes') || flushSoon) return;
        flushSoon = setTimeout(() => {
          flushSoon = null;
          services.pushes.flush().catch((err: unknown) => console.error('[outbox] flush failed', err));
        }, 200);
        flushSoon.unref();
      })
    : () => undefined;
  let wakeSoon: NodeJS.Timeout | null = null;
  const wakePrinter = services.wakePrinter;
  const offPrint = wakePrinter
    ? events.on('db.changed', ({ tables }) => {
        if (!(tables.includes('print_jobs') || tables.includes('printers')) || wakeSoon) return;
        wakeSoon = setTimeout(() => {
          wakeSoon = null;
          wakePrinter();
        }, 50);
        wakeSoon.unref();
      })
    : () => undefined;
  return () => {
    offPushes();
    offPrint();
    if (flushSoon) clearTimeout(flushSoon);
    if (wakeSoon) clearTimeout(wakeSoon);
  };
}
