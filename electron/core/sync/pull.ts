// The pull of one shop, as the scheduler runs it: refresh a token about to expire, then pull the
// orders modified since the shop's cursor, window by window and page by page, and land each page
// through ingestOrders — which advances the cursor in the transaction of the window's last page, so
// a crash mid-window re-pulls that window and the idempotent upsert makes the repeat harmless
// (docs/sync.md#platform-pull-cursors-windows-overlap). A failed page is retried in place when the
// adapter marked it transient; a failed round is recorded, classified, on the shop's cursor.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Platform } from '../../shared/model.ts';
import { AppError } from '../../shared/result.ts';
import { redact } from '../../shared/redact.ts';
import type { SyncErrorKind } from '../../shared/sync-errors.ts';
import type { EventBus } from '../api/events.ts';
import type { HybridClock } from '../api/hlc.ts';
import { v7 as uuidv7 } from 'uuid';
import { writeTx, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { appendOp } from '../db/ops.ts';
import { autoReviewAfterIngest } from '../orders/auto-review.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { AdapterPayloadError, shopSettings, type PlatformAdapter, type ShopRecord } from '../platforms/contract.ts';
import { loadShopSecrets, type SecretCipher } from '../shops/secrets.ts';
import { accessTokenExpiresAt, ensureFreshToken } from '../shops/token-refresh.ts';
import { classifyError, inRoundRetryDelayMs, markedRetryable, type Failure, type InRoundPolicy } from './backoff.ts';
import type { ShopSyncResult } from './engine.ts';
import { shopBackfillMs, shopStatements } from './shop-state.ts';
import { WarningCollector } from './sync-log.ts';

export interface ShopPullDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  clock: HybridClock;
  /** Token refreshes in flight, shared with whoever else refreshes this station's tokens. */
  tokenRefreshes: Map<string, Promise<void>>;
  makeAdapter: (shop: ShopRecord) => PlatformAdapter;
  secretCipher: SecretCipher | undefined;
  /** How far a first sync looks back when the shop's settings name no backfillDays. */
  backfillMs: number;
  inRoundPolicy: InRoundPolicy;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  /** True once the scheduler is stopping: looked at between pages and around retry waits. */
  stopping: () => boolean;
  /** The pull of an active shop begins (the scheduler's due times count from here). */
  onStart: (shopId: string, at: number) => void;
  /** How the round ended (null: success), told before it is announced, so health and events agree. */
  onOutcome: (shopId: string, failure: Failure | null) => void;
}

/** Keep clear of the platform's look-back limit: our clock and theirs differ by a little. */
const HORIZON_MARGIN_MS = 3600_000;

function statements(db: Db) {
  const c = db.$client;
  return {
    ...shopStatements(db),
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
    // Effects the synced tables' triggers recorded in this transaction and no op took yet.
    unassignedEffects: c.prepare<[], { one: number }>(`SELECT 1 AS one FROM op_effects WHERE op_id IS NULL LIMIT 1`),
    quarantinedAlready: c.prepare<[string, string | null, string], { one: number }>(
      `SELECT 1 AS one FROM quarantine
        WHERE shop_id = ? AND resolved_at IS NULL AND platform_order_id IS ? AND payload = ? LIMIT 1`,
    ),
  };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class ShopPull {
  private readonly sql: ReturnType<typeof statements>;

  constructor(private readonly d: ShopPullDeps) {
    this.sql = statements(d.db);
  }

  /**
   * Pulls the shop to now; never rejects: an error is recorded on its cursor and in the result.
   * `leaseFence`: the sync lease this station pulls the shop under, stamped on every ingest.
   */
  async run(shopId: string, leaseFence: number | null = null): Promise<ShopSyncResult> {
    const d = this.d;
    const result: ShopSyncResult = { pulled: 0, changed: 0, quarantined: 0 };
    const shop = this.sql.shop.get(shopId);
    if (!shop || shop.state !== 'active' || d.stopping()) return result;
    // Orders kept with warnings: counted and sampled per run, for the sync log (never quarantined).
    const warned = new WarningCollector();
    result.warnings = warned.result();
    const platform = shop.platform as Platform;
    const startedAt = d.now();
    d.onStart(shopId, startedAt);
    let from = startedAt - shopBackfillMs(shop, d.backfillMs);
    d.events.emit('sync.progress', { shopId, phase: 'start', pulled: 0 });
    try {
      // A token about to expire is refreshed first (shops without a stored expiry are untouched);
      // a refused refresh throws SHOP_AUTH_EXPIRED, which pauses the shop below.
      if (d.secretCipher && accessTokenExpiresAt(shopSettings(shop)) !== undefined) {
        await ensureFreshToken({ db: d.db, secretCipher: d.secretCipher, now: d.now, inFlight: d.tokenRefreshes }, shopId);
      }
      const adapter = d.makeAdapter(this.withSecrets(shop));
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
          if (d.stopping() || pulled === null) return result;
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
          const r = ingestOrders(
            d.db,
            { shopId, platform, orders, quarantined, ...(last ? { cursorMs: to } : {}), ...(leaseFence === null ? {} : { leaseFence }) },
            d.now(),
            d.clock,
          );
          this.autoReview(shopId, r.changedIds);
          result.pulled += pulled.payloads.length;
          result.changed += r.changedIds.length;
          result.quarantined += r.quarantined;
          result.warnings = warned.result();
          changedInWindow += r.changedIds.length;
          quarantinedInWindow += r.quarantined;
          d.events.emit('sync.progress', { shopId, phase: 'page', pulled: result.pulled });
          // A fast platform (the sandbox) resolves at once; without this a backfill would starve API calls.
          await yieldToEventLoop();
          if (last) break;
          page = pulled.next;
        }
        if (changedInWindow > 0 || quarantinedInWindow > 0) {
          const tables = changedInWindow > 0 ? ['orders', 'order_items', 'order_payloads', 'ops'] : [];
          if (quarantinedInWindow > 0) tables.push('quarantine');
          d.events.emit('db.changed', { tables: [...tables, 'sync_cursors'] });
        }
        from = to;
      }
      writeTx(d.db, (tx) => {
        this.sql.success.run(shopId, from, d.now());
        this.recordAsOp(tx, shopId, leaseFence, 'success');
      });
      d.onOutcome(shopId, null);
      d.events.emit('sync.progress', { shopId, phase: 'done', pulled: result.pulled });
    } catch (err) {
      result.error = messageOf(err);
      const failure = classifyError(err);
      d.onOutcome(shopId, failure);
      this.recordFailure(shopId, from, err, failure.kind, leaseFence);
    }
    return result;
  }

  /**
   * 自动审单 right after the ingest, over the orders it changed (a no-op unless the station turned it
   * on). Its own command; a failure is logged and leaves the orders in 待审核 for a person.
   */
  private autoReview(shopId: string, changedIds: string[]): void {
    const d = this.d;
    try {
      autoReviewAfterIngest({ db: d.db, events: d.events, now: d.now, clock: d.clock }, changedIds);
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
    const d = this.d;
    for (let retry = 0; ; retry += 1) {
      try {
        return await adapter.pullPage(window, page);
      } catch (err) {
        // Only errors the adapter marked retryable are retried here; anything else fails the round.
        const failure = markedRetryable(err) ? classifyError(err) : null;
        const delay = failure ? inRoundRetryDelayMs(retry, failure, d.inRoundPolicy, d.random) : null;
        if (delay === null || d.stopping()) throw err;
        await d.sleep(delay);
        if (d.stopping()) return null;
      }
    }
  }

  /**
   * The shop as its adapter sees it: stored secrets merged over an in-memory copy of its settings
   * (never written back). Adapters keep reading { appSecret, accessToken, ... } from settings.
   */
  private withSecrets(shop: ShopRecord): ShopRecord {
    if (!this.d.secretCipher) return shop;
    const secrets = loadShopSecrets(this.d.db, this.d.secretCipher, shop.id);
    if (!secrets) return shop;
    return { id: shop.id, name: shop.name, platform: shop.platform, state: shop.state, settings: JSON.stringify({ ...shopSettings(shop), ...secrets }) };
  }

  /**
   * On a joined station the round's outcome (sync_cursors' last success or error, a shop paused for
   * its authorisation) travels like the rows it ingested: written as a sync.ingest op of the round's
   * lease, so it reaches the team and a station that lost the shop cannot overwrite the holder's.
   * Without that op the triggers' effect rows would wait for whatever op came next, and until then
   * the station would keep its own copy of the cursor over a newer one pulled from the hub
   * (docs/team-hub.md#effects-capture-migration-0012). Unjoined, no effect is recorded and no op
   * is written.
   */
  private recordAsOp(tx: WriteTx, shopId: string, leaseFence: number | null, outcome: 'success' | 'failure'): void {
    if (!this.sql.unassignedEffects.get()) return;
    const now = this.d.now();
    appendOp(tx, {
      id: uuidv7(),
      at: now,
      clock: this.d.clock,
      actor: 'sync',
      name: 'sync.ingest',
      args: { shopId, inserted: 0, updated: 0, cursorMs: null, outcome, ...(leaseFence === null ? {} : { leaseFence }) },
    });
  }

  private recordFailure(shopId: string, from: number, err: unknown, kind: SyncErrorKind, leaseFence: number | null): void {
    const d = this.d;
    // Stored on the cursor and shown to every role: a gateway's echo of the request loses its secrets.
    // Classified here, once: the code and kind are columns, the message stays the thrower's words.
    const message = redact(messageOf(err));
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    const tables = ['sync_cursors'];
    try {
      // Not a command: the pull records its own failure in a short write transaction.
      writeTx(d.db, (tx) => {
        // A first sync that fails still records where its backfill begins, so the next try resumes there.
        this.sql.failure.run(shopId, from, message, code, kind, d.now());
        if (err instanceof AppError && err.code === 'SHOP_AUTH_EXPIRED') {
          this.sql.authExpired.run(shopId);
          tables.push('shops');
        }
        this.recordAsOp(tx, shopId, leaseFence, 'failure');
      });
    } catch (writeErr) {
      // The database itself is failing (disk full, closed): nothing more to record, keep the loop alive.
      console.error(`[sync] ${shopId}: could not record sync error`, writeErr);
    }
    d.events.emit('sync.progress', { shopId, phase: 'error', pulled: 0, message });
    d.events.emit('db.changed', { tables });
  }
}
