// Receiving (入库) and counting (盘点) with a barcode scanner end to end: a "scanner" types barcodes
// and a 商家编码 with Enter into the scan box; each scan adds one to its SKU's line (any of its
// barcodes counts), an unknown code is listed in red rather than dropped, a quantity can be typed,
// and submitting writes one movement per line — once, however often the button is pressed. The
// count records the counted figure and the ledger the difference, shown as before/after; the 库存
// list then shows the new figures.
import { expect, test } from './fixtures.ts';
import { scan } from './scanner.ts';
import { call, fitsWidth, ledger, warehouse } from './stock-helpers.ts';

test.use({ demoOrders: 60 });

test('receive by scanner, count by scanner, and the list shows the new figures', async ({ page, app }) => {
  await warehouse(app, 'E2E-RCV', '收货测试仓');
  await call(app, 'skus.add', { code: 'E2E-MUG', title: '扫码测试杯', spec: '蓝色', barcodes: ['6971111111115', '6971111111122'] });
  await call(app, 'skus.add', { code: 'E2E-LID', title: '扫码测试杯盖', spec: '通用', barcodes: ['6972222222221'] });

  // ── 入库 ──
  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-receive').click();
  await expect(page).toHaveURL(/#stock\/receive$/);
  const view = page.getByTestId('receive-view');
  await view.getByTestId('sheet-warehouse').selectOption('E2E-RCV');
  await view.getByTestId('sheet-reference').fill('DN-778');
  await view.getByTestId('sheet-scan').focus();
  await scan(page, '6971111111115');
  await scan(page, '6971111111115');
  await scan(page, '6971111111122'); // the SKU's second barcode
  await scan(page, 'E2E-MUG'); // its 商家编码
  await scan(page, '6972222222221');
  await scan(page, '0000000BAD');
  const mug = view.locator('[data-testid=sheet-line][data-sku="E2E-MUG"]');
  const lid = view.locator('[data-testid=sheet-line][data-sku="E2E-LID"]');
  await expect(mug).toHaveAttribute('data-quantity', '4');
  await expect(lid).toHaveAttribute('data-quantity', '1');
  await expect(view.locator('[data-testid=unknown-code][data-code="0000000BAD"]')).toBeVisible();
  await expect(page.getByTestId('sheet-flash')).toHaveAttribute('data-tone', 'error');
  // The scan box kept the focus through every scan.
  await expect(view.getByTestId('sheet-scan')).toBeFocused();
  await fitsWidth(page);
  // Typed quantity: two more lids arrived in a box without labels.
  await lid.getByTestId('line-quantity').fill('3');
  await expect(lid).toHaveAttribute('data-quantity', '3');

  // A double press submits once.
  await view.getByTestId('sheet-submit').dblclick();
  await expect(mug).toHaveAttribute('data-done', 'yes');
  await expect(lid).toHaveAttribute('data-done', 'yes');
  await expect(mug.getByTestId('line-before')).toHaveText('0');
  await expect(mug.getByTestId('line-after')).toHaveText('4');
  await expect(lid.getByTestId('line-after')).toHaveText('3');
  await expect(view.getByTestId('sheet-submit')).toBeDisabled();
  // The unknown code stays listed after the submit: nothing scanned disappears unseen.
  await expect(view.locator('[data-testid=unknown-code][data-code="0000000BAD"]')).toBeVisible();
  expect((await ledger(app, 'E2E-MUG')).map((r) => [r.reason, r.delta, r.reference])).toEqual([['receive', 4, 'DN-778']]);
  expect((await ledger(app, 'E2E-LID')).map((r) => [r.reason, r.delta, r.reference])).toEqual([['receive', 3, 'DN-778']]);
  // A recorded line is locked: a further scan does not change it.
  await view.getByTestId('sheet-scan').focus();
  await scan(page, '6971111111115');
  await expect(mug).toHaveAttribute('data-quantity', '4');

  // ── 盘点 ── the shelf holds 2 mugs and 3 lids: scan what is there.
  await page.getByTestId('stock-tab-count').click();
  await expect(page).toHaveURL(/#stock\/count$/);
  const count = page.getByTestId('count-view');
  await count.getByTestId('sheet-warehouse').selectOption('E2E-RCV');
  // The focus is somewhere else (a click on the page): the scanner's keys still reach the scan box.
  await count.getByTestId('sheet-total').click();
  await expect(count.getByTestId('sheet-scan')).not.toBeFocused();
  await scan(page, '6971111111122');
  await scan(page, '6971111111115');
  await scan(page, '6972222222221');
  const cMug = count.locator('[data-testid=sheet-line][data-sku="E2E-MUG"]');
  const cLid = count.locator('[data-testid=sheet-line][data-sku="E2E-LID"]');
  await expect(cMug).toHaveAttribute('data-quantity', '2');
  await expect(cLid).toHaveAttribute('data-quantity', '1');
  await cLid.getByTestId('line-quantity').fill('3');
  await count.getByTestId('sheet-submit').click();
  await expect(cMug).toHaveAttribute('data-done', 'yes');
  await expect(cMug.getByTestId('line-before')).toHaveText('4');
  await expect(cMug.getByTestId('line-after')).toHaveText('2');
  await expect(cMug.getByTestId('line-done')).toContainText('-2');
  // The lids agreed with the ledger: nothing written, before = after.
  await expect(cLid.getByTestId('line-before')).toHaveText('3');
  await expect(cLid.getByTestId('line-after')).toHaveText('3');
  expect((await ledger(app, 'E2E-MUG')).map((r) => [r.reason, r.delta, r.balance])).toEqual([
    ['count', -2, 2],
    ['receive', 4, 4],
  ]);
  expect((await ledger(app, 'E2E-LID')).map((r) => r.reason)).toEqual(['receive']);

  // The 库存 list shows the new figures.
  await page.getByTestId('stock-tab-list').click();
  await page.getByTestId('stock-search').fill('E2E-');
  const row = page.locator('[data-testid=stock-row][data-sku="E2E-MUG"][data-warehouse="E2E-RCV"]');
  await expect(row.locator('.cell-onHand')).toHaveText('2');
  await expect(page.locator('[data-testid=stock-row][data-sku="E2E-LID"][data-warehouse="E2E-RCV"] .cell-onHand')).toHaveText('3');

  // The sheets survived the tab switches; a new receiving sheet starts empty.
  await page.getByTestId('stock-tab-receive').click();
  await expect(view.locator('[data-testid=sheet-line]')).toHaveCount(2);
  await view.getByTestId('sheet-new').click();
  await expect(view.locator('[data-testid=sheet-line]')).toHaveCount(0);
  expect(app.pageErrors).toEqual([]);
});
