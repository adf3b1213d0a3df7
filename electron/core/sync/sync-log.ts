// The sync log: one sync_runs row per shop pull (when, why, how much, what went wrong), written by the
// sync engine at the start and end of each run and read by 'sync.log' on the Shops page.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, SyncRunView } from '../../shared/contract.ts';
import { redact } from '../../shared/redact.ts';
import { syncErrorOf, type SyncError } from '../../shared/sync-errors.ts';
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export type SyncTrigger = SyncRunView['trigger'];

export interface RunOutcome {
  pulled: number;
  changed: number;
  quarantined: number;
  /** As recorded on the cursor (message, code, kind), or null for a clean run. */
  error: SyncError | null;
  /** Orders kept although the adapter could not read all of them (absent: none). */
  warnings?: RunWarnings;
}

/** Orders an adapter kept with warnings during one run: the count, and the first few messages. */
export interface RunWarnings {
  orders: number;
  /** "order 123: order_phase_list[0] has no recognisable fields, kept raw", at most MAX_WARNING_SAMPLES. */
  samples: string[];
}

/**
 * A run can map thousands of orders with the same oddity: the log keeps the count and the first few
 * messages (enough to recognise the pattern and find an order), never one row or line per order.
 */
export const MAX_WARNING_SAMPLES = 20;
const MAX_SAMPLE_CHARS = 300;

/** Collects one run's warnings, bounded as the log stores them. */
export class WarningCollector {
  private orders = 0;
  private readonly samples: string[] = [];

  /** One order kept with warnings (messages as the adapter said them; the order id goes in front). */
  add(platformOrderId: string, messages: readonly string[]): void {
    if (messages.length === 0) return;
    this.orders += 1;
    if (this.samples.length >= MAX_WARNING_SAMPLES) return;
    const text = `order ${platformOrderId}: ${messages.join('; ')}`;
    this.samples.push([...text].length > MAX_SAMPLE_CHARS ? `${[...text].slice(0, MAX_SAMPLE_CHARS - 1).join('')}…` : text);
  }

  result(): RunWarnings {
    return { orders: this.orders, samples: [...this.samples] };
  }
}

/** How many runs each shop keeps: at a 2-minute interval that is most of a day of history. */
export const DEFAULT_RUNS_KEPT_PER_SHOP = 500;

/** Start a run: one short insert outside any pull transaction; returns the run's id for finishRun. */
export function beginRun(tx: WriteTx, run: { shopId: string; trigger: SyncTrigger; now: number }): string {
  const id = uuidv7();
  tx.$client
    .prepare(`INSERT INTO sync_runs (id, shop_id, trigger, started_at) VALUES (?, ?, ?, ?)`)
    .run(id, run.shopId, run.trigger, run.now);
  return id;
}

/** Close a run with its counts; a run never finished (crash, kill) keeps finished_at NULL. */
export function finishRun(tx: WriteTx, id: string, outcome: RunOutcome, now: number): void {
  tx.$client
    .prepare(`UPDATE sync_runs SET finished_at = ?, pulled = ?, changed = ?, quarantined = ?, warnings = ?, warning_samples = ?, error = ?, error_code = ?, error_kind = ? WHERE id = ?`)
    .run(
      now,
      outcome.pulled,
      outcome.changed,
      outcome.quarantined,
      outcome.warnings?.orders ?? 0,
      outcome.warnings && outcome.warnings.orders > 0 ? JSON.stringify(outcome.warnings.samples.slice(0, MAX_WARNING_SAMPLES).map((w) => redact(w))) : null,
      // Every role reads the log: whatever a platform or a proxy echoed keeps no token or signature.
      outcome.error ? redact(outcome.error.message) : null,
      outcome.error?.code ?? null,
      outcome.error?.kind ?? null,
      id,
    );
}

/**
 * Keep the newest `keepPerShop` runs of each shop and delete the rest. Walks the
 * (shop_id, started_at) index once per shop to find each shop's cut-off, then deletes below it.
 */
export function pruneRuns(tx: WriteTx, keepPerShop: number = DEFAULT_RUNS_KEPT_PER_SHOP): number {
  const c = tx.$client;
  const shopIds = c.prepare(`SELECT DISTINCT shop_id FROM sync_runs`).pluck().all() as string[];
  const cutoff = c.prepare<[string, number], { started_at: number; id: string }>(
    `SELECT started_at, id FROM sync_runs WHERE shop_id = ? ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET ?`,
  );
  const del = c.prepare(`DELETE FROM sync_runs WHERE shop_id = ? AND (started_at < ? OR (started_at = ? AND id <= ?))`);
  let deleted = 0;
  for (const shopId of shopIds) {
    // The first run to drop is the one just past the kept ones; it and everything older goes.
    const first = cutoff.get(shopId, keepPerShop);
    if (!first) continue;
    deleted += del.run(shopId, first.started_at, first.started_at, first.id).changes;
  }
  return deleted;
}

interface RunRow extends Omit<SyncRunView, 'platform' | 'trigger' | 'warningSamples' | 'error'> {
  platform: SyncRunView['platform'];
  trigger: SyncTrigger;
  warningSamples: string | null;
  error: string | null;
  errorCode: string | null;
  errorKind: string | null;
}

/** The stored samples; a damaged value shows as no samples (the count still says how many). */
function samplesOf(text: string | null): string[] {
  if (text === null) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** 'sync.log': recent runs, newest first, optionally for one shop and only those that failed. */
export function listSyncRuns(db: Db, input: ApiParsedInput<'sync.log'>): SyncRunView[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (input.shopId !== undefined) {
    where.push('r.shop_id = ?');
    params.push(input.shopId);
  }
  if (input.errorsOnly) where.push('r.error IS NOT NULL');
  params.push(input.limit);
  // ORDER BY started_at uses sync_runs_started_idx (or the shop index with a shop filter).
  return db.$client
    .prepare(
      `SELECT r.id, r.shop_id AS shopId, COALESCE(s.name, r.shop_id) AS shopName, COALESCE(s.platform, 'sandbox') AS platform,
              r.trigger, r.started_at AS startedAt, r.finished_at AS finishedAt, r.pulled, r.changed, r.quarantined,
              r.warnings, r.warning_samples AS warningSamples, r.error, r.error_code AS errorCode, r.error_kind AS errorKind
         FROM sync_runs r LEFT JOIN shops s ON s.id = r.shop_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    )
    .all(...params)
    .map((row) => {
      const { errorCode, errorKind, ...r } = row as RunRow;
      return { ...r, warningSamples: samplesOf(r.warningSamples), error: syncErrorOf(r.error, errorCode, errorKind) };
    });
}
