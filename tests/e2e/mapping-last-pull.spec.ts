// 商品对应 shows when each active shop's listing was last pulled whole (by hand or by the background
// schedule): the pull button's tooltip names every shop with its time, or says it was never pulled,
// and a pull shows there without a reload.
import { expect, test } from './fixtures.ts';
import { call } from './stock-helpers.ts';

test.use({ demoOrders: 20 });

test('the pull button says when each shop was last pulled', async ({ page, app }) => {
  const shops = (await call<{ id: string; name: string; state: string }[]>(app, 'shops.list', {})).filter((s) => s.state === 'active');
  expect(shops.length).toBeGreaterThan(0);
  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-mapping').click();
  const button = page.getByTestId('mapping-pull');
  await expect(button).toHaveAttribute('title', /各店铺上次完整拉取/);
  for (const s of shops) await expect(button).toHaveAttribute('title', new RegExp(`${s.name}：`));

  // A pull (here through the API, as the schedule does) shows on the button without a reload.
  await call(app, 'mapping.pull', {});
  const after = await call<{ lastPulls: { shopId: string; at: number }[] }>(app, 'mapping.list', { limit: 1 });
  const pulled = shops.filter((s) => after.lastPulls.some((p) => p.shopId === s.id));
  expect(pulled.length).toBeGreaterThan(0);
  for (const s of pulled) await expect(button).not.toHaveAttribute('title', new RegExp(`${s.name}：从未拉取`));
});
