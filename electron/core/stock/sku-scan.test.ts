// skus.scan: a scanned code names a SKU only exactly — by its 商家编码, else any of its barcodes (the
// barcode table, or skus.barcode on rows from before it) — never by a fragment.
import { afterEach, describe, expect, it } from 'vitest';
import type { SkuView } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const scan = async (fx: Fixture, code: string): Promise<string | null> => (ok(await fx.call('skus.scan', { code })) as { sku: SkuView | null }).sku?.code ?? null;

describe('skus.scan', () => {
  it('matches a code or any barcode exactly, and nothing else', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('skus.add', { code: 'CUP-1', title: '杯子', barcodes: ['6901', '6902'] }));
    ok(await fx.call('skus.add', { code: 'CUP-10', title: '杯子', barcodes: ['69010'] }));
    ok(await fx.call('skus.add', { code: 'XCUP-1', title: '杯子 CUP-1 同款' }));
    expect(await scan(fx, 'CUP-1')).toBe('CUP-1');
    expect(await scan(fx, '6902')).toBe('CUP-1');
    expect(await scan(fx, '69010')).toBe('CUP-10');
    expect(await scan(fx, 'CUP')).toBeNull();
    expect(await scan(fx, '690')).toBeNull();
    expect(await scan(fx, 'cup-1')).toBeNull();
    // A row written before the barcode table: its skus.barcode still answers.
    fx.db.$client.prepare("UPDATE skus SET barcode = '4800001' WHERE outer_sku_code = 'SOCK-01'").run();
    expect(await scan(fx, '4800001')).toBe('SOCK-01');
    const full = (ok(await fx.call('skus.scan', { code: '6901' })) as { sku: SkuView }).sku;
    expect(full).toMatchObject({ code: 'CUP-1', title: '杯子', barcodes: ['6901', '6902'] });
  });
});
