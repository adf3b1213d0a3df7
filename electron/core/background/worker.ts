// Entry of the background worker thread, which runs sync, printing and upkeep off the host's event
// loop: its own SQLite connection to the station file (WAL lets the host keep reading while this
// thread writes), the SyncScheduler, and a router that answers the host's requests (worker-host.ts). Events raised here go to the host's bus, so the renderer sees them as before.
// The push-back outbox runs here too: both talk to platforms, and neither should cost the host a frame.
// So does the print queue ('print' service): rendering labels and waiting on printers stay off the host's loop.
// To run another service in this thread, build it from the WorkerContext and register it below.
import { parentPort, workerData } from 'node:worker_threads';
import { EVENT_NAMES } from '../../shared/contract.ts';
import { EventBus } from '../api/events.ts';
import { openDatabase, type Db } from '../db/open.ts';
import { cipherFromSpec, type SecretCipher } from '../shops/secrets.ts';
import { createPrintService } from '../printing/service.ts';
import type { HybridClock } from '../api/hlc.ts';
import { createStationClock } from '../station/clock.ts';
import { Outbox } from '../sync/outbox.ts';
import { StockPushService } from '../stock/push-service.ts';
import { MappingPullService } from '../stock/mapping-schedule.ts';
import { startUpkeep } from './upkeep.ts';
import { SyncScheduler } from '../sync/scheduler.ts';
import { isWorkerRequest, MessageRouter, type BackgroundWorkerData, type WorkerCipherSpec, type WorkerToHost } from './protocol.ts';

/** What every service in the worker is built from. */
export interface WorkerContext {
  db: Db;
  events: EventBus;
  secretCipher: SecretCipher | undefined;
  now: () => number;
  /** The station's clock on this thread's connection: same node id as the host's (station/clock.ts says why that is safe). */
  clock: HybridClock;
}

const cipherFrom = (spec: WorkerCipherSpec): SecretCipher | undefined => (spec.kind === 'none' ? undefined : cipherFromSpec(spec));

/** The scheduler as the 'sync' service. */
function syncService(ctx: WorkerContext, data: BackgroundWorkerData, post: (m: WorkerToHost) => void) {
  const scheduler = new SyncScheduler({
    db: ctx.db,
    events: ctx.events,
    now: ctx.now,
    clock: ctx.clock,
    ...(ctx.secretCipher ? { secretCipher: ctx.secretCipher } : {}),
    ...data.scheduler,
    onSyncingChange: (shopIds) => post({ type: 'syncing', shopIds }),
  });
  const outbox = new Outbox({ db: ctx.db, events: ctx.events, now: ctx.now, ...(ctx.secretCipher ? { secretCipher: ctx.secretCipher } : {}) });
  // Stock figures to the platforms: debounced rounds after stock moves, a full round on a schedule.
  const stockPushes = new StockPushService({ db: ctx.db, events: ctx.events, now: ctx.now, secretCipher: ctx.secretCipher });
  // Each shop's listing (商品对应) pulled again every few hours; a shop never pulled, soon after start.
  const mappingPulls = new MappingPullService({ db: ctx.db, events: ctx.events, now: ctx.now, clock: ctx.clock, secretCipher: ctx.secretCipher });
  let upkeep: ReturnType<typeof startUpkeep> | null = null;
  const stop = async () => {
    await Promise.all([scheduler.stop(), outbox.stop(), stockPushes.stop(), mappingPulls.stop(), upkeep?.stop()]);
    upkeep = null;
  };
  return {
    stop,
    // Starting sync starts both directions — pulls on each shop's schedule, push-backs as they come
    // due — and the upkeep that needs the network (waybill pre-fetch, logistics traces).
    methods: {
      start: () => {
        scheduler.start();
        outbox.start();
        stockPushes.start();
        mappingPulls.start();
        upkeep ??= startUpkeep(ctx);
      },
      stop,
      flushPushes: () => outbox.flush(),
      syncNow: (shopId?: string) => scheduler.syncNow(shopId),
      syncShop: (shopId: string) => scheduler.syncShop(shopId),
      health: (shopId: string) => scheduler.health(shopId),
    },
  };
}

/**
 * The print queue as the 'print' service: started at boot when the host asked for it (so a worker
 * restarted after a crash prints again, recovering its 'sending' jobs as 'uncertain'); 'wake' after
 * the host queued jobs (the host's db.changed does not reach this thread's bus), 'drain' to wait.
 */
function printService(ctx: WorkerContext, data: BackgroundWorkerData) {
  const service = createPrintService({ db: ctx.db, events: ctx.events, now: ctx.now, clock: ctx.clock });
  let running = false;
  const start = () => {
    if (running) return;
    service.start();
    running = true;
  };
  if (data.print) {
    try {
      start();
    } catch (err) {
      // Another process sends this station's jobs (queue-lock.ts): sync still runs; printing stays there.
      console.error('[print] the print queue did not start in the worker', err);
    }
  }
  const stop = async () => {
    running = false;
    await service.stop();
  };
  return {
    stop,
    methods: {
      start,
      stop,
      wake: () => service.wake(),
      drain: (printerId?: string) => service.drain(printerId),
    },
  };
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('electron/core/background/worker.ts runs as a worker thread (see worker-host.ts)');
  const data = workerData as BackgroundWorkerData;
  const post = (message: WorkerToHost): void => port.postMessage(message);
  // The host opened (and migrated, and backed up) this file already: this connection only reads and writes.
  const db = openDatabase(data.dbFile, { migrate: false, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  const events = new EventBus();
  for (const event of EVENT_NAMES) events.on(event, (payload) => post({ type: 'event', event, payload }));
  const ctx: WorkerContext = { db, events, secretCipher: cipherFrom(data.cipher), now: Date.now, clock: createStationClock(db, Date.now) };

  const router = new MessageRouter();
  const sync = syncService(ctx, data, post);
  router.register('sync', sync.methods);
  const print = printService(ctx, data);
  router.register('print', print.methods);
  // Every service stops before the connection closes; the host terminates the thread after this answers.
  router.register('worker', {
    close: async () => {
      await Promise.all([sync.stop(), print.stop()]);
      db.$client.close();
    },
  });

  port.on('message', (message: unknown) => {
    if (!isWorkerRequest(message)) return;
    void router.handle(message).then((reply) => {
      try {
        post(reply);
      } catch (err) {
        post({ type: 'reply', id: reply.id, ok: false, error: { code: 'INTERNAL', message: `reply could not be sent: ${String(err)}` } });
      }
    });
  });
}

main();
