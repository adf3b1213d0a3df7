// The platform sync scheduler: a timer ticks every few seconds and starts each active shop whose own
// interval has passed since its last attempt (settings.syncIntervalMs, default 2 minutes). A shop
// pulls the orders modified since its cursor, window by window and page by page, and lands them
// through ingestOrders — which advances the cursor in the transaction of the window's last page, so
// a crash mid-window re-pulls that window and the idempotent upsert makes the repeat harmless
// (docs/sync.md#platform-pull-cursors-windows-overlap). It runs inline (tests, CLI) or inside the sync worker
// (worker.ts).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ShopSyncState } from '../../shared/contract.ts';
import type { Platform } from '../../shared/model.ts';
import { AppError } from '../../shared/result.ts';
import { redact } from '../../shared/redact.ts';
import { syncErrorOf, type SyncError, type SyncErrorKind } from '../../shared/sync-errors.ts';
import type { EventBus } from '../api/events.ts';
import type { Db } from '../db/open.ts';
import { autoReviewAfterIngest } from '../orders/auto-review.ts';
import type { HybridClock } from '../api/hlc.ts';
import { createStationClock } from '../station/clock.ts';
import type { Station } from '../station/station.ts';
import { ingestOrders } from '../orders/ingest.ts';
import {
  afterFailure,
  afterSuccess,
  classifyError,
  DEFAULT_IN_ROUND_POLICY,
  DEFAULT_ROUND_POLICY,
  HEALTHY,
  inRoundRetryDelayMs,
  markedRetryable,
  scheduledAttemptAllowed,
  type CircuitPolicy,
  type InRoundPolicy,
  type ShopHealth,
} from './backoff.ts';
import { AdapterPayloadError, shopSettings, type PlatformAdapter, type ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor } from '../platforms/registry.ts';
import { loadShopSecrets, type SecretCipher } from '../shops/secrets.ts';
import { beginRun, finishRun, pruneRuns, WarningCollector, type RunWarnings, type SyncTrigger } from './sync-log.ts';
import { accessTokenExpiresAt, ensureFreshToken } from '../shops/token-refresh.ts';
import { periodic, type PeriodicLoop } from '../background/periodic.ts';

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
}

/**
 * What the API handlers, the CLI and the app need from a sync engine: the in-process SyncScheduler
 * and the worker-thread facade (sync-service.ts) both provide it.
 */
export interface SyncEngine {
  /** Begin the per-shop schedule. */
  start(): void;
  /** Stop scheduling and wait for running pulls to end. */
  stop(): Promise<void>;
  /** Start one shop or every active shop now; the ids asked to start (not already syncing). */
  syncNow(shopId?: string): string[];
  /** Sync one shop to now (joins a running sync); never rejects, errors come back in the result. */
  syncShop(shopId: string): Promise<ShopSyncResult>;
  status(): ShopSyncState[];
}

export interface ShopSyncResult {
  /** Payloads received (including quarantined ones). */
  pulled: number;
  /** Orders inserted or updated. */
  changed: number;
  quarantined: number;
  /** Orders kept although the adapter could not read all of them (also stored in the sync log). */
  warnings?: RunWarnings;
  /** Set when the sync stopped on an error (also recorded on the shop's cursor). */
  error?: string;
}

/** Every shop syncs every 2 minutes unless its settings say otherwise (docs/sync.md). */
export const DEFAULT_SHOP_INTERVAL_MS = 2 * 60_000;
const DEFAULT_TICK_MS = 5_000;
const DAY_MS = 24 * 3600_000;
const DEFAULT_BACKFILL_MS = 3 * DAY_MS;
/** Keep clear of the platform's look-back limit: our clock and theirs differ by a little. */
const HORIZON_MARGIN_MS = 3600_000;

interface ShopRow extends ShopRecord {
  cursor_ms: number | null;
  last_success_at: number | null;
  last_error: string | null;
  last_error_code: string | null;
  last_error_kind: string | null;
}

function statements(db: Db) {
  const c = db.$client;
  return {
    shop: c.prepare<[string], ShopRow>(
      `SELECT s.id, s.name, s.platform, s.state, s.settings, k.cursor_ms, k.last_success_at, k.last_error, k.last_error_code, k.last_error_kind
         FROM shops s LEFT JOIN sync_cursors k ON k.shop_id = s.id WHERE s.id = ?`,
    ),
    shops: c.prepare<[], ShopRow>(
      `SELECT s.id, s.name, s.platform, s.state, s.settings, k.cursor_ms, k.last_success_at, k.last_error, k.last_error_code, k.last_error_kind
         FROM shops s LEFT JOIN sync_cursors k ON k.shop_id = s.id ORDER BY s.created_at, s.id`,
    ),
    success: c.prepare<[string, number, number]>(
      `INSERT INTO sync_cursors (shop_id, cursor_ms, last_success_at) VALUES (?, ?, ?)
       ON CONFLICT(shop_id) DO UPDATE SET last_success_at = excluded.last_success_at, last_error = NULL, last_error_code = NULL, last_error_kind = NULL, last_error_at = NULL`,
    ),
    failure: c.prepare<[string, number, string, string, string, number]>(
      `INSERT INTO sync_cursors (shop_id, cursor_ms, last_error, last_error_code, last_error_kind, last_error_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(shop_id) DO UPDATE SET last_error = excluded.last_error, last_error_code = excluded.last_error_code,
         last_error_kind = excluded.last_error_kind, last_error_at = excluded.last_error_at`,
    ),
    authExpired: c.prepare<[string]>(`UPDATE shops SET state = 'auth_expired' WHERE id = ? AND state = 'active'`),
    // A payload re-pulled through the window overlap is the same bad payload: keep one row for it.
    quarantinedAlready: c.prepare<[string, string | null, string], { one: number }>(
      `SELECT 1 AS one FROM quarantine
        WHERE shop_id = ? AND resolved_at IS NULL AND platform_order_id IS ? AND payload = ? LIMIT 1`,
    ),
  };
}

const statusStatements = new WeakMap<Db['$client'], ReturnType<typeof statements>['shops']>();

/**
 * Shops with their cursors as the sync status shows them. Shared by the scheduler and the worker
 * facade, which reads through the host's own connection and knows `syncing` from the worker.
 */
export function readSyncStatus(db: Db, isSyncing: (shopId: string) => boolean): ShopSyncState[] {
  let shops = statusStatements.get(db.$client);
  if (!shops) {
    shops = statements(db).shops;
    statusStatements.set(db.$client, shops);
  }
  return shops.all().map((r) => ({
    shopId: r.id,
    shopName: r.name,
    platform: r.platform as Platform,
    state: r.state as ShopSyncState['state'],
    lastSuccessAt: r.last_success_at,
    lastError: syncErrorOf(r.last_error, r.last_error_code, r.last_error_kind),
    syncing: isSyncing(r.id),
  }));
}

/** A non-negative finite number from a shop's settings, or undefined. */
function settingNumber(settings: Record<string, unknown>, key: string): number | undefined {
  const v = settings[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** The shop's own sync interval: settings.syncIntervalMs (demo shops use 15 s), else the default. */
export function shopIntervalMs(shop: Pick<ShopRecord, 'settings'>, fallbackMs: number = DEFAULT_SHOP_INTERVAL_MS): number {
  return settingNumber(shopSettings(shop), 'syncIntervalMs') ?? fallbackMs;
}

/** How far a shop's first sync looks back: settings.backfillDays (default 3 days, or the scheduler's). */
export function shopBackfillMs(shop: Pick<ShopRecord, 'settings'>, fallbackMs: number = DEFAULT_BACKFILL_MS): number {
  const days = settingNumber(shopSettings(shop), 'backfillDays');
  return days === undefined ? fallbackMs : days * DAY_MS;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class SyncScheduler implements SyncEngine {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly tickMs: number;
  private readonly maxConcurrent: number;
  private readonly backfillMs: number;
  private readonly makeAdapter: (shop: ShopRecord) => PlatformAdapter;
  private readonly secretCipher: SecretCipher | undefined;
  private readonly sql: ReturnType<typeof statements>;
  private readonly running = new Map<string, Promise<ShopSyncResult>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private readonly loop: PeriodicLoop;
  private stopping = false;
  private readonly roundPolicy: CircuitPolicy;
  private readonly inRoundPolicy: InRoundPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Per-shop failure streaks and circuit state: in memory only, so a restart gives every shop a fresh try. */
  private readonly healthByShop = new Map<string, ShopHealth>();
  /** When each shop's last sync began (in memory: a fresh start syncs every shop once right away). */
  private readonly lastAttemptAt = new Map<string, number>();
  private readonly onSyncingChange: ((shopIds: string[]) => void) | undefined;
  /** Shops started by syncNow (a person asked) whose run has not begun yet: their sync log says 'manual'. */
  private readonly manualStarts = new Set<string>();
  private readonly clock: HybridClock;
  private readonly tokenRefreshes: Map<string, Promise<void>>;
  /** Runs logged since the sync log was last pruned. */
  private runsSincePrune = 0;

  constructor(deps: SchedulerDeps) {
    this.db = deps.db;
    this.events = deps.events;
    this.now = deps.now;
    this.clock = deps.clock ?? createStationClock(deps.db, deps.now);
    this.tokenRefreshes = deps.station?.tokenRefreshes ?? new Map();
    this.intervalMs = deps.intervalMs ?? DEFAULT_SHOP_INTERVAL_MS;
    this.tickMs = Math.max(1, deps.tickMs ?? DEFAULT_TICK_MS);
    this.maxConcurrent = Math.max(1, deps.maxConcurrent ?? 4);
    this.backfillMs = deps.backfillMs ?? DEFAULT_BACKFILL_MS;
    this.makeAdapter = deps.adapterFor ?? ((shop) => registryAdapterFor(shop, { now: deps.now }));
    this.secretCipher = deps.secretCipher;
    this.sql = statements(deps.db);
    this.roundPolicy = { ...DEFAULT_ROUND_POLICY, ...deps.roundPolicy };
    this.inRoundPolicy = { ...DEFAULT_IN_ROUND_POLICY, ...deps.inRoundPolicy };
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? realSleep;
    this.onSyncingChange = deps.onSyncingChange;
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
  }

  /** Stop the timers, let running pulls finish their current page, and wait for them. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.loop.stop();
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
   * run() with its sync log row (sync-log.ts): one short insert before the pull and one update after
   * it, each its own statement outside the pull's transactions. A shop that will not run (gone,
   * not active, stopping) logs nothing; a process killed mid-run leaves the row unfinished.
   */
  private async loggedRun(shopId: string): Promise<ShopSyncResult> {
    const manual = this.manualStarts.delete(shopId);
    const shop = this.sql.shop.get(shopId);
    if (!shop || shop.state !== 'active' || this.stopping) return this.run(shopId);
    const trigger: SyncTrigger = shop.cursor_ms === null ? 'backfill' : manual ? 'manual' : 'schedule';
    let runId: string | null = null;
    try {
      runId = beginRun(this.db, { shopId, trigger, now: this.now() });
    } catch (err) {
      // The log is for people; a failing write must not stop the pull itself.
      console.error(`[sync] ${shopId}: could not log the run`, err);
    }
    const result = await this.run(shopId);
    if (runId === null) return result;
    try {
      finishRun(
        this.db,
        runId,
        {
          pulled: result.pulled,
          changed: result.changed,
          quarantined: result.quarantined,
          error: this.lastErrorOf(shopId, result),
          ...(result.warnings ? { warnings: result.warnings } : {}),
        },
        this.now(),
      );
      this.events.emit('db.changed', { tables: ['sync_runs'] });
      // Keep the log bounded without a delete per run: prune once every 200 runs.
      this.runsSincePrune += 1;
      if (this.runsSincePrune >= 200) {
        this.runsSincePrune = 0;
        pruneRuns(this.db);
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

  private async run(shopId: string): Promise<ShopSyncResult> {
    const result: ShopSyncResult = { pulled: 0, changed: 0, quarantined: 0 };
    const shop = this.sql.shop.get(shopId);
    if (!shop || shop.state !== 'active' || this.stopping) return result;
    // Orders kept with warnings: counted and sampled per run, for the sync log (never quarantined).
    const warned = new WarningCollector();
    result.warnings = warned.result();
    const platform = shop.platform as Platform;
    const startedAt = this.now();
    this.lastAttemptAt.set(shopId, startedAt);
    let from = startedAt - shopBackfillMs(shop, this.backfillMs);
    this.events.emit('sync.progress', { shopId, phase: 'start', pulled: 0 });
    try {
      // A token about to expire is refreshed first (shops without a stored expiry are untouched);
      // a refused refresh throws SHOP_AUTH_EXPIRED, which pauses the shop below.
      if (this.secretCipher && accessTokenExpiresAt(shopSettings(shop)) !== undefined) {
        await ensureFreshToken({ db: this.db, secretCipher: this.secretCipher, now: this.now, inFlight: this.tokenRefreshes }, shopId);
      }
      const adapter = this.makeAdapter(this.withSecrets(shop));
      const limits = adapter.limits;
      if (shop.cursor_ms !== null) from = shop.cursor_ms - limits.overlapMs;
      from = Math.max(from, startedAt - limits.horizonMs + HORIZON_MARGIN_MS);
      const end = startedAt - limits.lagMs;
      while (from < end) {
        const to = Math.min(from + limits.maxWindowMs, end);
        let page: string | null = null;
        let changedInWindow = 0;
        let quarantinedInWindow = 0;
        for (;;) {
          const pulled = await this.pullWithRetry(adapter, { fromMs: from, toMs: to }, page);
          // Stopping between pages leaves the cursor where it was: the window is pulled again next time.
          if (this.stopping || pulled === null) return result;
          const orders: Parameters<typeof ingestOrders>[1]['orders'] = [];
          const quarantined: { platformOrderId: string | null; reason: string; payload: unknown }[] = [];
          for (const payload of pulled.payloads) {
            const messages: string[] = [];
            try {
              const order = adapter.toOrder(payload, (message) => messages.push(message));
              // The raw payload is stored with the order (order_payloads) like any other: what the
              // adapter could not read is still there for a person or a later adapter.
              orders.push({ order, raw: payload });
              warned.add(order.platformOrderId, messages);
            } catch (err) {
              const entry =
                err instanceof AdapterPayloadError
                  ? { platformOrderId: err.platformOrderId, reason: err.reason, payload }
                  : { platformOrderId: null, reason: `mapping failed: ${messageOf(err)}`, payload };
              if (!this.sql.quarantinedAlready.get(shopId, entry.platformOrderId, JSON.stringify(payload ?? null))) quarantined.push(entry);
            }
          }
          const last = pulled.next === null;
          const r = ingestOrders(this.db, { shopId, platform, orders, quarantined, ...(last ? { cursorMs: to } : {}) }, this.now(), this.clock);
          this.autoReview(shopId, r.changedIds);
          result.pulled += pulled.payloads.length;
          result.changed += r.changedIds.length;
          result.quarantined += r.quarantined;
          result.warnings = warned.result();
          changedInWindow += r.changedIds.length;
          quarantinedInWindow += r.quarantined;
          this.events.emit('sync.progress', { shopId, phase: 'page', pulled: result.pulled });
          // A fast platform (the sandbox) resolves at once; without this a backfill would starve API calls.
          await yieldToEventLoop();
          if (last) break;
          page = pulled.next;
        }
        if (changedInWindow > 0 || quarantinedInWindow > 0) {
          const tables = changedInWindow > 0 ? ['orders', 'order_items', 'order_payloads', 'ops'] : [];
          if (quarantinedInWindow > 0) tables.push('quarantine');
          this.events.emit('db.changed', { tables: [...tables, 'sync_cursors'] });
        }
        from = to;
      }
      this.sql.success.run(shopId, from, this.now());
      this.healthByShop.set(shopId, afterSuccess());
      this.events.emit('sync.progress', { shopId, phase: 'done', pulled: result.pulled });
    } catch (err) {
      result.error = messageOf(err);
      const failure = classifyError(err);
      // An expired authorisation pauses the shop (recordFailure) until it is re-authorised: no backoff to keep.
      if (failure.kind !== 'auth') this.healthByShop.set(shopId, afterFailure(this.health(shopId), failure, this.now(), this.roundPolicy, this.random));
      this.recordFailure(shopId, from, err, failure.kind);
    }
    return result;
  }

  /**
   * 自动审单 right after the ingest, over the orders it changed (a no-op unless the station turned it
   * on). Its own command; a failure is logged and leaves the orders in 待审核 for a person.
   */
  private autoReview(shopId: string, changedIds: string[]): void {
    try {
      autoReviewAfterIngest({ db: this.db, events: this.events, now: this.now, clock: this.clock }, changedIds);
    } catch (err) {
      console.error(`[sync] ${shopId}: auto-review failed`, err);
    }
  }

  /**
   * One page, retried in place on a transient or briefly throttled failure. Nothing of a failed
   * page was ingested, so re-asking for the same page token keeps the cursor guarantee intact.
   * Returns null when the scheduler began stopping during a wait.
   */
  private async pullWithRetry(adapter: PlatformAdapter, window: { fromMs: number; toMs: number }, page: string | null) {
    for (let retry = 0; ; retry += 1) {
      try {
        return await adapter.pullPage(window, page);
      } catch (err) {
        // Only errors the adapter marked retryable are retried here; anything else fails the round.
        const failure = markedRetryable(err) ? classifyError(err) : null;
        const delay = failure ? inRoundRetryDelayMs(retry, failure, this.inRoundPolicy, this.random) : null;
        if (delay === null || this.stopping) throw err;
        await this.sleep(delay);
        if (this.stopping) return null;
      }
    }
  }

  /**
   * The shop as its adapter sees it: stored secrets merged over an in-memory copy of its settings
   * (never written back). Adapters keep reading { appSecret, accessToken, ... } from settings.
   */
  private withSecrets(shop: ShopRecord): ShopRecord {
    if (!this.secretCipher) return shop;
    const secrets = loadShopSecrets(this.db, this.secretCipher, shop.id);
    if (!secrets) return shop;
    return { id: shop.id, name: shop.name, platform: shop.platform, state: shop.state, settings: JSON.stringify({ ...shopSettings(shop), ...secrets }) };
  }

  private recordFailure(shopId: string, from: number, err: unknown, kind: SyncErrorKind): void {
    // Stored on the cursor and shown to every role: a gateway's echo of the request loses its secrets.
    // Classified here, once: the code and kind are columns, the message stays the thrower's words.
    const message = redact(messageOf(err));
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const tables = ['sync_cursors'];
    try {
      this.db.$client.transaction(() => {
        // A first sync that fails still records where its backfill begins, so the next try resumes there.
        this.sql.failure.run(shopId, from, message, code, kind, this.now());
        if (err instanceof AppError && err.code === 'SHOP_AUTH_EXPIRED') {
          this.sql.authExpired.run(shopId);
          tables.push('shops');
        }
      })();
    } catch (writeErr) {
      // The database itself is failing (disk full, closed): nothing more to record, keep the loop alive.
      console.error(`[sync] ${shopId}: could not record sync error`, writeErr);
    }
    this.events.emit('sync.progress', { shopId, phase: 'error', pulled: 0, message });
    this.events.emit('db.changed', { tables });
  }
}
