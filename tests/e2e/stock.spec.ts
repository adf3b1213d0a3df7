// The 库存 page end to end on the demo team: the list with its filters and search (one row per SKU
// and warehouse, on hand / reserved / available), a SKU's detail with its ledger timeline where a
// mistaken movement is corrected (a reversing row, never an edit), the detail surviving a reload
// through the URL hash, and a warehouse added with its provinces and priority.
import { expect, test } from './fixtures.ts';
import { call, fitsWidth, ledger, warehouse } from './stock-helpers.ts';

test.use({ demoOrders: 120 });

test('stock list filters and search, SKU detail timeline with a correction', async ({ page, app }) => {
  await warehouse(app, 'E2E-A', '测试一号仓');
  await warehouse(app, 'E2E-B', '测试二号仓');
  await call(app, 'skus.add', { code: 'E2E-CUP-1', title: '测试马克杯', spec: '白色', barcodes: ['6970000000011'], safetyStock: 2, lowStockThreshold: 5 });
  await call(app, 'skus.add', { code: 'E2E-CUP-2', title: '测试马克杯', spec: '黑色', barcodes: ['6970000000028'] });
  await call(app, 'stock.receive', { sku: 'E2E-CUP-1', warehouse: 'E2E-A', quantity: 20, reference: 'PO-1' });
  await call(app, 'stock.adjust', { sku: 'E2E-CUP-1', warehouse: 'E2E-A', delta: -3, reason: '破损' });

  await page.getByTestId('nav-stock').click();
  await expect(page).toHaveURL(/#stock\/list$/);
  await expect(page.getByTestId('stock-row').first()).toBeVisible();
  await fitsWidth(page);
  // The last column's header is on screen: the columns fit the window.
  const marks = await page.getByRole('columnheader').last().boundingBox();
  expect(marks!.x + marks!.width).toBeLessThanOrEqual(page.viewportSize()!.width);

  // Search by title fragment: both SKUs, one row per warehouse.
  await page.getByTestId('stock-search').fill('测试马克杯');
  const rows = page.getByTestId('stock-row');
  const warehouses = await call<unknown[]>(app, 'warehouses.list', {});
  await expect(rows).toHaveCount(2 * warehouses.length);
  const a = page.locator('[data-testid=stock-row][data-sku="E2E-CUP-1"][data-warehouse="E2E-A"]');
  await expect(a.locator('.cell-onHand')).toHaveText('17');
  // The warehouse's free units; the SKU's safety stock of 2 comes off its total (SKU detail) once.
  await expect(a.locator('.cell-available')).toHaveText('17');
  await expect(a.getByTestId('stock-mark-unmapped')).toBeVisible();
  // A barcode finds its SKU exactly.
  await page.getByTestId('stock-search').fill('6970000000028');
  await expect(rows).toHaveCount(warehouses.length);
  await expect(rows.first()).toHaveAttribute('data-sku', 'E2E-CUP-2');

  // Warehouse + out of stock: the empty SKU is out there, the stocked one is not.
  await page.getByTestId('stock-search').fill('E2E-CUP');
  await page.getByTestId('stock-filter-warehouse').selectOption('E2E-A');
  await expect(rows).toHaveCount(2);
  await page.getByTestId('stock-filter-out').check();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sku', 'E2E-CUP-2');
  await expect(rows.first().getByTestId('stock-mark-out')).toBeVisible();
  await page.getByTestId('stock-filter-out').uncheck();
  // Low: 17 less 2 safety is above the threshold of 5; the empty SKU (threshold 0, nothing available) is low.
  await page.getByTestId('stock-filter-low').check();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sku', 'E2E-CUP-2');
  await page.getByTestId('stock-filter-low').uncheck();
  await expect(rows).toHaveCount(2);

  // The SKU's detail: fields, figures per warehouse, the ledger newest first with running balances.
  await a.getByTestId('stock-sku-link').click();
  await expect(page).toHaveURL(/#stock\/sku\/E2E-CUP-1$/);
  const detail = page.getByTestId('sku-detail');
  await expect(detail.getByTestId('sku-barcodes')).toHaveText('6970000000011');
  await expect(detail.locator('[data-testid=sku-figure-row][data-warehouse="E2E-A"] [data-testid=sku-on-hand]')).toHaveText('17');
  const ledgerRows = detail.getByTestId('ledger-row');
  await expect(ledgerRows).toHaveCount(2);
  await expect(ledgerRows.nth(0)).toHaveAttribute('data-reason', 'adjust');
  await expect(ledgerRows.nth(0)).toHaveAttribute('data-balance', '17');
  await expect(ledgerRows.nth(1)).toHaveAttribute('data-reason', 'receive');
  await expect(ledgerRows.nth(1)).toHaveAttribute('data-balance', '20');
  await fitsWidth(page);

  // Correct the adjustment: a reversing row appears on top and the adjustment links to it.
  await ledgerRows.nth(0).getByTestId('ledger-correct').click();
  const dialog = page.getByTestId('correct-dialog');
  await expect(dialog.getByTestId('dialog-confirm')).toBeDisabled();
  await dialog.getByTestId('correct-reason').fill('破损登记错了');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(ledgerRows).toHaveCount(3);
  await expect(ledgerRows.nth(0)).toHaveAttribute('data-reason', 'correction');
  await expect(ledgerRows.nth(0)).toHaveAttribute('data-delta', '3');
  await expect(ledgerRows.nth(0)).toHaveAttribute('data-balance', '20');
  await expect(ledgerRows.nth(0).getByTestId('ledger-corrects')).toBeVisible();
  await expect(ledgerRows.nth(1).getByTestId('ledger-corrected-by')).toBeVisible();
  await expect(ledgerRows.nth(1).getByTestId('ledger-correct')).toHaveCount(0);
  const rowsInCore = await ledger(app, 'E2E-CUP-1');
  expect(rowsInCore.map((r) => [r.reason, r.delta, r.balance])).toEqual([
    ['correction', 3, 20],
    ['adjust', -3, 17],
    ['receive', 20, 20],
  ]);

  // The detail is in the URL: a reload lands on it.
  await page.reload();
  await expect(page.getByTestId('sku-detail')).toHaveAttribute('data-sku', 'E2E-CUP-1');
  await expect(page.getByTestId('ledger-row')).toHaveCount(3);
  await page.getByTestId('sku-back').click();
  await expect(page).toHaveURL(/#stock\/list$/);
  expect(app.pageErrors).toEqual([]);
});

test('warehouses: add one with provinces and priority, then edit it', async ({ page, app }) => {
  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-warehouses').click();
  await expect(page).toHaveURL(/#stock\/warehouses$/);
  await page.getByTestId('warehouse-add').click();
  const dialog = page.getByTestId('warehouse-dialog');
  await dialog.getByTestId('input-wh-code').fill('E2E-HZ');
  await dialog.getByTestId('input-wh-name').fill('杭州测试仓');
  await dialog.getByTestId('input-wh-address').fill('浙江省杭州市余杭区');
  await dialog.getByTestId('input-wh-priority').fill('5');
  await dialog.locator('[data-testid=region-chip][data-region="浙江"]').click();
  await dialog.locator('[data-testid=region-chip][data-region="江苏"]').click();
  await expect(dialog.locator('[data-testid=region-chip][data-region="浙江"]')).toHaveAttribute('aria-pressed', 'true');
  await fitsWidth(page);
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog).toBeHidden();
  const row = page.locator('[data-testid=warehouse-row][data-code="E2E-HZ"]');
  await expect(row).toContainText('杭州测试仓');
  await expect(row).toContainText('浙江');
  await expect(row).toContainText('江苏');
  let saved = (await call<{ code: string; regions: string[]; priority: number }[]>(app, 'warehouses.list', {})).find((w) => w.code === 'E2E-HZ');
  expect(saved).toMatchObject({ regions: ['浙江', '江苏'], priority: 5 });

  // Edit: the code is fixed; a province comes off, the priority changes.
  await row.getByTestId('warehouse-edit').click();
  await expect(dialog.getByTestId('input-wh-code')).toBeDisabled();
  await dialog.locator('[data-testid=region-chip][data-region="江苏"]').click();
  await dialog.getByTestId('input-wh-priority').fill('7');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(row).not.toContainText('江苏');
  saved = (await call<{ code: string; regions: string[]; priority: number }[]>(app, 'warehouses.list', {})).find((w) => w.code === 'E2E-HZ');
  expect(saved).toMatchObject({ regions: ['浙江'], priority: 7 });

  // A code that is taken is refused in words, and the dialog stays open.
  await page.getByTestId('warehouse-add').click();
  await dialog.getByTestId('input-wh-code').fill('E2E-HZ');
  await dialog.getByTestId('input-wh-name').fill('重复');
  await dialog.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('toast').first()).toBeVisible();
  await expect(dialog).toBeVisible();
  expect(app.pageErrors.filter((e) => !e.includes('409') && !e.includes('Conflict'))).toEqual([]);
});

test('SKU catalogue from the page: the template downloads, a file with a bad row imports nothing, the fixed file imports', async ({ page, app }) => {
  await page.getByTestId('nav-stock').click();
  await expect(page.getByTestId('stock-list')).toBeVisible();

  // The template: the import's headers and one example row, a CSV Excel opens (UTF-8 with a BOM).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sku-template').click()]);
  expect(download.suggestedFilename()).toBe('sku-template.csv');
  const template = await download.createReadStream().then(async (s) => {
    const parts: Buffer[] = [];
    for await (const c of s) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  });
  const head = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
  expect(head).toContain('商家编码');
  expect(head).toContain('预警库存');

  // A file with a bad row (a cost that is not a number): checked, refused, and nothing written.
  const bad = `${head}\r\nE2E-IMP-1,导入测试毛巾,白色,6973333333331,12.50,200,B-01,2,5\r\nE2E-IMP-2,导入测试毛巾,灰色,,十二元,,,,\r\n`;
  await page.getByTestId('sku-import').click();
  const dialog = page.getByTestId('sku-import-dialog');
  await dialog.getByTestId('input-sku-file').setInputFiles({ name: '商品.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${bad}`, 'utf8') });
  await dialog.getByTestId('dialog-confirm').click();
  const refused = dialog.locator('[data-testid=sku-import-bad]');
  await expect(refused).toHaveCount(1);
  await expect(refused.first()).toHaveAttribute('data-line', '3');
  await expect(refused.first()).toHaveAttribute('data-field', 'costYuan');
  await expect(dialog.getByTestId('dialog-confirm')).toBeDisabled();
  expect(await call<unknown[]>(app, 'skus.list', { q: 'E2E-IMP' })).toEqual([]);

  // The fixed file: the dry run previews two additions, then the import writes them.
  const good = bad.replace('十二元', '12');
  await dialog.getByTestId('input-sku-file').setInputFiles({ name: '商品.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${good}`, 'utf8') });
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog.getByTestId('sku-import-preview')).toBeVisible();
  await expect(dialog.locator('[data-testid=sku-import-change][data-action=add]')).toHaveCount(2);
  expect(await call<unknown[]>(app, 'skus.list', { q: 'E2E-IMP' })).toEqual([]);
  await dialog.getByTestId('dialog-confirm').click();
  await expect(dialog).toBeHidden();
  const imported = await call<{ code: string; barcodes: string[]; costFen: number | null }[]>(app, 'skus.list', { q: 'E2E-IMP' });
  expect(imported.map((s) => [s.code, s.barcodes, s.costFen])).toEqual([
    ['E2E-IMP-1', ['6973333333331'], 1250],
    ['E2E-IMP-2', [], 1200],
  ]);
  await page.getByTestId('stock-search').fill('E2E-IMP');
  await expect(page.locator('[data-testid=stock-row][data-sku="E2E-IMP-1"]').first()).toBeVisible();

  // The export is the catalogue in the same columns.
  const [exported] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sku-export').click()]);
  expect(exported.suggestedFilename()).toMatch(/^skus-\d{8}\.csv$/);
  expect(app.pageErrors).toEqual([]);
});

test('the stock list loads page after page as it scrolls, every row once', async ({ page, app }) => {
  const all = await call<{ sku: string; warehouse: string }[]>(app, 'stock.list', { limit: 1_000_000 });
  // More rows than one page of 200, so scrolling must fetch the pages after it.
  expect(all.length).toBeGreaterThan(200);
  await page.getByTestId('nav-stock').click();
  const table = page.getByTestId('stock-table');
  await expect(page.getByTestId('stock-row').first()).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', '200');
  for (let i = 0; i < 50; i++) {
    const loaded = Number(await table.getAttribute('aria-rowcount'));
    if (loaded === all.length && (await page.getByTestId('stock-count').textContent())?.includes(String(all.length))) break;
    await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await page.waitForTimeout(150);
  }
  await expect(table).toHaveAttribute('aria-rowcount', String(all.length));
  // The last row of the list is the last row the core has: nothing skipped, nothing twice.
  await table.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const last = all[all.length - 1]!;
  await expect(page.locator(`[data-testid=stock-row][data-sku="${last.sku}"][data-warehouse="${last.warehouse}"]`)).toBeVisible();
  await expect(page.getByTestId('stock-count')).toHaveText(new RegExp(`${all.length}`));
  expect(app.pageErrors).toEqual([]);
});
