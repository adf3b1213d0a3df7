// Bulk demo databases: the demo team plus N orders of history over the last 60 days, written through
// the real upsert path (ingestOrders) in chunked transactions. `shopfleet demo` and the e2e fixtures use it.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '../../shared/result.ts';
import type { Db } from '../../core/db/open.ts';
import { ingestOrders } from '../../core/orders/ingest.ts';
import { sandboxSettings } from './adapter.ts';
import { ensureDemoTeam } from './demo-team.ts';
import { DAY, generateOrders, type BulkShop, type GeneratedOrder } from './generator.ts';

export interface BuildDemoOptions {
  orders: number;
  /** Shops to create when the station is empty (default 8). */
  shops?: number;
  seed?: number;
  now: number;
  /** How far back the history reaches (default 60 days). */
  historyMs?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BuildDemoResult {
  orders: number;
  shops: number;
  inserted: number;
  updated: number;
  ms: number;
}

/** Orders per ingest transaction: large enough to amortise the commit, small enough to keep readers responsive. */
const CHUNK = 5000;

export async function buildDemoDatabase(db: Db, options: BuildDemoOptions): Promise<BuildDemoResult> {
  const started = performance.now();
  const { now } = options;
  const client = db.$client;
  ensureDemoTeam(db, now, { ...(options.shops !== undefined ? { shops: options.shops } : {}), ...(options.seed !== undefined ? { seed: options.seed } : {}) });
  const rows = client.prepare("SELECT id, settings FROM shops WHERE platform = 'sandbox' ORDER BY created_at, id").all() as { id: string; settings: string }[];
  if (rows.length === 0) throw new AppError('INVALID_STATE', 'this station has shops but none of them is a sandbox shop; use an empty database for demo data');

  // The live world begins where the history ends, so the scheduler never invents orders the bulk
  // history should have had. Done first: if the build stops half-way, the next sync just finds nothing old.
  const setSettings = client.prepare('UPDATE shops SET settings = ? WHERE id = ?');
  const shops: BulkShop[] = [];
  client.transaction(() => {
    for (const row of rows) {
      const s = sandboxSettings(row);
      setSettings.run(JSON.stringify({ ...JSON.parse(row.settings), worldStartMs: now }), row.id);
      shops.push({ id: row.id, platform: 'sandbox', seed: s.seed, imitates: s.imitates, categories: s.categories });
    }
  })();

  const total = Math.max(0, Math.floor(options.orders));
  const buffers = new Map<string, GeneratedOrder[]>(shops.map((s) => [s.id, []]));
  const remaining = new Map<string, number>(shops.map((s, i) => [s.id, Math.floor(total / shops.length) + (i < total % shops.length ? 1 : 0)]));
  const finished = new Set<string>();
  let done = 0;
  let inserted = 0;
  let updated = 0;

  const flush = async (shopId: string, final: boolean): Promise<void> => {
    const buffer = buffers.get(shopId) ?? [];
    buffers.set(shopId, []);
    const r = ingestOrders(
      db,
      { shopId, platform: 'sandbox', orders: buffer.map((g) => ({ order: g.order, raw: g.raw })), ...(final ? { cursorMs: now } : {}) },
      now,
    );
    inserted += r.inserted;
    updated += r.updated;
    done += buffer.length;
    if (final) finished.add(shopId);
    options.onProgress?.(done, total);
    // Let timers and sockets run between chunks (progress output, a web host serving meanwhile).
    await yieldToEventLoop();
  };

  const history = options.historyMs ?? 60 * DAY;
  for (const g of generateOrders({ shops, count: total, fromMs: now - history, toMs: now, ...(options.seed !== undefined ? { seed: options.seed } : {}) })) {
    const buffer = buffers.get(g.shopId) as GeneratedOrder[];
    buffer.push(g);
    const left = (remaining.get(g.shopId) ?? 0) - 1;
    remaining.set(g.shopId, left);
    if (left === 0) await flush(g.shopId, true);
    else if (buffer.length >= CHUNK) await flush(g.shopId, false);
  }
  // Shops that got no orders (fewer orders than shops) still get their cursor moved to `now`.
  for (const s of shops) if (!finished.has(s.id)) await flush(s.id, true);
  return { orders: done, shops: shops.length, inserted, updated, ms: Math.round(performance.now() - started) };
}
