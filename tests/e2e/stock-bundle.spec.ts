// A 组合装 in the 库存 list end to end: its rows carry the bundle badge and a dash (with the reason)
// instead of figures of its own, and the out-of-stock filter leaves it out while its component,
// with nothing in stock, stays in.
import { expect, test } from './fixtures.ts';
import { call, fitsWidth, warehouse } from './stock-helpers.ts';

test.use({ demoOrders: 20 });

test('a bundle is marked in the stock list and is never out of stock by itself', async ({ page, app }) => {
  await warehouse(app, 'E2E-A', '测试一号仓');
  await call(app, 'skus.add', { code: 'E2E-BOWL', title: '测试饭碗' });
  await call(app, 'skus.add', { code: 'E2E-BOWL-SET', title: '测试饭碗两只装' });
  await call(app, 'bundles.set', { sku: 'E2E-BOWL-SET', components: [{ sku: 'E2E-BOWL', quantity: 2 }] });

  await page.getByTestId('nav-stock').click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible();
  await page.getByTestId('stock-search').fill('E2E-BOWL');
  await page.getByTestId('stock-filter-warehouse').selectOption('E2E-A');
  const rows = page.getByTestId('stock-row');
  await expect(rows).toHaveCount(2);
  const set = page.locator('[data-testid=stock-row][data-sku="E2E-BOWL-SET"]');
  await expect(set.getByTestId('stock-mark-bundle')).toHaveText('组合装');
  await expect(set.getByTestId('stock-mark-bundle')).toHaveAttribute('title', /没有自己的库存/);
  await expect(set.getByTestId('stock-mark-out')).toHaveCount(0);
  await expect(set.locator('.cell-onHand')).toHaveText('—');
  await expect(set.locator('.cell-available')).toHaveText('—');
  const bowl = page.locator('[data-testid=stock-row][data-sku="E2E-BOWL"]');
  await expect(bowl.getByTestId('stock-mark-out')).toBeVisible();
  await fitsWidth(page);

  await page.getByTestId('stock-filter-out').check();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sku', 'E2E-BOWL');
});
