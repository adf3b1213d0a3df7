// Allocations and "push now" through the API: a rule per shop and SKU (or '*'), refused when it makes
// no sense, marking the SKUs it covers so the next round tells the shop; a dry run lists the figures
// each shop would be told and writes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { AllocationView, StockPushRun } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { mapSku } from '../../testkit/stock-push-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const count = (fx: Fixture, sql: string) => (fx.db.$client.prepare(sql).get() as { n: number }).n;

async function station(): Promise<Fixture> {
  const fx = (f = openFixture());
  ok(await fx.call('warehouses.add', { code: 'WH1', name: '一号仓' }));
  ok(await fx.call('stock.receive', { sku: 'NZ-2301-BK-M', warehouse: 'WH1', quantity: 40 }));
  ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 9 }));
  mapSku(fx.db, 'shop-1', '501', '5011', 'sku-1', 40);
  mapSku(fx.db, 'shop-1', '502', '5021', 'sku-2', 0);
  fx.db.$client.prepare('DELETE FROM stock_dirty').run();
  return fx;
}

describe('stock allocations', () => {
  it('sets, lists and removes a rule; each change marks the SKUs it covers', async () => {
    const fx = await station();
    const set = ok(await fx.call('stock.setAllocation', { shopId: 'shop-1', sku: 'NZ-2301-BK-M', mode: 'share', value: 25, minQty: 1 })) as AllocationView;
    expect(set).toMatchObject({ shopId: 'shop-1', sku: 'NZ-2301-BK-M', mode: 'share', value: 25, minQty: 1, maxQty: null });
    expect(count(fx, "SELECT count(*) AS n FROM stock_dirty WHERE sku_id = 'sku-1'")).toBe(1);
    ok(await fx.call('stock.setAllocation', { shopId: 'shop-1', sku: '*', mode: 'fixed', value: 5 }));
    expect(count(fx, 'SELECT count(*) AS n FROM stock_dirty')).toBe(2);
    const list = ok(await fx.call('stock.allocations', {})) as AllocationView[];
    expect(list.map((a) => [a.sku, a.mode, a.value])).toEqual([
      ['*', 'fixed', 5],
      ['NZ-2301-BK-M', 'share', 25],
    ]);
    const run = ok(await fx.call('stock.push', { dryRun: true })) as StockPushRun;
    expect(run.figures.map((x) => [x.sku, x.quantity, x.told, x.changed])).toEqual([
      ['NZ-2301-BK-M', 10, 40, true],
      ['SOCK-01', 5, 0, true],
    ]);
    expect(ok(await fx.call('stock.removeAllocation', { shopId: 'shop-1', sku: 'NZ-2301-BK-M' }))).toEqual({ removed: true });
    expect(ok(await fx.call('stock.removeAllocation', { shopId: 'shop-1', sku: 'NZ-2301-BK-M' }))).toEqual({ removed: false });
    const after = ok(await fx.call('stock.push', { dryRun: true })) as StockPushRun;
    expect(after.figures.map((x) => [x.sku, x.quantity])).toEqual([
      ['NZ-2301-BK-M', 5],
      ['SOCK-01', 5],
    ]);
  });

  it('refuses a share above 100%, a min above the max, an unknown SKU or shop, and writes nothing for them', async () => {
    const fx = await station();
    const before = count(fx, 'SELECT count(*) AS n FROM ops');
    const share = await fx.call('stock.setAllocation', { shopId: 'shop-1', sku: '*', mode: 'share', value: 120 });
    expect(share.ok ? 'ok' : share.error.code).toBe('VALIDATION_FAILED');
    const minMax = await fx.call('stock.setAllocation', { shopId: 'shop-1', sku: '*', mode: 'fixed', value: 5, minQty: 9, maxQty: 3 });
    expect(minMax.ok ? 'ok' : minMax.error.code).toBe('VALIDATION_FAILED');
    const sku = await fx.call('stock.setAllocation', { shopId: 'shop-1', sku: 'NOPE', mode: 'fixed', value: 5 });
    expect(sku.ok ? 'ok' : sku.error.reason).toBe('sku.not_found');
    const shop = await fx.call('stock.setAllocation', { shopId: 'shop-x', sku: '*', mode: 'fixed', value: 5 });
    expect(shop.ok ? 'ok' : shop.error.reason).toBe('shop.not_found');
    expect(count(fx, 'SELECT count(*) AS n FROM ops')).toBe(before);
    expect(count(fx, 'SELECT count(*) AS n FROM stock_allocations')).toBe(0);
  });

  it('a dry run writes no push and keeps the dirty marks', async () => {
    const fx = await station();
    ok(await fx.call('stock.adjust', { sku: 'SOCK-01', warehouse: 'WH1', delta: -2, reason: '破损' }));
    const marks = count(fx, 'SELECT count(*) AS n FROM stock_dirty');
    expect(marks).toBe(1);
    const run = ok(await fx.call('stock.push', { dryRun: true })) as StockPushRun;
    expect(run).toMatchObject({ dryRun: true, written: 1, sent: null });
    expect(count(fx, 'SELECT count(*) AS n FROM stock_pushes')).toBe(0);
    expect(count(fx, 'SELECT count(*) AS n FROM stock_dirty')).toBe(marks);
  });
});
