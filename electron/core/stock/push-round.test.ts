// The push round on a real SQLite station: each shop's figure from committed stock and its
// allocation (share, fixed, reserve, min/max), bundles as the fewest whole bundles, rows written only
// where the figure differs from what the shop was last told, older unsent rows superseded, the dirty
// marks cleared, a dry run writing nothing, and shops that cannot be told skipped with their reason.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTx } from '../db/access.ts';
import { addShop, addSku, allocate, bundle, dirtyCount, mapSku, move, openPushStation, pushRows, type PushStation } from '../../testkit/stock-push-fixtures.ts';
import { Allocations, figureFor, WHOLE } from './allocation.ts';
import { markStockDirty } from './dirty.ts';
import { pooledUuidv7 as pushId } from './ids.ts';
import { LIVE_PUSH_STATES, previewPushRound, runPushRound, type RoundOptions } from './push-round.ts';

let st: PushStation | null = null;
afterEach(() => {
  st?.close();
  st = null;
});

const NOW = 1_800_000_000_000;
const round = (s: PushStation, o: Partial<RoundOptions> = {}) => writeTx(s.db, (tx) => runPushRound(tx, { now: NOW, collect: true, ...o }));
const dirty = (s: PushStation, ...ids: string[]) => writeTx(s.db, (tx) => markStockDirty(tx, ids, NOW - 1));
const figures = (r: { figures: { shopId: string; sku: string; quantity: number }[] }) => Object.fromEntries(r.figures.map((f) => [`${f.shopId}/${f.sku}`, f.quantity]));

function twoShops(): PushStation {
  const s = openPushStation();
  addShop(s.db, 'pdd-1', 'pdd');
  addShop(s.db, 'ks-1', 'kuaishou');
  return s;
}

describe('allocation arithmetic', () => {
  it('share, fixed and reserve from the pool; min never tells more than there is; max caps; never below 0', () => {
    const rule = (mode: 'share' | 'fixed' | 'reserve', value: number, minQty: number | null = null, maxQty: number | null = null) => ({ mode, value, minQty, maxQty });
    expect(figureFor(WHOLE, 30, 0)).toBe(30);
    expect(figureFor(rule('share', 50), 31, 0)).toBe(15);
    expect(figureFor(rule('share', 10), 5, 0)).toBe(0);
    expect(figureFor(rule('share', 10, 1), 5, 0)).toBe(1);
    expect(figureFor(rule('share', 10, 3), 2, 0)).toBe(2);
    expect(figureFor(rule('fixed', 12), 30, 0)).toBe(12);
    expect(figureFor(rule('fixed', 12), 7, 0)).toBe(7);
    expect(figureFor(rule('share', 100, null, 8), 30, 0)).toBe(8);
    // 30 available, 10 reserved for one shop: it sells its 10 and the shared 20; the others the 20.
    expect(figureFor(rule('reserve', 10), 30, 10)).toBe(30);
    expect(figureFor(WHOLE, 30, 10)).toBe(20);
    // Fewer than the reserves: the reserving shop gets what there is, the others nothing.
    expect(figureFor(rule('reserve', 10), 6, 10)).toBe(6);
    expect(figureFor(WHOLE, 6, 10)).toBe(0);
    expect(figureFor(WHOLE, -4, 0)).toBe(0);
    expect(figureFor(rule('reserve', 5), -4, 5)).toBe(0);
  });

  it('no rule ever tells a shop more than is available, nor less than 0; the shops without a reserve share only what the reserves leave', () => {
    const rule = fc.record({
      mode: fc.constantFrom('share' as const, 'fixed' as const, 'reserve' as const),
      value: fc.integer({ min: 0, max: 200 }),
      minQty: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
      maxQty: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 6 }), fc.integer({ min: -50, max: 250 }), (rules, available) => {
        const shops = rules.map((r, i) => ({ shopId: `s${i}`, skuId: 'X', ...r, value: r.mode === 'share' ? Math.min(100, r.value) : r.value }));
        const a = new Allocations(shops);
        const reserved = a.reservedTotal('X');
        const pool = Math.max(0, Math.max(0, available) - reserved);
        for (const s of shops) {
          const q = figureFor(a.ruleFor(s.shopId, 'X'), available, reserved);
          expect(q).toBeGreaterThanOrEqual(0);
          expect(q).toBeLessThanOrEqual(Math.max(0, available));
          if (s.mode !== 'reserve') expect(q).toBeLessThanOrEqual(pool);
        }
      }),
    );
  });

  it("a shop's own row beats its default; a default reserve counts for every SKU without a row of that shop", () => {
    const a = new Allocations([
      { shopId: 'a', skuId: '*', mode: 'reserve', value: 3, minQty: null, maxQty: null },
      { shopId: 'a', skuId: 'X', mode: 'share', value: 50, minQty: null, maxQty: null },
      { shopId: 'b', skuId: 'Y', mode: 'reserve', value: 4, minQty: null, maxQty: null },
    ]);
    expect(a.ruleFor('a', 'X').mode).toBe('share');
    expect(a.ruleFor('a', 'Y').mode).toBe('reserve');
    expect(a.ruleFor('c', 'Y')).toEqual(WHOLE);
    expect(a.reservedTotal('X')).toBe(0);
    expect(a.reservedTotal('Y')).toBe(7);
  });
});

describe('push round', () => {
  it('tells every mapped platform SKU its allocated figure, in the platform mode, and nothing again when nothing moved', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    addSku(s.db, 'B', 12, 2);
    mapSku(s.db, 'pdd-1', '1001', '11', 'A');
    mapSku(s.db, 'pdd-1', '1002', '21', 'B');
    mapSku(s.db, 'ks-1', '9001', '91', 'A');
    mapSku(s.db, 'ks-1', '9002', '92', null); // unmapped: never told
    allocate(s.db, 'pdd-1', 'A', 'share', 50);
    const r = round(s, { full: true });
    expect(figures(r)).toEqual({ 'pdd-1/A': 15, 'pdd-1/B': 10, 'ks-1/A': 30 });
    expect(r.written).toBe(3);
    const rows = pushRows(s.db);
    expect(rows.map((x) => [x.shopId, x.platformSkuId, x.mode, x.quantity, x.state])).toEqual(
      expect.arrayContaining([
        ['pdd-1', '11', 'set', 15, 'pending'],
        ['pdd-1', '21', 'set', 10, 'pending'],
        ['ks-1', '91', 'delta', 30, 'pending'],
      ]),
    );
    expect(round(s, { full: true }).written).toBe(0);
    expect(pushRows(s.db)).toHaveLength(3);
  });

  it('compares with the platform figure when the shop was never told, and with the live push when it was', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    mapSku(s.db, 'pdd-1', '1001', '11', 'A', 30);
    mapSku(s.db, 'pdd-1', '1002', '12', 'A', 29);
    const r = round(s, { full: true });
    expect(r.written).toBe(1);
    expect(r.figures.find((f) => f.platformSkuId === '12')).toMatchObject({ told: 29, quantity: 30, changed: true });
    expect(r.figures.find((f) => f.platformSkuId === '11')).toMatchObject({ told: 30, quantity: 30, changed: false });
  });

  it('reserve for one shop: it is told its units and the shared pool, the others only the pool', () => {
    const s = (st = twoShops());
    addShop(s.db, 'jd-1', 'jd');
    addSku(s.db, 'A', 30);
    for (const [shop, p] of [['pdd-1', '1'], ['ks-1', '2'], ['jd-1', '3']] as const) mapSku(s.db, shop, p, `${p}1`, 'A');
    allocate(s.db, 'pdd-1', 'A', 'reserve', 10);
    allocate(s.db, 'jd-1', '*', 'fixed', 5, null, null);
    allocate(s.db, 'ks-1', 'A', 'share', 100, null, 18);
    expect(figures(round(s, { full: true }))).toEqual({ 'pdd-1/A': 30, 'ks-1/A': 18, 'jd-1/A': 5 });
  });

  it('a bundle is told the fewest whole bundles its components make, and a component moving re-tells the bundle', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 9);
    addSku(s.db, 'C', 3);
    addSku(s.db, 'SET', 0);
    bundle(s.db, 'SET', { A: 2, C: 1 });
    mapSku(s.db, 'pdd-1', '1', '1', 'SET');
    mapSku(s.db, 'pdd-1', '2', '2', 'A');
    expect(figures(round(s, { full: true }))).toEqual({ 'pdd-1/SET': 3, 'pdd-1/A': 9 });
    move(s.db, 'A', -4); // 5 left: two whole bundles
    dirty(s, 'A');
    const r = round(s);
    expect(figures(r)).toEqual({ 'pdd-1/SET': 2, 'pdd-1/A': 5 });
    expect(r.written).toBe(2);
    expect(dirtyCount(s.db)).toBe(0);
  });

  it('a newer figure supersedes the unsent one; a row already sending is left alone', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    mapSku(s.db, 'pdd-1', '1', '1', 'A');
    round(s, { full: true });
    move(s.db, 'A', -10);
    dirty(s, 'A');
    round(s);
    expect(pushRows(s.db).map((r) => [r.quantity, r.state])).toEqual([
      [30, 'superseded'],
      [20, 'pending'],
    ]);
    s.db.$client.prepare("UPDATE stock_pushes SET state = 'sending' WHERE state = 'pending'").run();
    move(s.db, 'A', -5);
    dirty(s, 'A');
    round(s);
    expect(pushRows(s.db).map((r) => [r.quantity, r.state])).toEqual([
      [30, 'superseded'],
      [20, 'sending'],
      [15, 'pending'],
    ]);
  });

  it('a refused figure is not asked again until the stock changes; a failed one is', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    mapSku(s.db, 'pdd-1', '1', '1', 'A');
    mapSku(s.db, 'pdd-1', '2', '2', 'A');
    round(s, { full: true });
    s.db.$client.prepare("UPDATE stock_pushes SET state = 'refused' WHERE platform_sku_id = '1'").run();
    s.db.$client.prepare("UPDATE stock_pushes SET state = 'failed' WHERE platform_sku_id = '2'").run();
    const again = round(s, { full: true });
    expect(again.figures.filter((f) => f.changed).map((f) => f.platformSkuId)).toEqual(['2']);
    move(s.db, 'A', -1);
    expect(round(s, { full: true }).written).toBe(2);
  });

  it('a dry run computes the same figures and writes nothing, not even the dirty marks', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    mapSku(s.db, 'pdd-1', '1', '1', 'A');
    dirty(s, 'A');
    const preview = previewPushRound(s.db, { now: NOW, collect: true });
    expect(preview.written).toBe(1);
    expect(figures(preview)).toEqual({ 'pdd-1/A': 30 });
    expect(pushRows(s.db)).toHaveLength(0);
    expect(dirtyCount(s.db)).toBe(1);
    expect(figures(round(s))).toEqual(figures(preview));
  });

  it('skips shops that cannot be told, saying why, and a round of one shop keeps the marks for the others', () => {
    const s = (st = twoShops());
    addShop(s.db, 'tb-x', 'taobao', {}, 'auth_expired');
    addShop(s.db, 'jd-p', 'jd', {}, 'paused');
    addShop(s.db, 'other', 'wechat-shop');
    addSku(s.db, 'A', 30);
    for (const shop of ['pdd-1', 'tb-x', 'jd-p', 'other']) mapSku(s.db, shop, '1', '1', 'A');
    dirty(s, 'A');
    const one = round(s, { shopId: 'pdd-1' });
    expect(one.written).toBe(1);
    expect(dirtyCount(s.db)).toBe(1);
    const all = round(s);
    expect(all.written).toBe(0);
    expect(Object.fromEntries(all.skipped.map((k) => [k.shopId, k.reason]))).toEqual({ 'tb-x': 'auth_expired', 'jd-p': 'paused', other: 'no_stock_write' });
    expect(dirtyCount(s.db)).toBe(0);
  });

  it('the set-based round (no figures collected) writes, supersedes and clears exactly what the collecting round does', () => {
    // Two identical stations take the same moves, sender outcomes and rounds: one collects figures (the
    // per-target walk), the other is the background's set-based round. Their push rows must not differ.
    const build = (): PushStation => {
      const s = openPushStation();
      for (const [id, platform, state] of [['pdd-1', 'pdd', 'active'], ['ks-1', 'kuaishou', 'active'], ['jd-1', 'jd', 'active'], ['tb-1', 'taobao', 'active'], ['dy-p', 'douyin', 'paused']] as const) addShop(s.db, id, platform, {}, state);
      addSku(s.db, 'A', 30);
      addSku(s.db, 'B', 7, 2);
      addSku(s.db, 'C', 3);
      addSku(s.db, 'SET', 0);
      bundle(s.db, 'SET', { A: 2, C: 1 });
      let p = 0;
      for (const shop of ['pdd-1', 'ks-1', 'jd-1', 'tb-1', 'dy-p']) for (const sku of ['A', 'B', 'C', 'SET']) mapSku(s.db, shop, String(++p), `${p}0`, sku, p % 3 === 0 ? 5 : null);
      mapSku(s.db, 'tb-1', 'x', 'x0', null);
      allocate(s.db, 'pdd-1', '*', 'share', 50, 1, null);
      allocate(s.db, 'jd-1', '*', 'fixed', 5, null, null);
      allocate(s.db, 'ks-1', 'A', 'reserve', 4);
      allocate(s.db, 'ks-1', 'B', 'share', 100, null, 3);
      return s;
    };
    const a = build();
    const b = build();
    try {
      // Rows written in one round share created_at; their ids order them by when each was generated,
      // which differs between the two walks, so the rows are compared as a set.
      const rows = (s: PushStation) => pushRows(s.db).map(({ id: _id, ...r }) => JSON.stringify(r)).sort();
      const both = (fn: (s: PushStation) => void) => {
        fn(a);
        fn(b);
      };
      let seed = 7;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
      for (let step = 0; step < 24; step++) {
        const sku = ['A', 'B', 'C', 'SET'][rand(4)]!;
        const delta = rand(9) - 5;
        const outcome = ['sending', 'refused', 'failed', 'confirmed', 'none'][rand(5)]!;
        const full = rand(3) === 0;
        both((s) => {
          if (sku !== 'SET') move(s.db, sku, delta);
          const c = s.db.$client;
          if (outcome === 'confirmed') {
            c.prepare(
              `UPDATE sku_mappings SET platform_stock = (SELECT p.quantity FROM stock_pushes p WHERE p.shop_id = sku_mappings.shop_id AND p.platform_product_id = sku_mappings.platform_product_id
                  AND p.platform_sku_id = sku_mappings.platform_sku_id AND p.state = 'pending' ORDER BY p.created_at DESC, p.id DESC LIMIT 1)
                WHERE EXISTS (SELECT 1 FROM stock_pushes p WHERE p.shop_id = sku_mappings.shop_id AND p.platform_product_id = sku_mappings.platform_product_id
                  AND p.platform_sku_id = sku_mappings.platform_sku_id AND p.state = 'pending')`,
            ).run();
            c.prepare("UPDATE stock_pushes SET state = 'confirmed' WHERE state = 'pending'").run();
          } else if (outcome !== 'none') {
            // Only some rows take the outcome, so live pushes of every kind are around at once.
            c.prepare(`UPDATE stock_pushes SET state = ? WHERE state = 'pending' AND sku_id = ?`).run(outcome, sku);
          }
          if (!full) dirty(s, sku === 'SET' ? 'C' : sku);
        });
        const ra = writeTx(a.db, (tx) => runPushRound(tx, { now: NOW + step, full, collect: true }));
        const rb = writeTx(b.db, (tx) => runPushRound(tx, { now: NOW + step, full }));
        const summary = (r: typeof ra) => ({ ...r, figures: [], skuIds: [...r.skuIds].sort(), changedSkuIds: [...r.changedSkuIds].sort() });
        expect(summary(rb), `step ${step}`).toEqual(summary(ra));
        expect(rows(b), `step ${step}`).toEqual(rows(a));
        expect(dirtyCount(b.db)).toBe(dirtyCount(a.db));
      }
      expect(pushRows(b.db).some((r) => r.state === 'superseded')).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('push history and the index rounds write into', () => {
  it('confirmed and superseded history stays out of the live target index; a query carrying LIVE_PUSH_STATES finds it', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    mapSku(s.db, 'pdd-1', '1', '1', 'A');
    round(s, { full: true });
    s.db.$client.prepare("UPDATE stock_pushes SET state = 'confirmed'").run();
    move(s.db, 'A', -3);
    round(s, { full: true });
    const c = s.db.$client;
    const indexed = (state: string) =>
      c.prepare(`SELECT count(*) FROM stock_pushes INDEXED BY stock_pushes_live_target_idx WHERE ${LIVE_PUSH_STATES} AND shop_id = 'pdd-1' AND state = ?`).pluck().get(state);
    expect(indexed('pending')).toBe(1);
    expect(c.prepare("SELECT count(*) FROM stock_pushes WHERE state = 'confirmed'").pluck().get()).toBe(1);
    // The index holds one entry: the pending row (the confirmed one is history).
    expect(c.prepare("SELECT count(*) FROM stock_pushes INDEXED BY stock_pushes_live_target_idx WHERE " + LIVE_PUSH_STATES).pluck().get()).toBe(1);
    const plan = (sql: string) => (c.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(`SELECT id FROM stock_pushes p WHERE p.shop_id = 'x' AND p.platform_product_id = 'y' AND p.platform_sku_id = 'z' AND p.${LIVE_PUSH_STATES} AND p.state = 'pending'`)).toContain(
      'stock_pushes_live_target_idx',
    );
  });

  it('a refused push stops being the last word once a push of the SKU the listing now maps to is confirmed', () => {
    const s = (st = twoShops());
    addSku(s.db, 'A', 30);
    addSku(s.db, 'B', 12);
    mapSku(s.db, 'pdd-1', '1', '1', 'A');
    round(s, { full: true });
    const c = s.db.$client;
    c.prepare("UPDATE stock_pushes SET state = 'refused'").run();
    // Mapped again to B: B's figure is written, and the platform confirms it.
    c.prepare("UPDATE sku_mappings SET sku_id = 'B'").run();
    expect(round(s, { full: true }).written).toBe(1);
    c.prepare("UPDATE stock_pushes SET state = 'confirmed', done_at = 1 WHERE state = 'pending'").run();
    c.prepare('UPDATE sku_mappings SET platform_stock = 12').run();
    // Nothing changed since: the confirmed 12 is what the shop shows, not the refused 30.
    expect(round(s, { full: true }).written).toBe(0);
    expect(writeTx(s.db, (tx) => runPushRound(tx, { now: NOW + 1, full: true })).written).toBe(0);
  });

  it('push ids are UUIDv7 and keep the order they were made in, within one millisecond too', () => {
    const ids = Array.from({ length: 10_000 }, () => pushId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});
