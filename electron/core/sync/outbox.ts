// The platform push-back outbox engine (docs/sync.md#the-push-back-outbox): sends the pushes rows that commands wrote
// (orders.ship → online send, orders.setFlag → memo/flag) through each shop's adapter, and records
// what the platform said. Each row's content was frozen by its command, so a retry — after a
// timeout, a crash or a person's "retry" — is always the same content, never a second, different one.
//
// Per row: pending → sending (own transaction, attempts+1) → network call → one transaction with
// the outcome: confirmed | failed | conflict, or back to pending with a backoff for transient
// failures. Serial per order (a ship queued after a memo goes after it) and per shop; at most
// maxConcurrent shops at once. Free of globals: the host (the background worker, tests) owns the instance.
import type { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { PlatformAdapter, PushOutcome, PushRequest, ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor, shopWithSecrets } from '../platforms/registry.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { redact } from '../../shared/redact.ts';
import { AppError, type ErrorCode } from '../../shared/result.ts';
import { REASONS, isReason, type Reason, type ReasonDetails } from '../../shared/reasons.ts';
import type { SyncErrorKind } from '../../shared/sync-errors.ts';
import { classifyError, markedRetryable, retryDelayMs, type BackoffPolicy } from './backoff.ts';
import { syncOpPushStates } from './push-state.ts';
import { periodic, type PeriodicLoop } from '../background/periodic.ts';

export interface OutboxDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  /** Builds a shop's adapter; the shop it gets already carries its secrets (default: the platform registry). */
  adapterFor?: (shop: ShopRecord) => PlatformAdapter;
  /** Opens shops' stored secrets for their adapters, as the sync scheduler does. */
  secretCipher?: SecretCipher;
  /** Jitter source in [0, 1) (default Math.random); tests pin it. */
  random?: () => number;
  /** Shops sending at once (default 4): platforms throttle per app, and each shop is serial anyway. */
  maxConcurrent?: number;
  /** How often start()'s timer looks for due pushes (default 5 s). */
  intervalMs?: number;
  /** Backoff after transient failures (default 5 s doubling, capped at 30 min). */
  backoff?: Partial<BackoffPolicy>;
  /** Rows picked per flush (default 500); the rest wait for the next flush. */
  batchSize?: number;
}

/** Transient failures retry with full jitter from 5 s, never waiting more than 30 minutes. */
export const OUTBOX_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 30 * 60_000 };
const DEFAULT_INTERVAL_MS = 5_000;
const DEFAULT_BATCH = 500;
const EMIT_EVERY_MS = 250;

interface DueRow {
  id: string;
  opId: string;
  orderId: string;
  shopId: string;
  kind: 'ship' | 'memo';
  payload: string;
  attempts: number;
  platformOrderId: string;
}

/**
 * A push's last error as stored in its own columns, classified where it happened (as a sync round's
 * is): the English message for logs, the code, the kind when it was thrown, and the reason with its
 * details for the words a person reads.
 */
interface PushError {
  message: string;
  code: ErrorCode;
  kind: SyncErrorKind | null;
  reason: Reason | null;
  details: unknown;
}

/** What a settled attempt writes to its row. */
interface Settlement {
  state: 'pending' | 'confirmed' | 'failed' | 'conflict';
  error: PushError | null;
  nextAt: number;
  authExpired: boolean;
}

interface ErrorColumns {
  lastError: string | null;
  code: string | null;
  kind: string | null;
  reason: string | null;
  details: string | null;
}

/** Redacted: platforms echo requests, in their messages and in the details they send back. */
const columnsOf = (e: PushError | null): ErrorColumns =>
  e === null
    ? { lastError: null, code: null, kind: null, reason: null, details: null }
    : {
        lastError: redact(e.message),
        code: e.code,
        kind: e.kind,
        reason: e.reason,
        details: e.details === undefined || e.details === null ? null : redact(JSON.stringify(e.details)),
      };

/** A push's refusal by the platform or by us, worded by its reason. */
const refusal = <R extends Reason>(reason: R, details: ReasonDetails[R], message: string): PushError => ({ message, code: REASONS[reason], kind: null, reason, details });

/** A thrown error: its code and reason as thrown, its kind as the backoff classified it. */
function thrownError(err: unknown, kind: SyncErrorKind): PushError {
  if (err instanceof AppError) return { message: err.message, code: err.code, kind, reason: isReason(err.reason) ? err.reason : null, details: isReason(err.reason) ? err.details : null };
  return { message: err instanceof Error ? err.message : String(err), code: 'INTERNAL', kind, reason: null, details: null };
}

function statements(db: Db) {
  const c = db.$client;
  return {
    // pushes_state_idx (state, next_at) finds the due rows; paused and auth-expired shops wait.
    due: c.prepare<[number, number], DueRow>(
      `SELECT p.id, p.op_id AS opId, p.order_id AS orderId, p.shop_id AS shopId, p.kind, p.payload, p.attempts,
              o.platform_order_id AS platformOrderId
         FROM pushes p JOIN shops s ON s.id = p.shop_id JOIN orders o ON o.id = p.order_id
        WHERE p.state = 'pending' AND p.next_at <= ? AND s.state = 'active'
        ORDER BY p.created_at, p.id LIMIT ?`,
    ),
    shop: c.prepare<[string], ShopRecord>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?'),
    // Claims a row only if it is still pending and due, its shop still active (a person may have
    // paused it since the pick), and no earlier push of the same order is still outstanding — so
    // a ship queued after a memo never overtakes it, even when the memo is backing off.
    claim: c.prepare<{ id: string; now: number }>(
      `UPDATE pushes SET state = 'sending', attempts = attempts + 1
        WHERE id = @id AND state = 'pending' AND next_at <= @now
          AND EXISTS (SELECT 1 FROM shops s WHERE s.id = pushes.shop_id AND s.state = 'active')
          AND NOT EXISTS (SELECT 1 FROM pushes e
                           WHERE e.order_id = pushes.order_id AND e.id <> pushes.id AND e.state IN ('pending', 'sending')
                             AND (e.created_at < pushes.created_at OR (e.created_at = pushes.created_at AND e.id < pushes.id)))`,
    ),
    opAttempt: c.prepare<[string]>('UPDATE ops SET push_attempts = push_attempts + 1 WHERE id = ?'),
    settle: c.prepare<{ id: string; state: string; nextAt: number; doneAt: number | null } & ErrorColumns>(
      `UPDATE pushes SET state = @state, last_error = @lastError, last_error_code = @code, last_error_kind = @kind,
              last_error_reason = @reason, last_error_details = @details, next_at = @nextAt, done_at = @doneAt
        WHERE id = @id AND state = 'sending'`,
    ),
    authExpired: c.prepare<[string]>(`UPDATE shops SET state = 'auth_expired' WHERE id = ? AND state = 'active'`),
    deferShop: c.prepare<{ shopId: string; nextAt: number; now: number } & ErrorColumns>(
      `UPDATE pushes SET next_at = @nextAt, last_error = @lastError, last_error_code = @code, last_error_kind = @kind,
              last_error_reason = @reason, last_error_details = @details
        WHERE shop_id = @shopId AND state = 'pending' AND next_at <= @now`,
    ),
    // A row in 'sending' when no instance is sending means a crash between claim and settle.
    recover: c.prepare(`UPDATE pushes SET state = 'pending' WHERE state = 'sending'`),
  };
}


const sameWaybill = (a: string, b: string): boolean => a.trim().toUpperCase() === b.trim().toUpperCase();

export class Outbox {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly now: () => number;
  private readonly makeAdapter: (shop: ShopRecord) => PlatformAdapter;
  private readonly secretCipher: SecretCipher | undefined;
  private readonly random: () => number;
  private readonly maxConcurrent: number;
  private readonly intervalMs: number;
  private readonly policy: BackoffPolicy;
  private readonly batchSize: number;
  private readonly sql: ReturnType<typeof statements>;
  private readonly loop: PeriodicLoop;
  private running: Promise<{ sent: number }> | null = null;
  private stopping = false;
  private recovered = false;
  /** Tables written since the last db.changed: a busy flush announces them at most every EMIT_EVERY_MS. */
  private readonly unannounced = new Set<string>();
  private lastEmitAt = 0;

  constructor(deps: OutboxDeps) {
    this.db = deps.db;
    this.events = deps.events;
    this.now = deps.now;
    this.makeAdapter = deps.adapterFor ?? ((shop) => registryAdapterFor(shop, { now: deps.now }));
    this.secretCipher = deps.secretCipher;
    this.random = deps.random ?? Math.random;
    this.maxConcurrent = Math.max(1, deps.maxConcurrent ?? 4);
    this.intervalMs = Math.max(1, deps.intervalMs ?? DEFAULT_INTERVAL_MS);
    this.policy = { ...OUTBOX_BACKOFF, ...deps.backoff };
    this.batchSize = Math.max(1, deps.batchSize ?? DEFAULT_BATCH);
    this.sql = statements(deps.db);
    this.loop = periodic(
      () => {
        this.flush().catch((err: unknown) => console.error('[outbox] flush failed', err));
      },
      { everyMs: this.intervalMs, immediately: true },
    );
  }

  /** Recover rows a crash left in 'sending', flush now, then every intervalMs. Timers never keep the process alive. */
  start(): void {
    if (this.loop.running) return;
    this.stopping = false;
    this.recoverInterrupted();
    this.loop.start();
  }

  /** Stop the timer; a flush in progress finishes its in-flight calls and starts no new ones. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.loop.stop();
    await this.running?.catch(() => undefined);
  }

  /**
   * Send every due push now (up to batchSize). A flush already running is joined rather than
   * doubled. Resolves with the number of network calls made; outcomes are in the rows.
   */
  flush(): Promise<{ sent: number }> {
    if (this.running) return this.running;
    const run = this.flushOnce().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /**
   * Rows left in 'sending' by a crash go back to 'pending' with the content they had, so the next
   * flush sends the same thing again: a ship that did land meets "already shipped" with its own
   * waybill and is confirmed; a memo sets the same memo and flag twice. Runs once per instance,
   * before its first send — after that every 'sending' row is this instance's own.
   */
  recoverInterrupted(): number {
    if (this.recovered) return 0;
    this.recovered = true;
    let n = 0;
    // The outbox settles its rows outside any command, each step in a short write transaction of its own.
    writeTx(this.db, () => {
      n = this.sql.recover.run().changes;
    });
    if (n > 0) this.events.emit('db.changed', { tables: ['pushes'] });
    return n;
  }

  private async flushOnce(): Promise<{ sent: number }> {
    this.recoverInterrupted();
    const due = this.sql.due.all(this.now(), this.batchSize);
    const lanes = new Map<string, DueRow[]>();
    for (const row of due) {
      let lane = lanes.get(row.shopId);
      if (!lane) lanes.set(row.shopId, (lane = []));
      lane.push(row);
    }
    const shopIds = [...lanes.keys()];
    let next = 0;
    let sent = 0;
    // maxConcurrent workers take shops off one list: each shop is one serial lane.
    const worker = async () => {
      while (!this.stopping && next < shopIds.length) {
        const shopId = shopIds[next++]!;
        // Not `sent += await …`: that reads `sent` before the await and loses the other lanes' counts.
        const n = await this.runLane(shopId, lanes.get(shopId)!);
        sent += n;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrent, shopIds.length) }, worker));
    this.announce(true);
    return { sent };
  }

  /** One shop's due rows, one after another, in the order their commands wrote them. */
  private async runLane(shopId: string, rows: DueRow[]): Promise<number> {
    const shop = this.sql.shop.get(shopId);
    if (!shop || shop.state !== 'active') return 0;
    let adapter: PlatformAdapter;
    try {
      adapter = this.makeAdapter(shopWithSecrets(this.db, this.secretCipher, shop));
    } catch (err) {
      // Nothing was sent (no adapter for the platform, secrets that cannot be opened): the rows
      // stay pending and say why, and are looked at again after the backoff cap.
      this.deferShop(shopId, err);
      return 0;
    }
    let sent = 0;
    for (const row of rows) {
      if (this.stopping) break;
      if (!this.claim(row)) continue;
      sent += 1;
      const request = { ...(JSON.parse(row.payload) as Omit<PushRequest, 'platformOrderId'>), platformOrderId: row.platformOrderId } as PushRequest;
      let settlement: Settlement;
      try {
        settlement = this.fromOutcome(row, request, await adapter.push(request));
      } catch (err) {
        settlement = this.fromError(row, err);
      }
      this.settle(row, settlement);
      // An expired authorisation fails every call of the shop alike: leave the rest for after re-authorising.
      if (settlement.authExpired) break;
    }
    return sent;
  }

  private claim(row: DueRow): boolean {
    let claimed = false;
    writeTx(this.db, () => {
      claimed = this.sql.claim.run({ id: row.id, now: this.now() }).changes === 1;
      if (claimed) this.sql.opAttempt.run(row.opId);
    });
    return claimed;
  }

  private fromOutcome(row: DueRow, request: PushRequest, outcome: PushOutcome): Settlement {
    const now = this.now();
    const done = (state: Settlement['state'], error: PushError | null): Settlement => ({ state, error, nextAt: now, authExpired: false });
    switch (outcome.kind) {
      case 'confirmed':
        return done('confirmed', null);
      case 'rejected':
        return done('failed', refusal('push.rejected', { platformWords: outcome.reason }, `The platform refused the push: ${outcome.reason}`));
      case 'already_shipped': {
        if (request.kind !== 'ship') {
          return done('failed', refusal('push.already_shipped', {}, 'The platform shows the order as shipped and refused the update'));
        }
        // The platform's "already shipped" is our own earlier send when the waybill matches
        // (a timed-out call that did land, a resend after a crash): success, not an error.
        if (outcome.waybillNo !== null && sameWaybill(outcome.waybillNo, request.waybillNo)) return done('confirmed', null);
        const theirs = outcome.waybillNo ?? '?';
        const mismatch = `The platform shows the order shipped under waybill ${theirs}, not the local ${request.waybillNo}`;
        return done('conflict', refusal('push.waybill_mismatch', { theirs, ours: request.waybillNo }, mismatch));
      }
    }
  }

  private fromError(row: DueRow, err: unknown): Settlement {
    const now = this.now();
    const failure = classifyError(err);
    const error = thrownError(err, failure.kind);
    if (failure.kind === 'auth') return { state: 'pending', error, nextAt: now, authExpired: true };
    // Only what the adapter marked transient is retried; anything else needs a person (pushes.retry).
    if (!markedRetryable(err)) return { state: 'failed', error, nextAt: now, authExpired: false };
    const attemptsBefore = row.attempts; // this attempt was number attemptsBefore + 1
    return { state: 'pending', error, nextAt: now + retryDelayMs(attemptsBefore, failure, this.policy, this.random), authExpired: false };
  }

  private settle(row: DueRow, s: Settlement): void {
    const tables = ['pushes', 'ops'];
    try {
      writeTx(this.db, (tx) => {
        const doneAt = s.state === 'pending' ? null : this.now();
        this.sql.settle.run({ id: row.id, state: s.state, nextAt: s.nextAt, doneAt, ...columnsOf(s.error) });
        if (s.authExpired && this.sql.authExpired.run(row.shopId).changes > 0) tables.push('shops');
        syncOpPushStates(tx, [row.opId]);
      });
    } catch (err) {
      // The database is failing: the row stays 'sending' and goes back to pending at the next start.
      console.error(`[outbox] push ${row.id}: could not record the outcome`, err);
      return;
    }
    for (const t of tables) this.unannounced.add(t);
    this.announce(false);
  }

  /**
   * db.changed for what was settled: at once when the last one was a while ago, otherwise left for
   * the next settle or the end of the flush — a backlog of thousands of pushes must not make every
   * open window refresh its queries thousands of times.
   */
  private announce(force: boolean): void {
    if (this.unannounced.size === 0) return;
    const t = performance.now();
    if (!force && t - this.lastEmitAt < EMIT_EVERY_MS) return;
    this.lastEmitAt = t;
    const tables = [...this.unannounced];
    this.unannounced.clear();
    this.events.emit('db.changed', { tables });
  }

  private deferShop(shopId: string, err: unknown): void {
    const now = this.now();
    this.sql.deferShop.run({ shopId, nextAt: now + this.policy.capMs, now, ...columnsOf(thrownError(err, classifyError(err).kind)) });
    this.events.emit('db.changed', { tables: ['pushes'] });
  }
}
