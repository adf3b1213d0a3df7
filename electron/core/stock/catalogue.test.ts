// The catalogue and warehouse commands through the API: barcodes name one SKU each (the first is
// also where the packing scan looks), an update changes only what it names and is audited, and a
// warehouse keeps its regions as a list.
import { afterEach, describe, expect, it } from 'vitest';
import type { SkuView, WarehouseView } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

describe('catalogue commands', () => {
  it('adds a SKU with barcodes, replaces them on update, and refuses a barcode another SKU has', async () => {
    const fx = (f = openFixture());
    const added = ok(await fx.call('skus.add', { code: 'MUG-1', title: '马克杯', spec: '白', barcodes: ['690001', '690002'], costFen: 1200, safetyStock: 3 })) as SkuView;
    expect(added).toMatchObject({ code: 'MUG-1', title: '马克杯', spec: '白', barcodes: ['690001', '690002'], costFen: 1200, safetyStock: 3, lowStockThreshold: 0 });
    const taken = await fx.call('skus.add', { code: 'MUG-2', title: '马克杯', barcodes: ['690002'] });
    expect(taken.ok ? 'ok' : [taken.error.reason, taken.error.details]).toEqual(['sku.barcode_taken', { barcode: '690002', code: 'MUG-1' }]);
    expect(fx.db.$client.prepare("SELECT count(*) AS n FROM skus WHERE outer_sku_code = 'MUG-2'").get()).toEqual({ n: 0 });

    const updated = ok(await fx.call('skus.update', { code: 'MUG-1', patch: { barcodes: ['690003'], lowStockThreshold: 4 } })) as SkuView;
    expect(updated).toMatchObject({ barcodes: ['690003'], lowStockThreshold: 4, safetyStock: 3, costFen: 1200, spec: '白' });
    expect(fx.db.$client.prepare("SELECT barcode FROM skus WHERE outer_sku_code = 'MUG-1'").get()).toEqual({ barcode: '690003' });
    // The freed barcode may now go to another SKU; both SKUs share the product of their title.
    const second = ok(await fx.call('skus.add', { code: 'MUG-2', title: '马克杯', barcodes: ['690002'] })) as SkuView;
    expect(second.barcodes).toEqual(['690002']);
    expect(fx.db.$client.prepare("SELECT count(DISTINCT product_id) AS n FROM skus WHERE outer_sku_code IN ('MUG-1', 'MUG-2')").get()).toEqual({ n: 1 });
    const audit = fx.db.$client.prepare("SELECT command, before, after FROM audit_log WHERE entity = 'sku' AND entity_id = 'MUG-1' ORDER BY at").all() as { command: string }[];
    expect(audit.map((a) => a.command)).toEqual(['skus.add', 'skus.update']);
    expect((ok(await fx.call('skus.list', { q: '690003' })) as SkuView[]).map((s) => s.code)).toEqual(['MUG-1']);
  });

  it('adds and changes a warehouse; regions stay a list', async () => {
    const fx = (f = openFixture());
    const w = ok(await fx.call('warehouses.add', { code: 'HZ', name: '杭州仓', regions: ['浙江', ' 江苏 ', '浙江'], priority: 5 })) as WarehouseView;
    expect(w).toMatchObject({ code: 'HZ', name: '杭州仓', regions: ['浙江', '江苏'], priority: 5, address: null });
    const changed = ok(await fx.call('warehouses.update', { code: 'HZ', patch: { address: '余杭区 1 号', regions: ['上海'] } })) as WarehouseView;
    expect(changed).toMatchObject({ name: '杭州仓', address: '余杭区 1 号', regions: ['上海'], priority: 5 });
    const missing = await fx.call('warehouses.update', { code: 'NOPE', patch: { name: 'x' } });
    expect(missing.ok ? 'ok' : missing.error.reason).toBe('warehouse.not_found');
  });
});
