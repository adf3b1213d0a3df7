// 库存同步 end to end in the web host: the demo team's mapped SKUs are previewed and then pushed to its
// in-process shops (each row confirmed with its figure), an allocation rule is refused with the reason
// under its field, saved, listed, and the next push tells the shop its share.
import { expect, test } from './fixtures.ts';
import { call, fitsWidth } from './stock-helpers.ts';

test.use({ demoOrders: 120, openPage: false });

interface Figure {
  shopId: string;
  shopName: string;
  sku: string;
  quantity: number;
}

test('preview, push now, an allocation rule and the push it makes', async ({ page, app }) => {
  const dry = await call<{ figures: Figure[]; written: number }>(app, 'stock.push', { dryRun: true });
  test.skip(dry.figures.length === 0, 'the demo team has no mapped SKUs to push');

  await page.goto(app.url);
  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-pushes').click();
  await expect(page).toHaveURL(/#stock\/pushes$/);
  await expect(page.getByTestId('pushes-view')).toBeVisible();

  await page.getByTestId('pushes-preview').click();
  const preview = page.getByTestId('pushes-preview-dialog');
  await expect(preview.getByTestId('pushes-preview-summary')).toContainText(`共 ${dry.figures.length} 个平台 SKU`);
  await preview.getByRole('button', { name: '关闭' }).last().click();
  await expect(preview).toBeHidden();

  await page.getByTestId('pushes-push-now').click();
  const rows = page.getByTestId('push-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.locator('[data-testid=push-row][data-state=confirmed]').first()).toBeVisible();
  await expect(page.locator('[data-testid=push-row][data-state=failed]')).toHaveCount(0);
  // Virtualised: the grid knows every push listed, and only those on screen are drawn.
  const listed = await call<unknown[]>(app, 'stock.pushes', { limit: 5000 });
  await expect(page.getByTestId('pushes-table')).toHaveAttribute('aria-rowcount', String(listed.length));
  expect(listed.length).toBeGreaterThan(80);
  expect(await rows.count()).toBeLessThan(listed.length);

  // A rule the schema refuses says why under its field; then a valid one is saved and listed.
  const target = dry.figures.find((f) => f.quantity >= 2) ?? dry.figures[0]!;
  await page.getByTestId('allocation-add').click();
  const dialog = page.getByTestId('allocation-dialog');
  await dialog.getByTestId('input-alloc-shop').selectOption(target.shopId);
  await dialog.getByTestId('input-alloc-sku').fill(target.sku);
  await dialog.getByTestId('input-alloc-value').fill('150');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByTestId('field-error-value')).toBeVisible();
  await dialog.getByTestId('input-alloc-value').fill('50');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  const rule = page.locator(`[data-testid=allocation-row][data-shop="${target.shopId}"][data-sku="${target.sku}"]`);
  await expect(rule).toContainText('占 50%');

  await page.getByTestId('pushes-push-now').click();
  const half = Math.floor(target.quantity / 2);
  const pushed = page.locator(`[data-testid=push-row][data-sku="${target.sku}"]`).first();
  await expect(pushed.getByTestId('push-figure')).toContainText(String(half));
  const after = await call<{ figures: Figure[] }>(app, 'stock.push', { shopId: target.shopId, dryRun: true });
  expect(after.figures.find((f) => f.sku === target.sku)?.quantity).toBe(half);
  await fitsWidth(page);
  expect(app.pageErrors).toEqual([]);
});
