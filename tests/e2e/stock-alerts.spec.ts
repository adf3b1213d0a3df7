// Stock alerts and restock suggestions end to end in the web host: alerts raised by 立即检查 appear
// in the list with their words and in the header's count, a muted SKU stays listed but is not
// notified, the browser's notifications are turned on by a click (permission granted to the page)
// and show each new alert once, and the restock view lists what to order and exports an .xlsx that
// reads back.
import ExcelJS from 'exceljs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { call, fitsWidth, warehouse } from './stock-helpers.ts';

test.use({ demoOrders: 120, openPage: false });

interface Shown {
  title: string;
  body: string;
}

test('alert list, mute, browser notifications once, header count, restock export', async ({ page, app, context }) => {
  // Every notification the page makes is recorded; permission still comes from the browser.
  await page.addInitScript(() => {
    const Real = window.Notification;
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { __shown: typeof shown }).__shown = shown;
    class Recorded {
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body ?? '' });
      }
      close() {}
      static get permission() {
        return Real.permission;
      }
      static requestPermission() {
        return Real.requestPermission();
      }
    }
    (window as unknown as { Notification: unknown }).Notification = Recorded;
  });
  const shown = () => page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);

  // The demo team's own alerts were shown by another face already: only this test's are new.
  await call(app, 'alerts.evaluate', {});
  await call(app, 'alerts.claimNotifications', {});

  await warehouse(app, 'E2E-AL', '预警测试仓');
  await call(app, 'skus.add', { code: 'E2E-AL-1', title: '预警测试杯', spec: '白色', lowStockThreshold: 5, safetyStock: 1 });
  await call(app, 'skus.add', { code: 'E2E-AL-2', title: '预警测试杯', spec: '黑色', lowStockThreshold: 5 });
  await call(app, 'skus.add', { code: 'E2E-AL-3', title: '预警测试杯', spec: '红色', lowStockThreshold: 5 });
  await call(app, 'stock.receive', { sku: 'E2E-AL-1', warehouse: 'E2E-AL', quantity: 3 });
  await call(app, 'stock.receive', { sku: 'E2E-AL-2', warehouse: 'E2E-AL', quantity: 1 });

  await page.goto(app.url);
  await page.getByTestId('nav-stock').click();
  await page.getByTestId('stock-tab-alerts').click();
  await expect(page).toHaveURL(/#stock\/alerts$/);
  await page.getByTestId('alerts-evaluate').click();

  const row = (sku: string) => page.locator(`[data-testid=alert-row][data-sku="${sku}"]`);
  await expect(row('E2E-AL-1')).toBeVisible();
  await expect(row('E2E-AL-1').getByTestId('alert-why')).toHaveText('可用 2，不高于预警库存 5');
  await expect(row('E2E-AL-1')).toContainText('3 / 0 / 2');
  await expect(row('E2E-AL-2')).toHaveAttribute('data-kind', 'low');
  await expect(row('E2E-AL-3')).toHaveCount(0); // never stocked: not managed, no alert
  const counts = await call<{ low: number; total: number }>(app, 'alerts.counts', {});
  await expect(page.getByTestId('alerts-count-low')).toHaveText(String(counts.low));
  await expect(page.getByTestId('stock-alert-count')).toHaveText(counts.total > 99 ? '99+' : String(counts.total));
  await fitsWidth(page);

  // Filter by kind: the low alerts are not out-of-stock ones.
  await page.getByTestId('alerts-kind-out').click();
  await expect(row('E2E-AL-1')).toHaveCount(0);
  await page.getByTestId('alerts-kind-all').click();

  // Mute one SKU: still listed, marked muted.
  await row('E2E-AL-2').getByTestId('alert-mute').click();
  await expect(row('E2E-AL-2').getByTestId('alert-unmute')).toBeVisible();

  // Nothing was shown while the page had no permission; a click asks, and the new unmuted alert shows once.
  expect(await shown()).toEqual([]);
  await context.grantPermissions(['notifications'], { origin: app.origin });
  await page.getByTestId('alerts-notify').click();
  await expect.poll(shown).toEqual([{ title: '库存偏低 · E2E-AL-1', body: '预警测试杯 — 可用 2，不高于预警库存 5' }]);
  await expect(page.getByTestId('alerts-notify')).toHaveCount(0);

  // A new alert raised while the page is open is shown as it happens; nothing earlier repeats.
  await call(app, 'stock.receive', { sku: 'E2E-AL-3', warehouse: 'E2E-AL', quantity: 4 });
  await page.getByTestId('alerts-evaluate').click();
  await expect(row('E2E-AL-3')).toBeVisible();
  await expect.poll(shown).toHaveLength(2);
  expect((await shown())[1]).toEqual({ title: '库存偏低 · E2E-AL-3', body: '预警测试杯 — 可用 4，不高于预警库存 5' });
  // The muted SKU was claimed but never shown.
  expect((await shown()).some((s) => s.title.includes('E2E-AL-2'))).toBe(false);

  // Clearing: enough stock for E2E-AL-1 takes its alert out of the open list.
  await call(app, 'stock.receive', { sku: 'E2E-AL-1', warehouse: 'E2E-AL', quantity: 50 });
  await page.getByTestId('alerts-evaluate').click();
  await expect(row('E2E-AL-1')).toHaveCount(0);
  await page.getByTestId('alerts-include-cleared').check();
  await expect(row('E2E-AL-1')).toContainText('已解除');

  // Restock: safety 1 for E2E-AL-2 (no sales) with 1 on hand → nothing; E2E-AL-2 at safety 6 → 5.
  await call(app, 'skus.update', { code: 'E2E-AL-2', patch: { safetyStock: 6 } });
  await page.getByTestId('stock-tab-restock').click();
  await expect(page).toHaveURL(/#stock\/restock$/);
  await page.getByTestId('restock-days').selectOption('7');
  const restockRow = page.locator('[data-testid=restock-row][data-sku="E2E-AL-2"]');
  await expect(restockRow.getByTestId('restock-suggest')).toHaveText('5');
  await expect(page.locator('[data-testid=restock-row][data-sku="E2E-AL-1"]')).toHaveCount(0);
  // 到货周期 is edited in the row (Enter saves it).
  await restockRow.getByTestId('restock-lead').fill('12');
  await restockRow.getByTestId('restock-lead').press('Enter');
  await expect
    .poll(async () => (await call<{ rows: { sku: string; leadTimeDays: number }[] }>(app, 'stock.restock', { days: 7, limit: 5000 })).rows.find((r) => r.sku === 'E2E-AL-2')?.leadTimeDays)
    .toBe(12);
  await expect(restockRow.getByTestId('restock-lead')).toHaveValue('12');
  await fitsWidth(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('restock-export-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/^restock-7d-\d{8}\.xlsx$/);
  const file = path.join(app.dataDir, download.suggestedFilename());
  await download.saveAs(file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.getWorksheet('补货建议')!;
  const rows = sheet.getSheetValues().slice(2) as unknown[][];
  const mine = rows.find((r) => r[1] === 'E2E-AL-2');
  // Empty cells (no days of cover, no cost price) read back as nothing.
  expect(Array.from({ length: 13 }, (_, i) => mine?.[i + 1] ?? null)).toEqual(['E2E-AL-2', '预警测试杯', '黑色', 0, 12, 6, 1, 0, -5, null, 5, null, null]);
  const api = await call<{ total: number }>(app, 'stock.restock', { days: 7 });
  expect(rows.length).toBe(api.total);
  expect(app.pageErrors).toEqual([]);
});
