// The push round at a shop group's size, for the stock bench (stock.ts): 100 shops × 10,000 mapped
// SKUs (1,000,000 platform SKUs) over the bench's seeded ledger, timed through runPushRound — the
// function the background service and "push now" call — in its write transaction:
//   - first round: no shop was ever told anything, so every figure is a new push row (the worst case);
//   - steady full round: nothing moved since, so every figure is computed and compared, nothing written
//     (what the scheduled 15-minute round costs);
//   - debounced round: 1,000 SKUs moved, so their 100,000 platform SKUs are computed and re-told;
//     with repeats > 1 it is run again from the same state (its rows deleted and the marks put back,
//     untimed) and the median is reported beside every run's CPU time.
// Shops mix platforms (a fifth Kuaishou, by delta) and allocations (shares, a shop default, reserves).
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { writeTx } from '../../electron/core/db/access.ts';
import type { Db } from '../../electron/core/db/open.ts';
import { markStockDirty } from '../../electron/core/stock/dirty.ts';
import { runPushRound } from '../../electron/core/stock/push-round.ts';

export interface PushBenchResult {
  push_shops: number;
  push_mapped_skus: number;
  push_targets: number;
  push_seed_ms: number;
  /** Every figure new: one row per platform SKU written. */
  push_first_round_ms: number;
  push_first_round_cpu_ms: number;
  push_first_round_rows: number;
  /** Nothing moved: every figure computed and compared, nothing written. */
  push_steady_full_round_ms: number;
  push_steady_full_round_cpu_ms: number;
  /** 1,000 SKUs moved: their platform SKUs computed and re-told. */
  push_dirty_round_ms: number;
  push_dirty_round_cpu_ms: number;
  push_dirty_round_rows: number;
  /** Every run's CPU time of the debounced round (ms), and how many runs push_dirty_round_* is the median of. */
  push_dirty_round_cpu_runs_ms: number[];
  push_dirty_round_runs: number;
  push_build_target_ms: number;
}

const PLATFORMS = ['taobao', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;

export function benchPushRound(db: Db, skuIds: readonly string[], now: number, log: (line: string) => void, shopCount = 100, repeats = 1): PushBenchResult {
  const c = db.$client;
  const seedStart = performance.now();
  const shops: string[] = [];
  c.transaction(() => {
    const shop = c.prepare("INSERT INTO shops (id, name, platform, state, created_at, settings) VALUES (?, ?, ?, 'active', ?, '{}')");
    const mapping = c.prepare(
      `INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, title, platform_stock, sku_id, matched_by, listed_at)
       VALUES (?, ?, ?, '商品', NULL, ?, 'outer_code', ?)`,
    );
    const allocation = c.prepare("INSERT INTO stock_allocations (shop_id, sku_id, mode, value, min_qty, max_qty, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'bench')");
    for (let s = 0; s < shopCount; s++) {
      const id = uuidv7();
      shops.push(id);
      shop.run(id, `店铺 ${String(s).padStart(3, '0')}`, PLATFORMS[s % PLATFORMS.length], now);
      for (let k = 0; k < skuIds.length; k++) {
        // Four SKUs per platform product, as the catalogue has four per product.
        mapping.run(id, String(1_000_000 + s * 100_000 + Math.floor(k / 4)), String(10_000_000 + s * 100_000 + k), skuIds[k], now);
      }
      if (s % 4 === 1) allocation.run(id, '*', 'share', 50, 1, null, now);
      if (s % 10 === 2) allocation.run(id, '*', 'fixed', 20, null, null, now);
      if (s % 25 === 3) for (let k = 0; k < skuIds.length; k += 50) allocation.run(id, skuIds[k], 'reserve', 2, null, null, now);
    }
  })();
  c.exec('ANALYZE');
  const seedMs = Math.round(performance.now() - seedStart);
  log(`push bench: ${shopCount} shops × ${skuIds.length} mapped SKUs seeded in ${seedMs} ms`);

  // Wall time, and this process's CPU time beside it: on a shared machine the wall time is mostly
  // waiting for a core, and the CPU time is what a quiet machine would take.
  const cpu: Record<string, number> = {};
  const timed = <T>(name: string, fn: () => T): [T, number] => {
    const t = performance.now();
    const c0 = process.cpuUsage();
    const r = fn();
    const used = process.cpuUsage(c0);
    cpu[name] = Math.round((used.user + used.system) / 1000);
    return [r, Math.round(performance.now() - t)];
  };
  const [first, firstMs] = timed('first', () => writeTx(db, (tx) => runPushRound(tx, { now, full: true })));
  log(`push bench: first round ${firstMs} ms (cpu ${cpu.first} ms), ${first.written} rows`);
  // Settled as confirmed, as the sender leaves them: the platforms now show what they were told.
  // The platform figures are copied while the rows are still pending: stock_pushes_live_target_idx
  // holds live rows only, and looked up after they are confirmed each mapping read every push row.
  c.transaction(() => {
    c.prepare(
      `UPDATE sku_mappings SET platform_stock = (SELECT p.quantity FROM stock_pushes p WHERE p.shop_id = sku_mappings.shop_id
          AND p.platform_product_id = sku_mappings.platform_product_id AND p.platform_sku_id = sku_mappings.platform_sku_id
          AND p.state IN ('pending', 'sending', 'refused', 'failed'))`,
    ).run();
    c.prepare("UPDATE stock_pushes SET state = 'confirmed', done_at = ?").run(now);
  })();
  const [steady, steadyMs] = timed('steady', () => writeTx(db, (tx) => runPushRound(tx, { now: now + 1, full: true })));
  log(`push bench: steady full round ${steadyMs} ms (cpu ${cpu.steady} ms), ${steady.written} rows`);

  // 1,000 SKUs move (a receipt each) and are marked, as the ledger commands do.
  const moved = skuIds.filter((_, i) => i % Math.max(1, Math.floor(skuIds.length / 1000)) === 0).slice(0, 1000);
  const wh = (c.prepare('SELECT id FROM warehouses ORDER BY code LIMIT 1').get() as { id: string }).id;
  writeTx(db, (tx) => {
    const ins = c.prepare("INSERT INTO stock_movements (id, sku_id, warehouse_id, delta, reason, actor, at, op_id) VALUES (?, ?, ?, 25, 'receive', 'bench', ?, ?)");
    for (const id of moved) ins.run(uuidv7(), id, wh, now + 2, uuidv7());
    markStockDirty(tx, moved, now + 2);
  });
  const runs: { ms: number; cpu: number; rows: number }[] = [];
  for (let i = 0; i < Math.max(1, repeats); i++) {
    const before = c.prepare('SELECT coalesce(max(rowid), 0) FROM stock_pushes').pluck().get() as number;
    const marks = c.prepare('SELECT sku_id, since FROM stock_dirty').raw().all() as [string, number][];
    const [dirty, dirtyMs] = timed('dirty', () => writeTx(db, (tx) => runPushRound(tx, { now: now + 3 })));
    runs.push({ ms: dirtyMs, cpu: cpu.dirty!, rows: dirty.written });
    log(`push bench: dirty round (${moved.length} SKUs) ${dirtyMs} ms (cpu ${cpu.dirty} ms), ${dirty.written} rows`);
    if (i + 1 < repeats) {
      c.transaction(() => {
        c.prepare('DELETE FROM stock_pushes WHERE rowid > ?').run(before);
        const mark = c.prepare('INSERT INTO stock_dirty (sku_id, since) VALUES (?, ?) ON CONFLICT(sku_id) DO UPDATE SET since = excluded.since');
        for (const [id, since] of marks) mark.run(id, since);
      })();
      c.pragma('wal_checkpoint(TRUNCATE)');
    }
  }
  const mid = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;

  return {
    push_shops: shopCount,
    push_mapped_skus: skuIds.length,
    push_targets: first.targets,
    push_seed_ms: seedMs,
    push_first_round_ms: firstMs,
    push_first_round_cpu_ms: cpu.first!,
    push_first_round_rows: first.written,
    push_steady_full_round_ms: steadyMs,
    push_steady_full_round_cpu_ms: cpu.steady!,
    push_dirty_round_ms: mid(runs, (r) => r.ms).ms,
    push_dirty_round_cpu_ms: mid(runs, (r) => r.cpu).cpu,
    push_dirty_round_rows: runs[0]!.rows,
    push_dirty_round_cpu_runs_ms: runs.map((r) => r.cpu),
    push_dirty_round_runs: runs.length,
    push_build_target_ms: 2000,
  };
}
