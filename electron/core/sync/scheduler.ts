// The platform sync scheduler: a timer ticks every few seconds and starts each active shop whose own
// interval has passed since its last attempt (settings.syncIntervalMs, default 2 minutes), a few shops
// at a time, with a failing shop backing off and its circuit opening after repeated failures
// (backoff.ts). Each start is logged (sync-log.ts) and pulls the shop through pull.ts. It runs inline
// (tests, CLI) or inside the background worker (background/worker.ts).
import type { ShopSyncState } from '../../shared/contract.ts';
import { syncErrorOf, type SyncError } from '../../shared/sync-errors.ts';
import type { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { HybridClock } from '../api/hlc.ts';
import { createStationClock } from '../station/clock.ts';
import type { Station } from '../station/station.ts';
import {
  afterFailure,
  afterSuccess,
  DEFAULT_IN_ROUND_POLICY,
  DEFAULT_ROUND_POLICY,
  HEALTHY,
  scheduledAttemptAllowed,
  type CircuitPolicy,
  type InRoundPolicy,
  type ShopHealth,
} from './backoff.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor } from '../platforms/registry.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { beginRun, finishRun, pruneRuns, type SyncTrigger } from './sync-log.ts';
import { periodic, type PeriodicLoop } from '../background/periodic.ts';
import type { ShopSyncResult, SyncEngine } from './engine.ts';
import { ShopPull } from './pull.ts';
import { HubLeaseGate, NO_LEASES, type LeaseGate } from '../hub/leases.ts';
import { DEFAULT_BACKFILL_MS, DEFAULT_SHOP_INTERVAL_MS, readSyncStatus, shopIntervalMs, shopStatements, type ShopRow } from './shop-state.ts';

export interface SchedulerDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  /** The station's clock (station/clock.ts); a station clock on this connection when not given. */
  clock?: HybridClock | undefined;
  /** The core's in-memory station state (its token refreshes); the scheduler keeps its own when not given. */
  station?: Pick<Station, 'tokenRefreshes'> | undefined;
  /** A shop's sync interval when its settings name none (default 2 minutes; settings.syncIntervalMs wins). */
  intervalMs?: number;
  /** How often the timer looks for shops that are due (default 5 s). */
  tickMs?: number;
  /** Shops pulled at once (default 4): platforms throttle per app, and SQLite has one writer anyway. */
  maxConcurrent?: number;
  /** A shop's first sync looks back this far when its settings name no backfillDays (default 3 days). */
  backfillMs?: number;
  adapterFor?: (shop: ShopRecord) => PlatformAdapter;
  /** Opens shops' stored secrets for their adapters; without one, adapters see settings as stored. */
  secretCipher?: SecretCipher;
  /** Backoff between failed rounds and the per-shop circuit breaker (backoff.ts defaults). */
  roundPolicy?: Partial<CircuitPolicy>;
  /** Retries of a failed page inside a round (backoff.ts defaults). */
  inRoundPolicy?: Partial<InRoundPolicy>;
  /** Jitter source in [0, 1) (default Math.random); tests pin it. */
  random?: () => number;
  /** Waits between in-round retries (default a real timer); tests make it instant. */
  sleep?: (ms: number) => Promise<void>;
  /** Told the ids of shops started or queued whenever that set changes (the worker reports it to its host). */
  onSyncingChange?: (shopIds: string[]) => void;
  /**
   * Asked before every shop's round whether this station pulls it, and under which lease fence
   * (docs/team-hub.md#sync-leases). Default: the hub's gate when there is a secret store to keep a
   * hub token in (it lets every shop go while the station has no hub), else none.
   */
  leases?: LeaseGate;
}

const DEFAULT_TICK_MS = 5_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class SyncScheduler implements SyncEngine {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly tickMs: number;
  private readonly maxConcurrent: number;
  private readonly sql: ReturnType<typeof shopStatements>;
  private readonly pull: ShopPull;
  private readonly running = new Map<string, Promise<ShopSyncResult>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private readonly loop: PeriodicLoop;
  private stopping = false;
  private readonly roundPolicy: CircuitPolicy;
  private readonly random: () => number;
  /** Per-shop failure streaks and circuit state: in memory only, so a restart gives every shop a fresh try. */
  private readonly healthByShop = new Map<string, ShopHealth>();
  /** When each shop's last sync began (in memory: a fresh start syncs every shop once right away). */
  private readonly lastAttemptAt = new Map<string, number>();
  private readonly onSyncingChange: ((shopIds: string[]) => void) | undefined;
  /** Shops started by syncNow (a person asked) whose run has not begun yet: their sync log says 'manual'. */
  private readonly manualStarts = new Set<string>();
  /** Runs logged since the sync log was last pruned. */
  private runsSincePrune = 0;
  private readonly leases: LeaseGate;

  constructor(deps: SchedulerDeps) {
    this.db = deps.db;
    this.events = deps.events;
    this.now = deps.now;
    this.intervalMs = deps.intervalMs ?? DEFAULT_SHOP_INTERVAL_MS;
    this.tickMs = Math.max(1, deps.tickMs ?? DEFAULT_TICK_MS);
    this.maxConcurrent = Math.max(1, deps.maxConcurrent ?? 4);
    this.sql = shopStatements(deps.db);
    this.roundPolicy = { ...DEFAULT_ROUND_POLICY, ...deps.roundPolicy };
    this.random = deps.random ?? Math.random;
    this.onSyncingChange = deps.onSyncingChange;
    this.leases = deps.leases ?? (deps.secretCipher ? new HubLeaseGate({ db: deps.db, cipher: deps.secretCipher }) : NO_LEASES);
    this.pull = new ShopPull({
      db: deps.db,
      events: deps.events,
      now: deps.now,
      clock: deps.clock ?? createStationClock(deps.db, deps.now),
      tokenRefreshes: deps.station?.tokenRefreshes ?? new Map(),
      makeAdapter: deps.adapterFor ?? ((shop) => registryAdapterFor(shop, { now: deps.now })),
      secretCipher: deps.secretCipher,
      backfillMs: deps.backfillMs ?? DEFAULT_BACKFILL_MS,
      inRoundPolicy: { ...DEFAULT_IN_ROUND_POLICY, ...deps.inRoundPolicy },
      random: this.random,
      sleep: deps.sleep ?? realSleep,
      stopping: () => this.stopping,
      onStart: (shopId, at) => this.lastAttemptAt.set(shopId, at),
      onOutcome: (shopId, failure) => {
        // An expired authorisation pauses the shop (the pull records it) until it is re-authorised: no backoff to keep.
        if (failure === null) this.healthByShop.set(shopId, afterSuccess());
        else if (failure.kind !== 'auth') this.healthByShop.set(shopId, afterFailure(this.health(shopId), failure, this.now(), this.roundPolicy, this.random));
      },
    });
    this.loop = periodic(() => this.scheduledRound(), { everyMs: this.tickMs, immediately: true });
  }

  /**
   * Sync every due shop now, then look for due shops every tick. Ticking often and letting each shop
   * keep its own interval spreads 100 shops over time instead of starting them all in one burst.
   * Timers never keep the process alive.
   */
  start(): void {
    if (this.loop.running) return;
    this.stopping = false;
    this.loop.start();
    this.leases.start();
  }

  /** Stop the timers, let running pulls finish their current page, and wait for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.loop.stop();
    await this.leases.stop();
    // Shops waiting for a slot give up at once; running ones see `stopping` between pages.
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.allSettled([...this.running.values()]);
  }

  /**
   * Start syncing one shop or every active shop; returns the ids started (not already running).
   * A person asked for it, so shops in backoff or with an open circuit are tried too (a half-open probe).
   */
  syncNow(shopId?: string): string[] {
    return this.startShops(shopId, false);
  }

  /**
   * The timer's round: starts the shops that are due (last attempt + the shop's interval ≤ now), and
   * unlike syncNow() leaves shops in backoff or with an open circuit alone.
   */
  scheduledRound(): string[] {
    return this.startShops(undefined, true);
  }

  /** The shop's failure streak and when scheduled rounds may try it again (epoch ms, null = now). */
  health(shopId: string): ShopHealth {
    return { ...(this.healthByShop.get(shopId) ?? HEALTHY) };
  }

  private startShops(shopId: string | undefined, scheduled: boolean): string[] {
    if (this.stopping) return [];
    const rows = shopId === undefined ? this.sql.shops.all() : [this.sql.shop.get(shopId)].filter((r): r is ShopRow => r !== undefined);
    const started: string[] = [];
    const now = this.now();
    for (const row of rows) {
      if (row.state !== 'active' || this.running.has(row.id)) continue;
      if (scheduled && !this.isDue(row, now)) continue;
      started.push(row.id);
      if (!scheduled) this.manualStarts.add(row.id);
      void this.syncShop(row.id);
    }
    return started;
  }

  private isDue(row: ShopRow, now: number): boolean {
    const last = this.lastAttemptAt.get(row.id);
    // A clock set back (last > now) must not hold a shop back until the wall clock catches up.
    if (last !== undefined && last <= now && last + shopIntervalMs(row, this.intervalMs) > now) return false;
    return scheduledAttemptAllowed(this.health(row.id), now);
  }

  /** Sync one shop to now (joins a sync already running). Never rejects: errors are recorded. */
  syncShop(shopId: string): Promise<ShopSyncResult> {
    const existing = this.running.get(shopId);
    if (existing) return existing;
    const run = this.withSlot(() => this.loggedRun(shopId)).finally(() => {
      this.running.delete(shopId);
      this.reportSyncing();
    });
    this.running.set(shopId, run);
    this.reportSyncing();
    return run;
  }

  status(): ShopSyncState[] {
    return readSyncStatus(this.db, (id) => this.running.has(id));
  }

  private reportSyncing(): void {
    if (!this.onSyncingChange) return;
    try {
      this.onSyncingChange([...this.running.keys()]);
    } catch (err) {
      console.error('[sync] onSyncingChange failed', err);
    }
  }

  private async withSlot<T>(task: () => Promise<T>): Promise<T> {
    while (this.active >= this.maxConcurrent && !this.stopping) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  /**
   * The shop's pull (pull.ts) with its sync log row (sync-log.ts): one short insert before the pull and one update after
   * it, each its own statement outside the pull's transactions. A shop that will not run (gone,
   * not active, stopping) logs nothing; a process killed mid-run leaves the row unfinished.
   */
  private async loggedRun(shopId: string): Promise<ShopSyncResult> {
    const manual = this.manualStarts.delete(shopId);
    const shop = this.sql.shop.get(shopId);
    if (!shop || shop.state !== 'active' || this.stopping) return this.pull.run(shopId);
    // With a team hub one station pulls each shop: a shop another station holds is left to it (its
    // next try after the shop's interval), and what this station ingests carries its lease's fence.
    let lease: Awaited<ReturnType<LeaseGate['admit']>>;
    try {
      lease = await this.leases.admit(shopId);
    } catch (err) {
      // A fault here (not the hub's refusal or absence, which the gate answers) must not end the loop.
      console.error(`[sync] ${shopId}: the sync lease could not be asked for`, err);
      return { pulled: 0, changed: 0, quarantined: 0, error: `the sync lease could not be asked for: ${(err as Error).message}` };
    }
    if (!lease.sync) {
      this.lastAttemptAt.set(shopId, this.now());
      return { pulled: 0, changed: 0, quarantined: 0, leftTo: { reason: lease.reason, stationName: lease.holder?.stationName ?? null } };
    }
    const trigger: SyncTrigger = shop.cursor_ms === null ? 'backfill' : manual ? 'manual' : 'schedule';
    let runId: string | null = null;
    try {
      // The run log is written beside the pull, not by a command: short write transactions of its own.
      runId = writeTx(this.db, (tx) => beginRun(tx, { shopId, trigger, now: this.now() }));
    } catch (err) {
      // The log is for people; a failing write must not stop the pull itself.
      console.error(`[sync] ${shopId}: could not log the run`, err);
    }
    const result = await this.pull.run(shopId, lease.fence);
    // A shop this station can no longer pull (its authorisation ran out here) goes to another station now.
    if (lease.fence !== null && this.sql.shop.get(shopId)?.state !== 'active') await this.leases.release(shopId);
    if (runId === null) return result;
    try {
      const outcome = {
        pulled: result.pulled,
        changed: result.changed,
        quarantined: result.quarantined,
        error: this.lastErrorOf(shopId, result),
        ...(result.warnings ? { warnings: result.warnings } : {}),
      };
      const finished = runId;
      writeTx(this.db, (tx) => finishRun(tx, finished, outcome, this.now()));
      this.events.emit('db.changed', { tables: ['sync_runs'] });
      // Keep the log bounded without a delete per run: prune once every 200 runs.
      this.runsSincePrune += 1;
      if (this.runsSincePrune >= 200) {
        this.runsSincePrune = 0;
        writeTx(this.db, (tx) => pruneRuns(tx));
      }
    } catch (err) {
      console.error(`[sync] ${shopId}: could not finish the run's log entry`, err);
    }
    return result;
  }

  /** The run's error as recorded on the cursor (classified there), so the log and the Shops page agree. */
  private lastErrorOf(shopId: string, result: ShopSyncResult): SyncError | null {
    if (result.error === undefined) return null;
    const row = this.sql.shop.get(shopId);
    return syncErrorOf(row?.last_error ?? result.error, row?.last_error_code ?? null, row?.last_error_kind ?? null);
  }
}
