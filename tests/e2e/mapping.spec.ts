// 商品对应 end to end on the demo team: the shops' listings pulled, unmapped rows first; one platform
// SKU found by search, mapped to a SKU through the picker and unmapped again; a mapping file refused
// whole for a bad row with its line and why, then imported once fixed; a bundle set from the view;
// a pull from the page reporting each shop. Both screen sizes (the playwright projects).
import { expect, test } from './fixtures.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';
import { call, fitsWidth } from './stock-helpers.ts';

test.use({ demoOrders: 120 });

interface Row {
  shopId: string;
  shopName: string;
  platformProductId: string;
  platformSkuId: string;
  sku: string | null;
  matchedBy: string | null;
}

test('商品对应: unmapped first, map by hand and by file, bundles, pull', async ({ page, app }) => {
  await call(app, 'mapping.pull', {});
  await call(app, 'skus.add', { code: 'E2E-MAP-1', title: '测试映射商品', spec: '红色' });
  await call(app, 'skus.add', { code: 'E2E-MAP-BOX', title: '测试映射礼盒' });
  const listed = await call<{ rows: Row[]; total: number }>(app, 'mapping.list', { limit: 2000 });
  expect(listed.total).toBeGreaterThan(2);
  // The demo comes mapped; two of its rows are unmapped here so the view has something to do.
  const [target, other] = listed.rows.filter((r) => r.platformSkuId !== '').slice(-2) as [Row, Row];
  await call(app, 'mapping.set', { rows: [target, other].map(({ shopId, platformProductId, platformSkuId }) => ({ shopId, platformProductId, platformSkuId })), sku: null });

  // A product the last pull of the target's shop could not read, as the pull keeps it.
  const db = testDbOf(app.core);
  const record = JSON.parse((db.$client.prepare('SELECT value FROM meta WHERE key = ?').get(`stock.mapping.pull.${target.shopId}`) as { value: string }).value) as Record<string, unknown>;
  db.$client
    .prepare('UPDATE meta SET value = ? WHERE key = ?')
    .run(JSON.stringify({ ...record, quarantinedCount: 1, quarantined: [{ platformProductId: '999', reason: 'sku_list[0].sku_id: expected a number', raw: '{}' }] }), `stock.mapping.pull.${target.shopId}`);

  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-mapping').click();
  await expect(page).toHaveURL(/#stock\/mapping$/);
  const view = page.getByTestId('mapping-view');
  const rows = view.getByTestId('mapping-row');
  await expect(rows.first()).toBeVisible();
  await fitsWidth(page);
  const header = await view.getByRole('columnheader').last().boundingBox();
  expect(header!.x + header!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  // Unmapped first.
  await expect(rows.first()).toHaveAttribute('data-sku', '');
  // What the pull could not read is not lost: a mark, and the products with why.
  await view.getByTestId('mapping-quarantined').click();
  await expect(page.getByTestId('mapping-quarantined-item')).toHaveText(/999.*sku_list\[0\]\.sku_id/);
  await page.keyboard.press('Escape');
  await expect(view.getByTestId('mapping-counts')).toHaveAttribute('data-total', String(listed.total));
  const unmapped = Number(await view.getByTestId('mapping-counts').getAttribute('data-unmapped'));
  expect(unmapped).toBeGreaterThanOrEqual(2);
  await view.getByTestId('mapping-filter-unmapped').check();
  await expect(view.getByTestId('mapping-counts')).toHaveAttribute('data-total', String(unmapped));
  for (const sku of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-sku')))) expect(sku).toBe('');
  await view.getByTestId('mapping-filter-unmapped').uncheck();

  // Find the target by its shop and platform SKU id, map it to the new SKU through the picker.
  await view.getByTestId('mapping-filter-shop').selectOption(target.shopId);
  await view.getByTestId('mapping-search').fill(target.platformSkuId);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sku', '');
  await rows.first().getByTestId('mapping-pick').check();
  await view.getByTestId('mapping-map-selected').click();
  const picker = page.getByTestId('mapping-picker');
  await expect(picker.getByTestId('dialog-confirm')).toBeDisabled();
  await picker.getByTestId('mapping-picker-search').fill('E2E-MAP-1');
  await picker.locator('[data-testid=mapping-picker-option][data-code="E2E-MAP-1"]').click();
  await picker.getByTestId('dialog-confirm').click();
  await expect(picker).toBeHidden();
  await expect(rows.first()).toHaveAttribute('data-sku', 'E2E-MAP-1');
  await expect(rows.first().locator('.cell-by')).toHaveText(/手工/);
  const mapped = await call<{ rows: Row[] }>(app, 'mapping.list', { shopId: target.shopId, q: target.platformSkuId });
  expect(mapped.rows[0]).toMatchObject({ sku: 'E2E-MAP-1', matchedBy: 'hand' });

  // Unmap it again from the selection bar.
  await rows.first().getByTestId('mapping-pick').check();
  await view.getByTestId('mapping-unmap-selected').click();
  await expect(rows.first()).toHaveAttribute('data-sku', '');

  // A file with a bad row is refused whole, with the row's line and why; fixed, it imports.
  await view.getByTestId('mapping-import').click();
  const importer = page.getByTestId('mapping-import-dialog');
  const head = '店铺,平台商品ID,平台SKU ID,商家编码';
  const good = `${target.shopName},${target.platformProductId},${target.platformSkuId},E2E-MAP-1`;
  const okLine = `${other.shopName},${other.platformProductId},${other.platformSkuId},E2E-MAP-1`;
  await importer.getByTestId('input-mapping-file').setInputFiles({ name: '对应表.csv', mimeType: 'text/csv', buffer: Buffer.from(`${head}\n${good}\n${other.shopName},,NO-SUCH-ID,E2E-MAP-1\n`) });
  await importer.getByTestId('dialog-confirm').click();
  await expect(importer.getByTestId('mapping-import-refused')).toBeVisible();
  const bad = importer.getByTestId('mapping-import-bad');
  await expect(bad).toHaveCount(1);
  await expect(bad).toHaveAttribute('data-line', '3');
  await expect(bad).toHaveAttribute('data-problem', 'not_listed');
  await expect(importer.getByTestId('dialog-confirm')).toBeDisabled();
  await importer.getByTestId('input-mapping-file').setInputFiles({ name: '对应表.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${head}\r\n${good}\r\n${okLine}\r\n`) });
  await importer.getByTestId('dialog-confirm').click();
  await expect(importer.getByTestId('mapping-import-preview')).toBeVisible();
  await importer.getByTestId('dialog-confirm').click();
  await expect(importer).toBeHidden();
  await expect(rows.first()).toHaveAttribute('data-sku', 'E2E-MAP-1');
  await expect(rows.first().locator('.cell-by')).toHaveText(/导入/);

  // Bundles: E2E-MAP-BOX is two of E2E-MAP-1.
  await view.getByTestId('mapping-bundles').click();
  const bundles = page.getByTestId('mapping-bundles-dialog');
  await bundles.getByTestId('mapping-bundle-sku').fill('E2E-MAP-BOX');
  await bundles.getByTestId('mapping-component-sku').first().fill('E2E-MAP-1');
  await bundles.getByTestId('mapping-component-qty').first().fill('2');
  await bundles.getByTestId('mapping-bundle-save').click();
  await expect(bundles.locator('[data-testid=mapping-bundle][data-sku="E2E-MAP-BOX"]')).toContainText('E2E-MAP-1 × 2');
  await fitsWidth(page);
  await page.keyboard.press('Escape');
  await expect(bundles).toBeHidden();

  // Pull now: one line per shop, none failed; the hand and file mappings stay.
  await view.getByTestId('mapping-search').fill('');
  await view.getByTestId('mapping-filter-shop').selectOption('');
  await view.getByTestId('mapping-pull').click();
  const result = page.getByTestId('mapping-pull-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  const shops = result.getByTestId('mapping-pull-shop');
  expect(await shops.count()).toBeGreaterThan(0);
  await expect(result.locator('[data-testid=mapping-pull-shop][data-error=yes]')).toHaveCount(0);
  await page.keyboard.press('Escape');
  // The new pull read everything: nothing quarantined any more.
  await expect(view.getByTestId('mapping-quarantined')).toHaveCount(0);
  const after = await call<{ rows: Row[] }>(app, 'mapping.list', { shopId: target.shopId, q: target.platformSkuId });
  expect(after.rows[0]).toMatchObject({ sku: 'E2E-MAP-1', matchedBy: 'import' });
  expect(app.pageErrors).toEqual([]);
});
