// On hand is a sum, so what keeps it fast is the plan: one SKU's figures seek the SKU by its code
// and sum each warehouse's movements from the covering index alone, never scanning the catalogue
// or the ledger's table (scripts/bench/stock.ts measures it at 100,000 SKUs and 1,000,000 movements).
import { afterEach, describe, expect, it } from 'vitest';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { listSql } from './balances.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const plan = (fx: Fixture, sql: string, params: Record<string, unknown>): string =>
  (fx.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');

describe('the stock list query plan', () => {
  it("one SKU's rows seek the SKU by code and sum from the covering index", () => {
    const fx = (f = openFixture());
    const p = plan(fx, listSql({ warehouse: false, sku: true, low: false }), { sku: 'SOCK-01', limit: 10, offset: 0 });
    expect(p).toContain('SEARCH s USING INDEX skus_outer_code_uq (outer_sku_code=?)');
    expect(p).toContain('SEARCH m USING COVERING INDEX stock_movements_balance_idx (sku_id=? AND warehouse_id=?)');
    expect(p).not.toMatch(/SCAN s\b/);
  });

  it('the first page walks SKUs in code order without sorting every pair', () => {
    const fx = (f = openFixture());
    const p = plan(fx, listSql({ warehouse: false, sku: false, low: false }), { limit: 100, offset: 0 });
    expect(p).toContain('SCAN s USING INDEX skus_outer_code_uq');
    expect(p).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });
});
