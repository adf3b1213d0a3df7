// The 库存 list through the API on a real SQLite station: keyset pages walk every row once in
// order whatever the page size, the filters (warehouse, low, out of stock, unmapped, search) keep
// exactly the rows they name, held reservations are subtracted, and days of cover follow sales.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { StockRow } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';
import { listSql } from './balances.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const key = (r: Pick<StockRow, 'sku' | 'warehouse'>) => `${r.sku}|${r.warehouse}`;

/** The fixture's two SKUs, eight more (some with barcodes), three warehouses, some stock. */
async function station(): Promise<Fixture> {
  const fx = openFixture();
  for (const code of ['WH-B', 'WH-A', 'WH-C']) ok(await fx.call('warehouses.add', { code, name: `仓库 ${code}` }));
  for (let i = 0; i < 8; i++) {
    ok(await fx.call('skus.add', { code: `CUP-${i}`, title: i % 2 ? '陶瓷杯' : '玻璃杯', spec: `${i}号`, barcodes: [`69000000${i}`], safetyStock: i % 3, lowStockThreshold: 5 }));
  }
  for (let i = 0; i < 8; i += 2) ok(await fx.call('stock.receive', { sku: `CUP-${i}`, warehouse: 'WH-A', quantity: 3 + i * 2 }));
  ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH-B', quantity: 40 }));
  return fx;
}

const list = async (fx: Fixture, input: Record<string, unknown>): Promise<StockRow[]> => ok(await fx.call('stock.list', input));

describe('stock.list', () => {
  it('keyset pages of any size give every row once, in code then warehouse order', async () => {
    const fx = (f = await station());
    const all = await list(fx, { limit: 1000 });
    expect(all).toHaveLength(10 * 3);
    const sorted = [...all].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.warehouse < b.warehouse ? -1 : 1));
    expect(all.map(key)).toEqual(sorted.map(key));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 31 }), fc.boolean(), async (size, low) => {
        const want = low ? all.filter((r) => r.low) : all;
        const got: StockRow[] = [];
        for (let guard = 0; guard < 100; guard++) {
          const last = got[got.length - 1];
          const page = await list(fx, { limit: size, low, ...(last ? { after: { sku: last.sku, warehouse: last.warehouse } } : {}) });
          got.push(...page);
          if (page.length < size) break;
        }
        expect(got.map(key)).toEqual(want.map(key));
      }),
      { numRuns: 25 },
    );
  });

  it('a page after a row in the middle of a SKU starts at its next warehouse', async () => {
    const fx = (f = await station());
    const page = await list(fx, { limit: 4, after: { sku: 'CUP-1', warehouse: 'WH-A' } });
    expect(page.map(key)).toEqual(['CUP-1|WH-B', 'CUP-1|WH-C', 'CUP-2|WH-A', 'CUP-2|WH-B']);
  });

  it('filters keep exactly the rows they name', async () => {
    const fx = (f = await station());
    const all = await list(fx, { limit: 1000 });
    expect((await list(fx, { out: true, limit: 1000 })).map(key)).toEqual(all.filter((r) => r.skuAvailable <= 0).map(key));
    expect((await list(fx, { low: true, warehouse: 'WH-A', limit: 1000 })).map(key)).toEqual(all.filter((r) => r.low && r.warehouse === 'WH-A').map(key));
    // A barcode finds its SKU exactly; a title fragment finds every SKU whose title holds it.
    expect((await list(fx, { q: '690000003', limit: 1000 })).map((r) => r.sku)).toEqual(['CUP-3', 'CUP-3', 'CUP-3']);
    expect(new Set((await list(fx, { q: '陶瓷', limit: 1000 })).map((r) => r.sku))).toEqual(new Set(['CUP-1', 'CUP-3', 'CUP-5', 'CUP-7']));
    expect(new Set((await list(fx, { q: 'sock', limit: 1000 })).map((r) => r.sku))).toEqual(new Set(['SOCK-01']));
    // Unmapped: every SKU until a shop's platform SKU maps to one.
    expect(new Set((await list(fx, { unmapped: true, limit: 1000 })).map((r) => r.sku)).size).toBe(10);
    fx.db.$client
      .prepare(
        `INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, outer_code, title, sku_id, matched_by, listed_at)
         VALUES (?, 'P1', 'S1', 'CUP-2', '玻璃杯', (SELECT id FROM skus WHERE outer_sku_code = 'CUP-2'), 'hand', 0),
                (?, 'P1', 'S2', 'CUP-9', '玻璃杯', NULL, NULL, 0)`,
      )
      .run(fx.shopId, fx.shopId);
    const unmapped = await list(fx, { unmapped: true, limit: 1000 });
    expect(new Set(unmapped.map((r) => r.sku)).has('CUP-2')).toBe(false);
    expect(new Set(unmapped.map((r) => r.sku)).size).toBe(9);
    expect((await list(fx, { sku: 'CUP-2', limit: 10 })).every((r) => r.mapped)).toBe(true);
    expect(unmapped.every((r) => !r.mapped)).toBe(true);
  });

  it('subtracts held reservations, not settled ones', async () => {
    const fx = (f = await station());
    fx.addOrders([platformOrder(1)]);
    const orderId = fx.idOf(1);
    const c = fx.db.$client;
    const ins = c.prepare(
      `INSERT INTO stock_reservations (id, order_id, line_no, sku_id, warehouse_id, quantity, state, created_at)
       VALUES (?, ?, ?, (SELECT id FROM skus WHERE outer_sku_code = 'SOCK-01'), (SELECT id FROM warehouses WHERE code = 'WH-B'), ?, ?, 0)`,
    );
    // Whatever reservations the ingest itself made, the list moves by exactly these.
    const before = (await list(fx, { sku: 'SOCK-01', warehouse: 'WH-B' }))[0]!;
    ins.run('r-held', orderId, 90, 7, 'held');
    ins.run('r-shipped', orderId, 91, 5, 'shipped');
    ins.run('r-released', orderId, 92, 3, 'released');
    const after = (await list(fx, { sku: 'SOCK-01', warehouse: 'WH-B' }))[0]!;
    expect(after.reserved - before.reserved).toBe(7);
    expect(after.available).toBe(after.onHand - after.reserved);
    expect(before.available - after.available).toBe(7);
    expect(before.skuAvailable - after.skuAvailable).toBe(7);
  });

  it('a warehouse row shows its free units; the SKU’s safety stock is held back once, and low/out follow the SKU total', async () => {
    const fx = (f = await station());
    const c = fx.db.$client;
    c.prepare("UPDATE skus SET safety_stock = 4, low_stock_threshold = 1 WHERE outer_sku_code = 'CUP-1'").run();
    for (const warehouse of ['WH-A', 'WH-B']) ok(await fx.call('stock.receive', { sku: 'CUP-1', warehouse, quantity: 3 }));
    const rows = await list(fx, { sku: 'CUP-1' });
    // 3 + 3 on hand less 4 safety once: 2 to sell, neither low (threshold 1) nor out, though each warehouse alone holds less than 4.
    expect(rows.map((r) => [r.warehouse, r.available, r.skuAvailable, r.low])).toEqual([
      ['WH-A', 3, 2, false],
      ['WH-B', 3, 2, false],
      ['WH-C', 0, 2, false],
    ]);
    expect((await list(fx, { out: true, limit: 1000 })).filter((r) => r.sku === 'CUP-1')).toEqual([]);
    expect((await list(fx, { low: true, limit: 1000 })).filter((r) => r.sku === 'CUP-1')).toEqual([]);
    c.prepare("UPDATE skus SET safety_stock = 6 WHERE outer_sku_code = 'CUP-1'").run();
    // Nothing left to sell: every row of the SKU is out, whatever one warehouse holds.
    expect((await list(fx, { out: true, limit: 1000 })).filter((r) => r.sku === 'CUP-1').map((r) => r.warehouse)).toEqual(['WH-A', 'WH-B', 'WH-C']);
  });

  it('days of cover: the SKU’s available over every warehouse at its last 30 days’ rate', async () => {
    const fx = (f = await station());
    const idle = (await list(fx, { sku: 'CUP-1' }))[0]!;
    expect(idle.perDay).toBe(0);
    expect(idle.daysOfCover).toBeNull();
    // Fixture orders each sell one SOCK-01; thirty of them paid within the window: 1 a day.
    fx.addOrders(Array.from({ length: 30 }, (_, i) => platformOrder(i + 1)));
    const rows = await list(fx, { sku: 'SOCK-01' });
    const perDay = rows[0]!.perDay;
    expect(perDay).toBeGreaterThan(0);
    const available = rows.reduce((n, r) => n + r.onHand - r.reserved, 0) - rows[0]!.safety;
    for (const r of rows) {
      expect(r.perDay).toBe(perDay);
      expect(r.daysOfCover).toBeCloseTo(Math.max(0, available) / perDay, 6);
    }
  });

  it('a deep keyset page seeks the SKU by code instead of walking the rows before it', () => {
    const fx = (f = openFixture());
    const plan = (fx.db.$client.prepare(`EXPLAIN QUERY PLAN ${listSql({ warehouse: false, sku: false, low: false, after: true })}`).all({
      afterSku: 'SOCK-01',
      afterWarehouse: 'WH-A',
      limit: 100,
      offset: 0,
    }) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('SEARCH s USING INDEX skus_outer_code_uq (outer_sku_code>?)');
    expect(plan).toContain('SEARCH r USING INDEX sqlite_autoindex_stock_held_totals_1 (sku_id=? AND warehouse_id=?)');
    expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });
});
