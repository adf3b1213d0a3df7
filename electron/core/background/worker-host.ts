// The host's handle on the background worker: starts worker.ts in a worker thread and offers the same
// SyncEngine surface as the in-process SyncScheduler (plus the worker's other services by request), so the host's event loop only serves API
// calls and renders while pulls, mapping and ingest run on the worker's thread. status() and
// syncNow() stay synchronous: they read shops through the host's own connection and know which
// shops are syncing from the worker's reports. If the worker dies, it is restarted once after a delay.
import { Worker } from 'node:worker_threads';
import type { ApiEvents, EventName, ShopSyncState } from '../../shared/contract.ts';
import { AppError, appErrorOf } from '../../shared/result.ts';
import type { EventBus } from '../api/events.ts';
import type { Db } from '../db/open.ts';
import type { ShopHealth } from '../sync/backoff.ts';
import type { ShopSyncResult, SyncEngine } from '../sync/engine.ts';
import { readSyncStatus } from '../sync/shop-state.ts';
import type { BackgroundWorkerData, WorkerRequest, WorkerToHost } from './protocol.ts';

export interface BackgroundWorkerOptions {
  /** The host's connection (status and syncNow read through it). */
  db: Db;
  /** The host's bus: the worker's events are re-emitted here. */
  events: EventBus;
  workerData: BackgroundWorkerData;
  /** Wait before restarting a worker that died (default 2 s). */
  restartDelayMs?: number;
  /** Restarts allowed after unexpected exits (default 1: a worker that dies again stays down). */
  maxRestarts?: number;
  /** How long stop() waits for the worker to finish its pulls and close (default 15 s). */
  stopGraceMs?: number;
  /** Where crash reports go (default console.error). */
  log?: (line: string) => void;
  /** The worker's entry (default: worker-boot.mjs in the source tree, background-worker.* beside a bundle). */
  entry?: WorkerEntry;
}

export interface WorkerEntry {
  file: URL;
  execArgv?: string[];
}

/**
 * Where the worker's code is. From the sources (tsx, vitest) this module is worker-host.ts and the
 * worker starts through worker-boot.mjs, which registers tsx in the new thread. In a bundle
 * (dist-cli/shopfleet.mjs, dist-electron/core-host.cjs) import.meta.url is the bundle, and the build
 * puts background-worker.mjs / background-worker.cjs beside it.
 */
export function defaultWorkerEntry(here: string = import.meta.url): WorkerEntry {
  const ext = /\.(ts|mjs|cjs|js)$/.exec(new URL(here).pathname)?.[1];
  if (ext === 'ts') return { file: new URL('./worker-boot.mjs', here), execArgv: [] };
  return { file: new URL(`./background-worker.${ext === 'cjs' ? 'cjs' : 'mjs'}`, here), execArgv: [] };
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: AppError) => void;
}

const EMPTY_RESULT: ShopSyncResult = { pulled: 0, changed: 0, quarantined: 0 };

export class BackgroundWorker implements SyncEngine {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly data: BackgroundWorkerData;
  private readonly restartDelayMs: number;
  private readonly stopGraceMs: number;
  private readonly log: (line: string) => void;
  private readonly entry: WorkerEntry;
  private worker: Worker | null = null;
  private restartsLeft: number;
  private restartTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Running or queued in the worker, as it last reported. */
  private reported = new Set<string>();
  /** Asked for by syncNow and not yet answered: shown as syncing until the worker's reply. */
  private readonly asked = new Map<number, string[]>();
  private askSeq = 0;
  private started = false;
  private closing = false;

  constructor(options: BackgroundWorkerOptions) {
    this.db = options.db;
    this.events = options.events;
    this.data = options.workerData;
    this.restartDelayMs = options.restartDelayMs ?? 2_000;
    this.stopGraceMs = options.stopGraceMs ?? 15_000;
    this.restartsLeft = options.maxRestarts ?? 1;
    this.log = options.log ?? ((line) => console.error(line));
    this.entry = options.entry ?? defaultWorkerEntry();
    this.spawn();
  }

  /** The worker thread's id while it runs (tests, logs). */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  start(): void {
    this.started = true;
    void this.request('sync', 'start').catch((err: unknown) => this.log(`[background-worker] start failed: ${String(err)}`));
  }

  /** Send due push-backs now instead of at the outbox's next tick (the outbox runs in the worker). */
  async flushPushes(): Promise<{ sent: number }> {
    if (!this.worker || this.closing) return { sent: 0 };
    return (await this.request('sync', 'flushPushes')) as { sent: number };
  }

  /** Ask the worker to stop its services and close its connection, wait, then end the thread. */
  async stop(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (!worker) return;
    // Running pulls end at their next page; a worker stuck past the grace period is ended anyway.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log(`[background-worker] did not stop within ${this.stopGraceMs} ms; terminating it`);
        resolve();
      }, this.stopGraceMs);
    });
    try {
      await Promise.race([this.request('worker', 'close'), grace]);
    } catch (err) {
      this.log(`[background-worker] did not close cleanly: ${String(err)}`);
    } finally {
      clearTimeout(timer);
    }
    this.worker = null;
    await worker.terminate();
    this.reported = new Set();
    this.asked.clear();
  }

  syncNow(shopId?: string): string[] {
    if (!this.worker || this.closing) return [];
    // The same choice the worker's scheduler makes (active, not already syncing), from the host's view.
    const rows = (
      shopId === undefined
        ? this.db.$client.prepare("SELECT id FROM shops WHERE state = 'active' ORDER BY created_at, id").all()
        : this.db.$client.prepare("SELECT id FROM shops WHERE state = 'active' AND id = ?").all(shopId)
    ) as { id: string }[];
    const ids = rows.map((r) => r.id).filter((id) => !this.isSyncing(id));
    const id = (this.askSeq += 1);
    this.asked.set(id, ids);
    void this.request('sync', 'syncNow', shopId)
      .catch((err: unknown) => this.log(`[background-worker] syncNow failed: ${String(err)}`))
      .finally(() => this.asked.delete(id));
    return ids;
  }

  /** Never rejects: a worker that is gone or dies mid-sync comes back as the result's error. */
  async syncShop(shopId: string): Promise<ShopSyncResult> {
    try {
      return (await this.request('sync', 'syncShop', shopId)) as ShopSyncResult;
    } catch (err) {
      return { ...EMPTY_RESULT, error: err instanceof Error ? err.message : String(err) };
    }
  }

  status(): ShopSyncState[] {
    return readSyncStatus(this.db, (id) => this.isSyncing(id));
  }

  /** The shop's failure streak and backoff, as the worker's scheduler keeps them. */
  async health(shopId: string): Promise<ShopHealth> {
    return (await this.request('sync', 'health', shopId)) as ShopHealth;
  }

  /**
   * End the worker thread at once, as a crash would: the engine logs it and restarts the worker
   * (once). For a host that must abandon a stuck worker, and for tests of that path.
   */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Call any service registered in the worker (worker.ts), e.g. a push-back outbox. */
  request(service: string, method: string, ...args: unknown[]): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new AppError('INVALID_STATE', 'the background worker is not running'));
    const id = this.nextId++;
    const message: WorkerRequest = { type: 'request', id, service, method, args };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // An unanswered call keeps the process alive (a CLI awaiting syncShop); an idle worker does not.
      worker.ref();
      worker.postMessage(message);
    });
  }

  private isSyncing(shopId: string): boolean {
    if (this.reported.has(shopId)) return true;
    for (const ids of this.asked.values()) if (ids.includes(shopId)) return true;
    return false;
  }

  private spawn(): void {
    const worker = new Worker(this.entry.file, {
      workerData: this.data,
      ...(this.entry.execArgv ? { execArgv: this.entry.execArgv } : {}),
    });
    this.worker = worker;
    // Like the scheduler's timers, a running schedule alone never keeps the process alive.
    worker.unref();
    worker.on('message', (message: WorkerToHost) => this.onMessage(message));
    worker.on('error', (err) => this.log(`[background-worker] error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
    worker.on('exit', (code) => this.onExit(worker, code));
  }

  private onMessage(message: WorkerToHost): void {
    switch (message.type) {
      case 'reply': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (this.pending.size === 0) this.worker?.unref();
        if (message.ok) pending.resolve(message.value);
        else pending.reject(appErrorOf(message.error));
        return;
      }
      case 'event':
        this.events.emit(message.event as EventName, message.payload as ApiEvents[EventName]);
        return;
      case 'syncing':
        this.reported = new Set(message.shopIds);
        return;
    }
  }

  private onExit(worker: Worker, code: number): void {
    if (this.worker !== worker && this.worker !== null) return;
    const expected = this.closing;
    this.worker = null;
    this.reported = new Set();
    this.asked.clear();
    // Calls in flight will never be answered by this thread.
    const reason = new AppError('INTERNAL', expected ? 'the background worker was stopped' : `the background worker exited (code ${code})`);
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    if (expected) return;
    // Shops that were syncing show as idle now; the UI refreshes from this.
    this.events.emit('db.changed', { tables: ['sync_cursors'] });
    if (this.restartsLeft <= 0) {
      this.log(`[background-worker] exited (code ${code}); not restarting again — sync is off until the app restarts`);
      return;
    }
    this.restartsLeft -= 1;
    this.log(`[background-worker] exited (code ${code}); restarting in ${this.restartDelayMs} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.closing) return;
      this.spawn();
      if (this.started) this.start();
    }, this.restartDelayMs);
    this.restartTimer.unref();
  }
}
