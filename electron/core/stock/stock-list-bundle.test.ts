// A 组合装 in the 库存 list: its rows say it is a bundle, carry no days of cover, and never show as
// low or out of stock by themselves (its components hold the stock and are what runs low); a SKU
// made plain again reads as any SKU.
import { afterEach, describe, expect, it } from 'vitest';
import type { StockRow } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const list = async (fx: Fixture, input: Record<string, unknown> = {}): Promise<StockRow[]> => ok(await fx.call('stock.list', { limit: 100, ...input }));
const skusOf = (rows: StockRow[]) => rows.map((r) => r.sku);

describe('bundles in the stock list', () => {
  it('marks a bundle and keeps it out of the low and out-of-stock filters; its components stay in them', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('warehouses.add', { code: 'WH-A', name: '杭州仓' }));
    ok(await fx.call('skus.add', { code: 'BOX', title: '礼盒' }));
    ok(await fx.call('bundles.set', { sku: 'BOX', components: [{ sku: 'SOCK-01', quantity: 2 }] }));

    const rows = await list(fx);
    expect(rows.find((r) => r.sku === 'BOX')).toMatchObject({ bundle: true, onHand: 0, daysOfCover: null });
    expect(rows.filter((r) => r.sku !== 'BOX').every((r) => r.bundle === false)).toBe(true);
    // Nothing is in stock: the plain SKUs are out and low; the bundle is neither.
    expect(skusOf(await list(fx, { out: true }))).toEqual(['NZ-2301-BK-M', 'SOCK-01']);
    expect(skusOf(await list(fx, { low: true }))).toEqual(['NZ-2301-BK-M', 'SOCK-01']);
    // Made plain again, it is a SKU with nothing in stock like the others.
    ok(await fx.call('bundles.remove', { sku: 'BOX' }));
    expect(skusOf(await list(fx, { out: true }))).toEqual(['BOX', 'NZ-2301-BK-M', 'SOCK-01']);
    expect((await list(fx, { sku: 'BOX' }))[0]).toMatchObject({ bundle: false });
  });
});
