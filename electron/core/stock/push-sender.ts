// Sends the stock_pushes rows a push round wrote (push-round.ts) through each shop's adapter, the way
// the order outbox sends its rows (electron/core/sync/outbox.ts): the same backoff, error
// classification and reason columns; each row claimed ('sending', committed) BEFORE the network call
// and settled in its own short transaction after it. docs/stock.md#pushes.
//
// 'set' rows are absolute figures, so a row a crash left in 'sending' is simply sent again. 'delta'
// rows (Kuaishou: incremental only, no idempotency key) never carry a frozen delta: the sender reads
// the platform's figure fresh, sends target − current, and reads again to verify. A crash between the
// send and the confirm leaves the row 'sending'; once its lease runs out it is picked again, the fresh
// read already shows the target, and what is sent is only what is still missing — usually nothing —
// so a delta is never applied twice.
//
// A claim is a lease (next_at = claim time + leaseMs): a row still 'sending' after its lease belongs
// to a sender that died. Two senders (the background worker's and a "push now" in the API's thread)
// may run at once; a claim is one conditional UPDATE, so each row goes out through one of them.
import type { EventBus } from '../api/events.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor, shopWithSecrets } from '../platforms/registry.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { classifyError, markedRetryable, retryDelayMs, type BackoffPolicy } from '../sync/backoff.ts';
import { OUTBOX_BACKOFF } from '../sync/outbox.ts';
import { redact } from '../../shared/redact.ts';
import { AppError } from '../../shared/result.ts';
import { isReason, REASONS, type Reason, type ReasonDetails } from '../../shared/reasons.ts';
import type { StockWrite, StockWriteResult } from '../../shared/stock-model.ts';
import { evaluateAlerts } from './alerts.ts';

/**
 * SKUs per writeStock call (docs/platforms/stock-write.md): Douyin's multi-product call takes 50,
 * Taobao 20 of one item (the adapter groups by item), the others one SKU a call.
 */
export const STOCK_BATCH: Readonly<Record<string, number>> = { douyin: 50, taobao: 20, tmall: 20, pdd: 1, jd: 1, kuaishou: 1, sandbox: 20 };
/** A claimed row belongs to its sender this long; after that it is taken to be a crash's leftover. */
export const DEFAULT_LEASE_MS = 2 * 60_000;
const DEFAULT_LIMIT = 5_000;
/** A listing this long is a paging bug, not a shop. */
const MAX_LISTING_PAGES = 10_000;

export interface StockSenderDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  adapterFor?: (shop: ShopRecord) => PlatformAdapter;
  secretCipher?: SecretCipher | undefined;
  random?: () => number;
  backoff?: Partial<BackoffPolicy>;
  leaseMs?: number;
  /** Rows picked per flush (default 5,000); the rest wait for the next. */
  limit?: number;
  maxConcurrent?: number;
  /** Called after the platform answered a call and before its rows are settled (the crash test stops here). */
  afterSend?: (rowIds: string[]) => void | Promise<void>;
}

interface DueRow {
  id: string;
  shopId: string;
  productId: string;
  platformSkuId: string;
  skuId: string;
  mode: 'set' | 'delta';
  quantity: number;
  attempts: number;
}

interface RowError {
  message: string;
  code: string;
  reason: Reason | null;
  details: unknown;
}

type Outcome =
  | { state: 'confirmed'; platformAfter: number | null; platformBefore?: number; sentDelta?: number }
  | { state: 'refused'; error: RowError; locked: boolean }
  | { state: 'failed'; error: RowError }
  | { state: 'pending'; error: RowError; nextAt: number };

export interface FlushResult {
  /** Rows settled in this flush, by the state they ended in. */
  confirmed: number;
  refused: number;
  failed: number;
  retrying: number;
  /** Platform calls made (writes and reads). */
  calls: number;
}

const reasonError = <R extends Reason>(reason: R, details: ReasonDetails[R], message: string): RowError => ({ message, code: REASONS[reason], reason, details });

function thrownError(err: unknown): RowError {
  if (err instanceof AppError) return { message: err.message, code: err.code, reason: isReason(err.reason) ? err.reason : null, details: isReason(err.reason) ? err.details : null };
  return { message: err instanceof Error ? err.message : String(err), code: 'INTERNAL', reason: null, details: null };
}

const SEP = '\u0001';
const keyOf = (productId: string, platformSkuId: string): string => productId + SEP + platformSkuId;
const writeOf = (r: DueRow, quantity: number, mode: 'set' | 'delta'): StockWrite => ({
  platformProductId: r.productId,
  platformSkuId: r.platformSkuId === '' ? null : r.platformSkuId,
  mode,
  quantity,
  key: r.id,
});

function statements(db: Db) {
  const c = db.$client;
  return {
    stale: c.prepare<[number], { id: string }>(`SELECT id FROM stock_pushes WHERE state = 'sending' AND next_at <= ? LIMIT 1`),
    recover: c.prepare<[number]>(`UPDATE stock_pushes SET state = 'pending' WHERE state = 'sending' AND next_at <= ?`),
    due: c.prepare<[number, string | null, string | null, number], DueRow>(
      `SELECT p.id, p.shop_id AS shopId, p.platform_product_id AS productId, p.platform_sku_id AS platformSkuId, p.sku_id AS skuId,
              p.mode, p.quantity, p.attempts
         FROM stock_pushes p JOIN shops s ON s.id = p.shop_id
        WHERE p.state = 'pending' AND p.next_at <= ? AND s.state = 'active' AND (? IS NULL OR p.shop_id = ?)
        ORDER BY p.created_at, p.id LIMIT ?`,
    ),
    shop: c.prepare<[string], ShopRecord>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?'),
    // Still pending, its shop still active, and no earlier row of the same target still out: figures
    // of one platform SKU reach it in the order they were computed.
    claim: c.prepare<{ id: string; now: number; until: number }>(
      `UPDATE stock_pushes SET state = 'sending', attempts = attempts + 1, next_at = @until
        WHERE id = @id AND state = 'pending' AND next_at <= @now
          AND EXISTS (SELECT 1 FROM shops s WHERE s.id = stock_pushes.shop_id AND s.state = 'active')
          AND NOT EXISTS (SELECT 1 FROM stock_pushes e
                           WHERE e.shop_id = stock_pushes.shop_id AND e.platform_product_id = stock_pushes.platform_product_id
                             AND e.platform_sku_id = stock_pushes.platform_sku_id AND e.id <> stock_pushes.id AND e.state = 'sending')`,
    ),
    // Fenced by the claim's attempt number: a sender whose lease ran out (and whose row another
    // sender took over) finds nothing to update, and sends nothing. Renews the lease as it goes.
    before: c.prepare<{ id: string; before: number; delta: number; attempt: number; until: number }>(
      `UPDATE stock_pushes SET platform_before = @before, sent_delta = @delta, next_at = @until WHERE id = @id AND state = 'sending' AND attempts = @attempt`,
    ),
    settle: c.prepare<{
      id: string;
      attempt: number;
      state: string;
      nextAt: number;
      doneAt: number | null;
      after: number | null;
      locked: number;
      lastError: string | null;
      code: string | null;
      reason: string | null;
      details: string | null;
    }>(
      `UPDATE stock_pushes SET state = @state, next_at = @nextAt, done_at = @doneAt, platform_after = coalesce(@after, platform_after),
              locked_by_promotion = @locked, last_error = @lastError, last_error_code = @code, last_error_reason = @reason, last_error_details = @details
        WHERE id = @id AND state = 'sending' AND attempts = @attempt`,
    ),
    platformStock: c.prepare<[number, string, string, string]>(
      'UPDATE sku_mappings SET platform_stock = ? WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ?',
    ),
    authExpired: c.prepare<[string]>(`UPDATE shops SET state = 'auth_expired' WHERE id = ? AND state = 'active'`),
    defer: c.prepare<{ id: string; nextAt: number; lastError: string; code: string; reason: string | null; details: string | null }>(
      `UPDATE stock_pushes SET next_at = @nextAt, last_error = @lastError, last_error_code = @code, last_error_reason = @reason, last_error_details = @details
        WHERE id = @id AND state = 'pending'`,
    ),
  };
}

export class StockSender {
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly now: () => number;
  private readonly makeAdapter: (shop: ShopRecord) => PlatformAdapter;
  private readonly secretCipher: SecretCipher | undefined;
  private readonly random: () => number;
  private readonly policy: BackoffPolicy;
  private readonly leaseMs: number;
  private readonly limit: number;
  private readonly maxConcurrent: number;
  private readonly afterSend: StockSenderDeps['afterSend'];
  private readonly sql: ReturnType<typeof statements>;
  private running: Promise<FlushResult> | null = null;
  private stopping = false;

  constructor(deps: StockSenderDeps) {
    this.db = deps.db;
    this.events = deps.events;
    this.now = deps.now;
    this.makeAdapter = deps.adapterFor ?? ((shop) => registryAdapterFor(shop, { now: deps.now }));
    this.secretCipher = deps.secretCipher;
    this.random = deps.random ?? Math.random;
    this.policy = { ...OUTBOX_BACKOFF, ...deps.backoff };
    this.leaseMs = Math.max(1, deps.leaseMs ?? DEFAULT_LEASE_MS);
    this.limit = Math.max(1, deps.limit ?? DEFAULT_LIMIT);
    this.maxConcurrent = Math.max(1, deps.maxConcurrent ?? 4);
    this.afterSend = deps.afterSend;
    this.sql = statements(deps.db);
  }

  /** Send every due row now (of one shop when given). A flush already running is joined, not doubled. */
  flush(shopId?: string): Promise<FlushResult> {
    if (this.running) return this.running.then(() => (shopId === undefined ? this.flush() : this.flush(shopId)));
    this.stopping = false;
    const run = this.flushOnce(shopId).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /** No new calls start; the one in flight finishes and is settled. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  private async flushOnce(shopId: string | undefined): Promise<FlushResult> {
    const result: FlushResult = { confirmed: 0, refused: 0, failed: 0, retrying: 0, calls: 0 };
    const now = this.now();
    let recovered = 0;
    // Looked at before writing: an idle tick takes no write lock.
    if (this.sql.stale.get(now)) {
      writeTx(this.db, () => {
        recovered = this.sql.recover.run(now).changes;
      });
    }
    const due = this.sql.due.all(now, shopId ?? null, shopId ?? null, this.limit);
    if (due.length === 0) {
      if (recovered > 0) this.events.emit('db.changed', { tables: ['stock_pushes'] });
      return result;
    }
    const lanes = new Map<string, DueRow[]>();
    for (const row of due) {
      let lane = lanes.get(row.shopId);
      if (!lane) lanes.set(row.shopId, (lane = []));
      lane.push(row);
    }
    const shopIds = [...lanes.keys()];
    let next = 0;
    const tables = new Set(['stock_pushes']);
    const worker = async () => {
      while (!this.stopping && next < shopIds.length) {
        const id = shopIds[next++]!;
        await this.runLane(id, lanes.get(id)!, result, tables);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrent, shopIds.length) }, worker));
    this.events.emit('db.changed', { tables: [...tables] });
    return result;
  }

  private async runLane(shopId: string, rows: DueRow[], result: FlushResult, tables: Set<string>): Promise<void> {
    const shop = this.sql.shop.get(shopId);
    if (!shop || shop.state !== 'active') return;
    let adapter: PlatformAdapter;
    try {
      adapter = this.makeAdapter(shopWithSecrets(this.db, this.secretCipher, shop));
    } catch (err) {
      this.defer(rows, thrownError(err));
      return;
    }
    if (!adapter.writeStock) {
      this.defer(rows, reasonError('stock_push.no_stock_write', { platform: shop.platform }, `the ${shop.platform} adapter cannot write stock`));
      return;
    }
    const batch = Math.max(1, STOCK_BATCH[shop.platform] ?? 1);
    const sets = rows.filter((r) => r.mode === 'set');
    const deltas = rows.filter((r) => r.mode === 'delta');
    for (let i = 0; i < sets.length && !this.stopping; i += batch) {
      if (!(await this.sendSets(shop, adapter, sets.slice(i, i + batch), result, tables))) return;
    }
    // Deltas in chunks: each chunk costs a listing before and one after, so not one row at a time.
    for (let i = 0; i < deltas.length && !this.stopping; i += 200) {
      if (!(await this.sendDeltas(shop, adapter, deltas.slice(i, i + 200), result, tables))) return;
    }
  }

  /** Claims rows (committed before any call); returns the ones this sender now holds. */
  private claim(rows: DueRow[]): DueRow[] {
    const now = this.now();
    const held: DueRow[] = [];
    writeTx(this.db, () => {
      for (const r of rows) if (this.sql.claim.run({ id: r.id, now, until: now + this.leaseMs }).changes === 1) held.push(r);
    });
    return held;
  }

  /** false: stop the lane (the shop's authorisation expired). */
  private async sendSets(shop: ShopRecord, adapter: PlatformAdapter, rows: DueRow[], result: FlushResult, tables: Set<string>): Promise<boolean> {
    const held = this.claim(rows);
    if (held.length === 0) return true;
    let answers: StockWriteResult[];
    try {
      result.calls += 1;
      answers = await adapter.writeStock!(held.map((r) => writeOf(r, r.quantity, 'set')));
      await this.afterSend?.(held.map((r) => r.id));
    } catch (err) {
      return this.settleThrown(shop, held, err, result, tables);
    }
    const byKey = new Map(answers.map((a) => [a.key, a]));
    this.settle(
      shop.id,
      held.map((r) => [r, this.fromAnswer(r, byKey.get(r.id), r.quantity)] as const),
      result,
      tables,
    );
    return true;
  }

  private async sendDeltas(shop: ShopRecord, adapter: PlatformAdapter, rows: DueRow[], result: FlushResult, tables: Set<string>): Promise<boolean> {
    const held = this.claim(rows);
    if (held.length === 0) return true;
    let before: Map<string, number | null>;
    try {
      result.calls += 1;
      before = await readFigures(adapter);
    } catch (err) {
      return this.settleThrown(shop, held, err, result, tables);
    }
    const outcomes = new Map<string, Outcome>();
    const sent: DueRow[] = [];
    for (const r of held) {
      if (this.stopping) break;
      const current = before.get(keyOf(r.productId, r.platformSkuId));
      if (current === undefined || current === null) {
        outcomes.set(r.id, {
          state: 'failed',
          error: reasonError('stock_push.platform_figure_unknown', { platformProductId: r.productId, platformSkuId: r.platformSkuId }, `the platform's listing does not show a figure for ${r.productId}/${r.platformSkuId} (off the shelf?)`),
        });
        continue;
      }
      const delta = r.quantity - current;
      const now = this.now();
      const mine = writeTx(this.db, () => this.sql.before.run({ id: r.id, before: current, delta, attempt: r.attempts + 1, until: now + this.leaseMs }).changes === 1);
      if (!mine) {
        // Another sender took the row over after this one's lease ran out: it sends it, not this one.
        outcomes.set(r.id, { state: 'pending', error: { message: 'taken over by another sender', code: 'INTERNAL', reason: null, details: null }, nextAt: now });
        continue;
      }
      if (delta === 0) {
        outcomes.set(r.id, { state: 'confirmed', platformAfter: current });
        continue;
      }
      let answer: StockWriteResult | undefined;
      try {
        result.calls += 1;
        [answer] = await adapter.writeStock!([writeOf(r, delta, 'delta')]);
        await this.afterSend?.([r.id]);
      } catch (err) {
        // Whether it landed is unknown: the retry reads the figure again and sends only what is missing.
        // Rows sent before this one are not verified yet: the retry's read verifies them (a delta of 0).
        for (const s of sent) outcomes.set(s.id, { state: 'pending', error: thrownError(err), nextAt: this.now() });
        this.settle(shop.id, [...outcomes].map(([id, o]) => [held.find((h) => h.id === id)!, o] as const), result, tables);
        return this.settleThrown(shop, held.filter((h) => !outcomes.has(h.id)), err, result, tables);
      }
      const o = this.fromAnswer(r, answer, null);
      outcomes.set(r.id, o);
      if (o.state === 'confirmed') sent.push(r);
    }
    // The verifying read: a delta is confirmed when the platform shows the target.
    if (sent.length > 0) {
      let after: Map<string, number | null> | null = null;
      try {
        result.calls += 1;
        after = await readFigures(adapter);
      } catch (err) {
        const e = thrownError(err);
        for (const r of sent) outcomes.set(r.id, { state: 'pending', error: e, nextAt: this.now() + retryDelayMs(r.attempts, classifyError(err), this.policy, this.random) });
      }
      if (after) {
        for (const r of sent) {
          const shown = after.get(keyOf(r.productId, r.platformSkuId)) ?? null;
          if (shown === r.quantity) outcomes.set(r.id, { state: 'confirmed', platformAfter: shown });
          else {
            // Sold meanwhile, or the write was not applied: the retry reads again and sends the difference.
            const error = reasonError('stock_push.verify_mismatch', { expected: r.quantity, shown: shown ?? -1 }, `after the change the platform shows ${shown ?? 'nothing'}, not ${r.quantity}`);
            outcomes.set(r.id, { state: 'pending', error, nextAt: this.now() + retryDelayMs(r.attempts, { kind: 'retryable' }, this.policy, this.random) });
          }
        }
      }
    }
    // Rows left unhandled by a stop go back to pending at once.
    for (const r of held) if (!outcomes.has(r.id)) outcomes.set(r.id, { state: 'pending', error: { message: 'stopped before sending', code: 'INTERNAL', reason: null, details: null }, nextAt: this.now() });
    this.settle(shop.id, held.map((r) => [r, outcomes.get(r.id)!] as const), result, tables);
    return true;
  }

  private fromAnswer(r: DueRow, answer: StockWriteResult | undefined, setFigure: number | null): Outcome {
    if (!answer) return { state: 'failed', error: { message: `the adapter returned no result for write ${r.id}`, code: 'INTERNAL', reason: null, details: null } };
    if (answer.kind === 'confirmed') return { state: 'confirmed', platformAfter: answer.platformStock ?? setFigure };
    return {
      state: 'refused',
      locked: answer.lockedByPromotion,
      error: reasonError('stock_push.refused', { platformWords: answer.reason, lockedByPromotion: answer.lockedByPromotion }, `the platform refused the stock figure: ${answer.reason}`),
    };
  }

  /** A thrown call: auth waits for re-authorisation, what the adapter marked transient backs off, anything else fails. */
  private settleThrown(shop: ShopRecord, rows: DueRow[], err: unknown, result: FlushResult, tables: Set<string>): boolean {
    const failure = classifyError(err);
    const error = thrownError(err);
    const now = this.now();
    const auth = failure.kind === 'auth';
    this.settle(
      shop.id,
      rows.map((r) => {
        const o: Outcome = auth
          ? { state: 'pending', error, nextAt: now }
          : markedRetryable(err)
            ? { state: 'pending', error, nextAt: now + retryDelayMs(r.attempts, failure, this.policy, this.random) }
            : { state: 'failed', error };
        return [r, o] as const;
      }),
      result,
      tables,
      auth,
    );
    return !auth;
  }

  private settle(shopId: string, rows: readonly (readonly [DueRow, Outcome])[], result: FlushResult, tables: Set<string>, authExpired = false): void {
    if (rows.length === 0 && !authExpired) return;
    const now = this.now();
    try {
      writeTx(this.db, (tx) => {
        for (const [r, o] of rows) {
          const e = o.state === 'confirmed' ? null : o.error;
          const changed = this.sql.settle.run({
            id: r.id,
            attempt: r.attempts + 1,
            state: o.state,
            nextAt: o.state === 'pending' ? o.nextAt : now,
            doneAt: o.state === 'pending' ? null : now,
            after: o.state === 'confirmed' ? o.platformAfter : null,
            locked: o.state === 'refused' && o.locked ? 1 : 0,
            lastError: e ? redact(e.message) : null,
            code: e ? e.code : null,
            reason: e ? e.reason : null,
            details: e && e.details !== null && e.details !== undefined ? redact(JSON.stringify(e.details)) : null,
          }).changes;
          if (changed === 0) continue;
          if (o.state === 'confirmed' && o.platformAfter !== null) {
            this.sql.platformStock.run(o.platformAfter, r.shopId, r.productId, r.platformSkuId);
            tables.add('sku_mappings');
          }
          if (o.state === 'pending') result.retrying += 1;
          else result[o.state] += 1;
        }
        if (authExpired && this.sql.authExpired.run(shopId).changes > 0) tables.add('shops');
        // A refusal or failure raises the SKU's push_failed alert, a confirmation clears it: same transaction.
        const settled = rows.filter(([, o]) => o.state !== 'pending').map(([r]) => r.skuId);
        if (settled.length > 0) {
          const a = evaluateAlerts(tx, settled, now);
          if (a.raised.length > 0 || a.cleared > 0) tables.add('stock_alerts');
        }
      });
    } catch (err) {
      // The database is failing: the rows stay 'sending' and are picked again once their lease runs out.
      console.error('[stock-push] could not record the outcome', err);
    }
  }

  /** Nothing was sent (no adapter, secrets that cannot be opened): the rows wait the backoff cap and say why. */
  private defer(rows: DueRow[], e: RowError): void {
    const nextAt = this.now() + this.policy.capMs;
    writeTx(this.db, () => {
      for (const r of rows)
        this.sql.defer.run({ id: r.id, nextAt, lastError: redact(e.message), code: e.code, reason: e.reason, details: e.details === null || e.details === undefined ? null : redact(JSON.stringify(e.details)) });
    });
  }
}

/** The platform's current figure of every SKU its listing shows, read fresh (the base a delta is computed from). */
export async function readFigures(adapter: PlatformAdapter): Promise<Map<string, number | null>> {
  if (!adapter.listProducts) throw new AppError('INVALID_STATE', 'this platform cannot list its products, so a stock change by delta cannot start from its figure');
  const out = new Map<string, number | null>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await adapter.listProducts(cursor);
    for (const s of page.items) out.set(keyOf(s.platformProductId, s.platformSkuId ?? ''), s.platformStock);
    cursor = page.next;
    pages += 1;
  } while (cursor !== null && pages < MAX_LISTING_PAGES);
  return out;
}
