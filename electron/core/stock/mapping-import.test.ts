// 商品对应 from a file and 组合装 through the API on a real station: a file maps listed platform SKUs
// to local SKUs all or nothing (a bad row refuses the file with its line, field and why; a dry run
// writes nothing; GBK as Excel saves it reads), the export of unmapped rows imports back once filled,
// and a re-check reserves the stock of an order that could not reserve while its line was unmatched.
// Bundles hold plain SKUs only, never themselves or another bundle.
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { BundleView, MappingImportResult, MappingList, StockFile } from '../../shared/contract.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { lineItem, order } from '../../testkit/ingest-fixtures.ts';
import { ok } from '../../testkit/results.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
function listed(fx: Fixture, rows: [product: string, sku: string][]): void {
  const st = fx.db.$client.prepare("INSERT INTO sku_mappings (shop_id, platform_product_id, platform_sku_id, title, listed_at) VALUES ('shop-1', ?, ?, '标题', 1)");
  for (const [p, s] of rows) st.run(p, s);
}
const mappings = (fx: Fixture) =>
  fx.db.$client.prepare('SELECT platform_product_id AS p, platform_sku_id AS s, sku_id AS skuId, matched_by AS by FROM sku_mappings ORDER BY p, s').all();
const importFile = async (fx: Fixture, name: string, bytes: Buffer | string, dryRun = false) =>
  ok(await fx.call('mapping.import', { fileName: name, base64: b64(bytes), dryRun })) as MappingImportResult;

describe('mapping.import', () => {
  it('maps by platform SKU id, or by product id for a product without SKUs, from a GBK CSV', async () => {
    const fx = (f = openFixture());
    listed(fx, [['100', 'S-1'], ['100', 'S-2'], ['200', '']]);
    const csv = '店铺,平台商品ID,平台SKU ID,商家编码\r\n杭州女装旗舰店,,S-1,SOCK-01\r\nshop-1,100,S-2,NZ-2301-BK-M\r\n杭州女装旗舰店,200,,SOCK-01\r\n';
    const dry = await importFile(fx, 'm.csv', iconv.encode(csv, 'gbk'), true);
    expect(dry).toMatchObject({ rows: 3, mapped: 3, remapped: 0, badCount: 0, committed: false, dryRun: true });
    expect(mappings(fx).every((m) => (m as { skuId: string | null }).skuId === null)).toBe(true);
    const r = await importFile(fx, 'm.csv', iconv.encode(csv, 'gbk'));
    expect(r).toMatchObject({ mapped: 3, committed: true });
    expect(mappings(fx)).toEqual([
      { p: '100', s: 'S-1', skuId: 'sku-2', by: 'import' },
      { p: '100', s: 'S-2', skuId: 'sku-1', by: 'import' },
      { p: '200', s: '', skuId: 'sku-2', by: 'import' },
    ]);
    // The same file again: every row already says so.
    expect(await importFile(fx, 'm.csv', iconv.encode(csv, 'gbk'))).toMatchObject({ mapped: 0, remapped: 0, unchanged: 3, committed: false });
  });

  it('one bad row refuses the whole file, each bad row reported with its line, field and why', async () => {
    const fx = (f = openFixture());
    listed(fx, [['100', 'S-1'], ['100', 'S-2']]);
    const csv = [
      '店铺,平台SKU ID,商家编码',
      '杭州女装旗舰店,S-1,SOCK-01', // fine
      '没有这个店,S-2,SOCK-01',
      '杭州女装旗舰店,S-9,SOCK-01',
      '杭州女装旗舰店,S-2,NO-SUCH-SKU',
      '杭州女装旗舰店,S-1,NZ-2301-BK-M',
      '杭州女装旗舰店,S-2,',
    ].join('\n');
    const before = mappings(fx);
    const r = await importFile(fx, 'bad.csv', csv);
    expect(r).toMatchObject({ rows: 6, badCount: 5, committed: false });
    expect(r.bad.map((b) => [b.line, b.field, b.problem])).toEqual([
      [3, 'shop', 'unknown_shop'],
      [4, 'skuId', 'not_listed'],
      [5, 'sku', 'unknown_sku'],
      [6, 'row', 'duplicate_in_file'],
      [7, 'sku', 'missing'],
    ]);
    expect(mappings(fx)).toEqual(before);
  });

  it('the export of the unmapped rows, filled in, imports back', async () => {
    const fx = (f = openFixture());
    listed(fx, [['100', 'S-1'], ['300', 'S-3']]);
    const file = ok(await fx.call('mapping.export', { unmapped: true })) as StockFile;
    const text = Buffer.from(file.base64, 'base64').toString('utf8');
    const lines = text.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toBe('店铺,平台,平台商品ID,平台SKU ID,商品标题,规格,平台商家编码,商家编码,对应方式');
    expect(lines).toHaveLength(3);
    const filled = [lines[0], ...lines.slice(1).map((l) => l.replace(/,,$/, ',SOCK-01,'))].join('\r\n');
    expect(await importFile(fx, file.fileName, `\uFEFF${filled}`)).toMatchObject({ mapped: 2, badCount: 0, committed: true });
    expect((ok(await fx.call('mapping.list', { unmapped: true })) as MappingList).total).toBe(0);
  });

  it('a mapping re-checks an order that could not reserve: its line now holds stock', async () => {
    const fx = (f = openFixture());
    listed(fx, [['100', 'PX-7']]);
    ok(await fx.call('warehouses.add', { code: 'WH1', name: '一号仓' }));
    ok(await fx.call('stock.receive', { sku: 'SOCK-01', warehouse: 'WH1', quantity: 10 }));
    const [id] = fx.addOrders([order(3, { items: [lineItem(3, { platformSkuId: 'PX-7', outerSkuCode: null, quantity: 4 })] })]);
    const held = () => fx.db.$client.prepare("SELECT sku_id AS skuId, quantity FROM stock_reservations WHERE order_id = ? AND state = 'held'").all(id);
    expect(held()).toEqual([]);
    const r = await importFile(fx, 'm.csv', '店铺,平台SKU ID,商家编码\nshop-1,PX-7,SOCK-01\n');
    expect(r).toMatchObject({ mapped: 1, committed: true, rechecked: 1 });
    expect(held()).toEqual([{ skuId: 'sku-2', quantity: 4 }]);
  });
});

describe('bundles', () => {
  async function refused(fx: Fixture, input: unknown): Promise<string | undefined> {
    const r = await fx.call('bundles.set', input);
    return r.ok ? 'ok' : r.error.reason;
  }

  it('a bundle holds existing plain SKUs with quantities; componentsOf reads them; it becomes plain again', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('skus.add', { code: 'GIFT-BOX', title: '礼盒' }));
    const b = ok(await fx.call('bundles.set', { sku: 'GIFT-BOX', components: [{ sku: 'SOCK-01', quantity: 3 }, { sku: 'NZ-2301-BK-M', quantity: 1 }] })) as BundleView;
    expect(b.components.map((c) => [c.sku, c.quantity])).toEqual([['NZ-2301-BK-M', 1], ['SOCK-01', 3]]);
    // Replaced whole, not merged.
    ok(await fx.call('bundles.set', { sku: 'GIFT-BOX', components: [{ sku: 'SOCK-01', quantity: 2 }] }));
    expect((ok(await fx.call('bundles.list', {})) as BundleView[]).map((x) => [x.sku, x.components.map((c) => `${c.sku}×${c.quantity}`)])).toEqual([['GIFT-BOX', ['SOCK-01×2']]]);
    expect(ok(await fx.call('bundles.remove', { sku: 'GIFT-BOX' }))).toEqual({ removed: 1 });
    expect(ok(await fx.call('bundles.list', {}))).toEqual([]);
    expect((await fx.call('bundles.remove', { sku: 'GIFT-BOX' })).ok).toBe(false);
  });

  it('refuses itself, a component twice, a missing SKU, a bundle inside a bundle, and a component becoming a bundle', async () => {
    const fx = (f = openFixture());
    ok(await fx.call('skus.add', { code: 'BOX-A', title: '礼盒A' }));
    ok(await fx.call('skus.add', { code: 'BOX-B', title: '礼盒B' }));
    expect(await refused(fx, { sku: 'BOX-A', components: [{ sku: 'BOX-A', quantity: 1 }] })).toBe('bundle.contains_itself');
    expect(await refused(fx, { sku: 'BOX-A', components: [{ sku: 'SOCK-01', quantity: 1 }, { sku: 'SOCK-01', quantity: 2 }] })).toBe('bundle.component_twice');
    expect(await refused(fx, { sku: 'BOX-A', components: [{ sku: 'NOPE', quantity: 1 }] })).toBe('sku.not_found');
    expect(await refused(fx, { sku: 'BOX-A', components: [{ sku: 'SOCK-01', quantity: 2 }] })).toBe('ok');
    expect(await refused(fx, { sku: 'BOX-B', components: [{ sku: 'BOX-A', quantity: 1 }] })).toBe('bundle.nested');
    expect(await refused(fx, { sku: 'SOCK-01', components: [{ sku: 'NZ-2301-BK-M', quantity: 1 }] })).toBe('bundle.nested');
    expect(await refused(fx, { sku: 'BOX-B', components: [{ sku: 'SOCK-01', quantity: 0 }] })).toBe(undefined); // validation: quantity ≥ 1
    expect(fx.db.$client.prepare('SELECT bundle_sku_id AS b, component_sku_id AS c, quantity AS q FROM bundle_components').all()).toHaveLength(1);
  });
});
