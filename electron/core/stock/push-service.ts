// When stock is pushed (docs/stock.md#pushes): a round soon after any change that moves available
// stock — debounced: once the marks have been quiet for quietMs, or at the latest maxWaitMs after the
// oldest one — a full round of every mapped SKU on a schedule (every 15 minutes by default), and the
// sender's retries as they come due. The background worker (or, for inline stations, the host) runs
// one of these; "push now" (stock.push) runs a round and a flush directly.
//
// The marks are read from stock_dirty, not from events: they are written by commands on any thread
// or process that has the station open, and a mark survives a crash, so polling the table is the one
// signal that cannot be missed.
import { z } from 'zod';
import type { EventBus } from '../api/events.ts';
import { writeTx, type ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { periodic, type PeriodicLoop } from '../background/periodic.ts';
import { evaluateAlerts } from './alerts.ts';
import { runPushRound, type RoundOptions, type RoundResult } from './push-round.ts';
import { StockSender, type FlushResult, type StockSenderDeps } from './push-sender.ts';

export const STOCK_PUSH_SETTINGS_KEY = 'stock.push';

export interface StockPushSettings {
  /** Pushes happen at all (a team that keeps stock in ShopFleet but not on the platforms turns them off). */
  enabled: boolean;
  /** Minutes between full rounds of every mapped SKU. */
  fullEveryMinutes: number;
  /** A debounced round waits until no mark came for this long… */
  quietMs: number;
  /** …but never longer than this after the oldest mark. */
  maxWaitMs: number;
}

export const DEFAULT_STOCK_PUSH_SETTINGS: StockPushSettings = { enabled: true, fullEveryMinutes: 15, quietMs: 2_000, maxWaitMs: 15_000 };

// Field by field, so a value another version wrote still yields what this one understands.
const settingsSchema = z.object({
  enabled: z.boolean().catch(DEFAULT_STOCK_PUSH_SETTINGS.enabled),
  fullEveryMinutes: z.number().int().min(1).max(24 * 60).catch(DEFAULT_STOCK_PUSH_SETTINGS.fullEveryMinutes),
  quietMs: z.number().int().min(0).max(600_000).catch(DEFAULT_STOCK_PUSH_SETTINGS.quietMs),
  maxWaitMs: z.number().int().min(0).max(3_600_000).catch(DEFAULT_STOCK_PUSH_SETTINGS.maxWaitMs),
});

/** The stored settings (JSON in meta under STOCK_PUSH_SETTINGS_KEY); missing or unreadable reads as the defaults. */
export function readStockPushSettings(db: ReadDb): StockPushSettings {
  const row = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(STOCK_PUSH_SETTINGS_KEY);
  if (!row) return { ...DEFAULT_STOCK_PUSH_SETTINGS };
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : { ...DEFAULT_STOCK_PUSH_SETTINGS };
  } catch {
    return { ...DEFAULT_STOCK_PUSH_SETTINGS };
  }
}

/**
 * One push round in its own write transaction, with the alerts of the SKUs it covered evaluated in
 * the same transaction (a push_failed alert follows the rows; low/out follow the same figures).
 */
export function pushRoundNow(db: Db, events: EventBus, o: RoundOptions): RoundResult {
  let alerted = false;
  const r = writeTx(db, (tx) => {
    const result = runPushRound(tx, o);
    // A full round evaluates only the SKUs whose figures moved: the rest were evaluated when they last
    // changed, and the whole catalogue in this one transaction would hold every writer up for seconds.
    const alertSkus = o.full ? result.changedSkuIds : result.skuIds;
    if (alertSkus.length > 0) {
      const a = evaluateAlerts(tx, alertSkus, o.now);
      alerted = a.raised.length > 0 || a.cleared > 0;
    }
    return result;
  });
  if (r.written > 0 || alerted || !o.shopId) events.emit('db.changed', { tables: alerted ? ['stock_pushes', 'stock_dirty', 'stock_alerts'] : ['stock_pushes', 'stock_dirty'] });
  return r;
}

export interface StockPushServiceDeps extends StockSenderDeps {
  /** How often the marks and due retries are looked at (default 1 s). */
  tickMs?: number;
}

interface DirtySpan {
  n: number;
  oldest: number | null;
  newest: number | null;
}

export class StockPushService {
  readonly sender: StockSender;
  private readonly db: Db;
  private readonly events: EventBus;
  private readonly now: () => number;
  private readonly loop: PeriodicLoop;
  private lastFullAt: number | null = null;
  /**
   * When this service first saw the current marks: a mark keeps only its SKU's latest change, so a SKU
   * changing every second would look new forever; the oldest wait is remembered here instead.
   */
  private waitingSince: number | null = null;
  private busy: Promise<unknown> | null = null;

  constructor(deps: StockPushServiceDeps) {
    this.db = deps.db;
    this.events = deps.events;
    this.now = deps.now;
    this.sender = new StockSender(deps);
    this.loop = periodic(() => void this.tick(), { everyMs: deps.tickMs ?? 1_000 });
  }

  start(): void {
    // The first full round comes one minute after start: a station that was closed for a while
    // catches up without holding up its start.
    const s = readStockPushSettings(this.db);
    this.lastFullAt ??= this.now() - s.fullEveryMinutes * 60_000 + 60_000;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await this.sender.stop();
    await this.busy?.catch(() => undefined);
  }

  /** One look: a debounced or full round when one is due, then the sender. Ticks never overlap. */
  tick(): Promise<unknown> {
    if (this.busy) return this.busy;
    const run = this.tickOnce()
      .catch((err: unknown) => console.error('[stock-push] round failed', err))
      .finally(() => {
        this.busy = null;
      });
    this.busy = run;
    return run;
  }

  private async tickOnce(): Promise<void> {
    const settings = readStockPushSettings(this.db);
    if (!settings.enabled) return;
    const now = this.now();
    if (this.lastFullAt === null || now - this.lastFullAt >= settings.fullEveryMinutes * 60_000) {
      this.lastFullAt = now;
      this.waitingSince = null;
      pushRoundNow(this.db, this.events, { now, full: true });
    } else {
      const d = this.db.$client.prepare<[], DirtySpan>('SELECT count(*) AS n, min(since) AS oldest, max(since) AS newest FROM stock_dirty').get()!;
      if (d.n === 0) this.waitingSince = null;
      else {
        this.waitingSince = Math.min(this.waitingSince ?? now, d.oldest!);
        if (now - d.newest! >= settings.quietMs || now - this.waitingSince >= settings.maxWaitMs) {
          this.waitingSince = null;
          pushRoundNow(this.db, this.events, { now });
        }
      }
    }
    await this.sender.flush();
  }

  /** "Push now": a round (of one shop, or every shop's dirty SKUs… or a full one) and a flush, waited for. */
  async pushNow(o: { shopId?: string | undefined; full?: boolean }): Promise<{ round: RoundResult; sent: FlushResult }> {
    const round = pushRoundNow(this.db, this.events, { now: this.now(), shopId: o.shopId, full: o.full ?? true, collect: true });
    const sent = await this.sender.flush(o.shopId);
    return { round, sent };
  }
}
