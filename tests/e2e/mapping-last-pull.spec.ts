// 商品对应 shows when each active shop's listing was last pulled whole (by hand or by the background
// schedule): the pull button's tooltip names every shop with its time, or says it was never pulled,
// and a pull shows there without a reload. A scheduled pull that fails is said above the table in
// words (what happened, what to do, when it is tried again) until a pull of that shop completes.
import { AppError } from '../../electron/shared/result.ts';
import type { PlatformAdapter, ShopRecord } from '../../electron/core/platforms/contract.ts';
import { adapterFor } from '../../electron/core/platforms/registry.ts';
import { MappingPullService } from '../../electron/core/stock/mapping-schedule.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';
import { expect, test } from './fixtures.ts';
import { call } from './stock-helpers.ts';

test.use({ demoOrders: 20 });

test('the pull button says when each shop was last pulled, and a failed scheduled pull is said in words until the shop pulls whole', async ({ page, app }) => {
  const shops = (await call<{ id: string; name: string; state: string }[]>(app, 'shops.list', {})).filter((s) => s.state === 'active');
  expect(shops.length).toBeGreaterThan(0);
  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-mapping').click();
  const button = page.getByTestId('mapping-pull');
  await expect(button).toHaveAttribute('title', /各店铺上次完整拉取/);
  for (const s of shops) await expect(button).toHaveAttribute('title', new RegExp(`${s.name}：`));
  await expect(page.getByTestId('mapping-pull-failed')).toHaveCount(0);

  // The background schedule over the station's database, a period later (the demo's listings were
  // pulled when it was made), while one shop's token has expired on the platform.
  const shop = shops[0]!;
  const later = Date.now() + 7 * 3_600_000;
  let expired = true;
  const service = new MappingPullService({
    db: testDbOf(app.core),
    events: app.core.events,
    now: () => later,
    adapterFor: (s: ShopRecord): PlatformAdapter => {
      const real = adapterFor(s, { now: Date.now });
      if (s.id !== shop.id || !expired) return real;
      return { ...real, listProducts: () => Promise.reject(new AppError('SHOP_AUTH_EXPIRED', 'access token expired')) } as PlatformAdapter;
    },
    log: () => {},
  });
  const ticked = await service.tick();
  expect(ticked.pulled.find((p) => p.shopId === shop.id)?.error).toMatch(/expired/);
  const failed = page.getByTestId('mapping-pull-failed-shop');
  await expect(failed).toHaveCount(ticked.pulled.filter((p) => p.error !== null).length);
  const line = failed.and(page.locator(`[data-shop="${shop.id}"]`));
  await expect(line).toHaveAttribute('data-kind', 'auth');
  await expect(line).toContainText(`${shop.name}：后台定时拉取于`);
  await expect(line).toContainText('授权已过期，请重新授权');
  await expect(line).toContainText('自动重试');

  // A pull (here through the API, as the schedule does) shows on the button without a reload; the
  // re-authorised shop pulls whole and its line goes.
  expired = false;
  await call(app, 'mapping.pull', {});
  const after = await call<{ lastPulls: { shopId: string; at: number }[] }>(app, 'mapping.list', { limit: 1 });
  const pulled = shops.filter((s) => after.lastPulls.some((p) => p.shopId === s.id));
  expect(pulled.map((s) => s.id)).toContain(shop.id);
  for (const s of pulled) await expect(button).not.toHaveAttribute('title', new RegExp(`${s.name}：从未拉取`));
  await expect(line).toHaveCount(0);
});
