// The Shops page end to end, as an owner runs the shop group: every shop with its platform and last
// sync, sync one now (and see it in the sync log), pause and resume, change the interval, read and
// retry the quarantine, and add a shop whose bad gateway is refused under its own field.
import type { Page } from '@playwright/test';
import type { ShopOverview } from '../../electron/shared/contract.ts';
import { expect, test, type AppHandle } from './fixtures.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

test.use({ demoOrders: 200 });

async function overview(app: AppHandle): Promise<ShopOverview[]> {
  const res = await app.core.call('shops.overview', {});
  if (!res.ok) throw new Error(res.error.message);
  return res.value as ShopOverview[];
}

const shopRow = (page: Page, id: string) => page.locator(`[data-testid="shop-row"][data-shop-id="${id}"]`);

test('the Shops page: sync now, pause/resume, edit the interval, sync log, quarantine, add shop validation', async ({ page, app }) => {
  test.setTimeout(120_000);
  const shops = await overview(app);
  expect(shops.length).toBeGreaterThan(1);
  const first = shops[0]!;
  const second = shops[1]!;

  // A payload the platform sent that cannot be read: the demo's bulk history has none, so plant one
  // the way the sync engine stores it.
  testDbOf(app.core).$client
    .prepare(`INSERT INTO quarantine (id, shop_id, platform, platform_order_id, reason, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run('q-e2e-1', first.id, first.platform, 'T-BROKEN-1', 'unknown trade status "TRADE_STATUS_UNKNOWN"', JSON.stringify({ tid: 'T-BROKEN-1', status: 'TRADE_STATUS_UNKNOWN', payment: '12.00' }), Date.now() - 60_000);

  // ── Open the Shops page from the header: every shop with its platform and last sync. ──
  await page.getByTestId('nav-shops').click();
  await expect(page.getByTestId('shops-page')).toBeVisible();
  await expect(page.getByTestId('shop-row')).toHaveCount(shops.length);
  for (const s of shops) {
    const row = shopRow(page, s.id);
    await expect(row.getByTestId('shop-name')).toHaveText(s.name);
    await expect(row.getByTestId('shop-platform')).toHaveText(s.platform === 'sandbox' ? '沙箱' : /.+/);
    await expect(row.getByTestId('shop-state')).toHaveText('正常');
  }
  // The bulk demo's cursors are at "now", with no successful sync recorded yet.
  await expect(shopRow(page, first.id).getByTestId('shop-last-sync')).toHaveText('从未同步');
  await expect(shopRow(page, first.id).getByTestId('shop-quarantined')).toHaveText('1');

  // ── Sync one shop now: its last sync becomes "刚刚" and the run shows in the sync log. ──
  await shopRow(page, first.id).getByTestId('shop-sync-now').click();
  await expect(shopRow(page, first.id).getByTestId('shop-last-sync')).toHaveText(/刚刚|秒前/, { timeout: 30_000 });
  expect((await overview(app)).find((s) => s.id === first.id)!.lastSuccessAt).not.toBeNull();

  // ── Pause and resume the second shop (the core agrees). ──
  await shopRow(page, second.id).getByTestId('shop-pause').click();
  await expect(shopRow(page, second.id).getByTestId('shop-state')).toHaveText('已暂停');
  expect((await overview(app)).find((s) => s.id === second.id)!.state).toBe('paused');
  await expect(shopRow(page, second.id).getByTestId('shop-sync-now')).toBeDisabled();
  await shopRow(page, second.id).getByTestId('shop-resume').click();
  await expect(shopRow(page, second.id).getByTestId('shop-state')).toHaveText('正常');

  // ── Edit the interval: a bad value is refused under its field, a good one is saved. ──
  await shopRow(page, second.id).getByTestId('shop-edit').click();
  const edit = page.getByTestId('shop-edit-dialog');
  await edit.getByTestId('input-interval').fill('0');
  await edit.getByTestId('dialog-confirm').click();
  await expect(edit.getByTestId('field-error-syncIntervalMinutes')).toBeVisible();
  await edit.getByTestId('input-interval').fill('7');
  await edit.getByTestId('dialog-confirm').click();
  await expect(edit).toHaveCount(0);
  await expect(shopRow(page, second.id).getByTestId('shop-interval')).toContainText('每 7 分钟');
  expect((await overview(app)).find((s) => s.id === second.id)!.syncIntervalMs).toBe(7 * 60_000);

  // ── The sync log lists the manual run of the first shop. ──
  await page.getByTestId('shops-tab-log').click();
  const run = page.locator(`[data-testid="sync-run"][data-shop-id="${first.id}"]`).first();
  await expect(run).toBeVisible();
  await expect(run).toContainText('手动');
  await page.getByTestId('log-errors-only').check();
  await expect(page.locator('[data-testid="sync-run"][data-error="false"]')).toHaveCount(0);
  await page.getByTestId('log-errors-only').uncheck();
  // A run that kept orders with warnings (as the sync engine stores it): the count, then the messages.
  testDbOf(app.core).$client
    .prepare(`INSERT INTO sync_runs (id, shop_id, trigger, started_at, finished_at, pulled, changed, quarantined, warnings, warning_samples) VALUES (?, ?, 'schedule', ?, ?, 3, 3, 0, 3, ?)`)
    .run('zz-run-warned', second.id, Date.now() + 60_000, Date.now() + 61_000, JSON.stringify(['order 123: order_phase_list[0] has no recognisable fields, kept raw']));
  await page.getByTestId('shop-filter').selectOption(second.id);
  const warned = page.locator(`[data-testid="sync-run"][data-shop-id="${second.id}"]`).first().getByTestId('sync-run-warnings');
  await expect(warned).toContainText('3 单带警告保留');
  await warned.locator('summary').click();
  await expect(warned).toContainText('order 123: order_phase_list[0] has no recognisable fields, kept raw');
  await expect(warned).toContainText('另有 2 单未列出');

  // ── Quarantine: from the shop's count to its list; the payload is shown, a retry keeps it with its reason. ──
  await page.getByTestId('shops-tab-shops').click();
  await shopRow(page, first.id).getByTestId('shop-quarantined').click();
  await expect(page.getByTestId('shop-filter')).toHaveValue(first.id);
  const q = page.getByTestId('quarantine-row');
  await expect(q).toHaveCount(1);
  await expect(q).toContainText('T-BROKEN-1');
  await q.getByTestId('quarantine-toggle').click();
  await expect(q.getByTestId('quarantine-payload')).toContainText('TRADE_STATUS_UNKNOWN');
  await q.getByTestId('quarantine-retry').click();
  await expect(page.getByTestId('toast').filter({ hasText: '1 条仍无法解析' })).toBeVisible();
  await expect(q).toHaveCount(1);

  // ── Push-backs: the view opens with its state filter (none queued in this demo). ──
  await page.getByTestId('shops-tab-pushes').click();
  await expect(page.getByTestId('push-state-filter')).toHaveValue('pending');
  await expect(page.getByTestId('pushes-table')).toBeVisible();

  // ── Add a shop: a bad gateway is refused with the core's message under that field. ──
  await page.getByTestId('shops-tab-shops').click();
  await page.getByTestId('shop-add').click();
  const add = page.getByTestId('shop-add-dialog');
  await add.getByTestId('input-platform').selectOption('pdd');
  await add.getByTestId('input-name').fill('测试拼多多店');
  await add.getByTestId('input-appKey').fill('demo-app-key');
  await add.getByTestId('input-appSecret').fill('demo-app-secret');
  await add.getByTestId('input-accessToken').fill('demo-access-token');
  await add.getByTestId('input-gateway').fill('ftp://gw.example.com');
  await add.getByTestId('dialog-confirm').click();
  await expect(add.getByTestId('field-error-gateway')).toHaveText('gateway must be an http(s) URL');
  expect((await overview(app)).length).toBe(shops.length);
  await add.getByTestId('input-gateway').fill('http://127.0.0.1:9/api/router');
  await add.getByTestId('dialog-confirm').click();
  await expect(add).toHaveCount(0);
  await expect(page.getByTestId('shop-row')).toHaveCount(shops.length + 1);
  const added = (await overview(app)).find((s) => s.name === '测试拼多多店')!;
  expect(added).toMatchObject({ platform: 'pdd', appKey: 'demo-app-key', gateway: 'http://127.0.0.1:9/api/router', canAuthorize: true });
  await expect(shopRow(page, added.id).getByTestId('shop-platform')).toHaveText('拼多多');

  // ── The header indicator opens this page from the workbench. ──
  await page.getByTestId('nav-orders').click();
  await expect(page.getByTestId('shops-page')).toHaveCount(0);
  await page.getByTestId('sync-indicator-open').click();
  await expect(page.getByTestId('shops-page')).toBeVisible();

  // ── English second: the same page, translated. ──
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('shops-tab-log')).toHaveText('Sync log');
  await expect(shopRow(page, second.id).getByTestId('shop-interval')).toContainText('every 7 min');
  await expect(shopRow(page, first.id).getByTestId('shop-state')).toHaveText('OK');

  expect(app.pageErrors).toEqual([]);
});
