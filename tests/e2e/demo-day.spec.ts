// A packing day on a fresh demo station, as a newcomer walks it in Chromium: the demo team's first
// sync has left clean orders in 待打单 (自动审单, shown as 演示 in the station settings); three are
// selected and printed to the demo's folder printer, whose labels appear on screen; they ship, the
// counts move, and a simulated delivery later the buyers' receipts bring them to 已完成.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { createCore, type Core } from '../../electron/core/app.ts';
import { DEMO_DELIVERY_SCALE, DAY, MINUTE } from '../../electron/sandbox/demo/generator.ts';
import { startWebHost, type WebHost } from '../../electron/hosts/web/web-host.ts';
import { sandboxDemo } from '../../electron/sandbox/index.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

interface Station {
  core: Core;
  host: WebHost;
  dataDir: string;
  clock: { now: number };
  shopId: string;
}

let station: Station | null = null;

test.afterEach(async ({ page }) => {
  await page.close().catch(() => undefined);
  if (!station) return;
  await station.host.close();
  await station.core.close();
  fs.rmSync(station.dataDir, { recursive: true, force: true });
  station = null;
});

/**
 * A fresh demo station (the demo team on its loopback platform gateways, printing on) whose
 * simulated clock the test can move; one shop synced, as the scheduler's first round would.
 */
async function freshDemoStation(): Promise<Station> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-demo-day-'));
  const clock = { now: Date.now() };
  const core = await createCore({ dbFile: path.join(dataDir, 'shopfleet.db'), demo: true, demoProvider: sandboxDemo, sync: false, print: true, now: () => clock.now });
  const shop = testDbOf(core).$client.prepare("SELECT id FROM shops WHERE platform = 'kuaishou' ORDER BY created_at LIMIT 1").get() as { id: string };
  const synced = await core.scheduler.syncShop(shop.id);
  if (synced.error) throw new Error(`demo sync: ${synced.error}`);
  const host = await startWebHost({ core, port: 0, log: (line) => console.warn(`[demo-day] ${line}`) });
  return { core, host, dataDir, clock, shopId: shop.id };
}

const countOf = async (page: Page, queue: string): Promise<number> => Number(await page.getByTestId(`queue-count-${queue}`).innerText());

test('a fresh demo station walks a packing day: auto-reviewed orders printed to the demo printer, previewed, shipped, completed', async ({ page }) => {
  test.setTimeout(150_000);
  station = await freshDemoStation();
  const s = station;
  await page.goto(s.host.url);

  // ── 订单: 待打单 is not empty on a fresh demo station. ──
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('queue-tab-awaiting_print').click();
  await expect(page.getByTestId('order-row').first()).toBeVisible();
  const awaitingBefore = await countOf(page, 'awaiting_print');
  const printedBefore = await countOf(page, 'printed');
  const shippedBefore = await countOf(page, 'shipped');
  expect(awaitingBefore).toBeGreaterThan(10);
  expect(printedBefore).toBe(0);

  // ── Select three and print them to the demo printer (the only printer, so the default). ──
  const rows = page.getByTestId('order-row');
  const picked: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const row = rows.nth(i);
    picked.push((await row.getAttribute('data-order-id')) as string);
    await row.getByTestId('row-select').click();
  }
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '3');
  await page.getByTestId('batch-print').click();
  const dialog = page.getByTestId('print-dialog');
  await expect(dialog.getByTestId('precheck-ok')).toHaveAttribute('data-count', '3');
  await dialog.getByTestId('print-start').click();
  await expect(dialog.getByTestId('print-finished')).toHaveAttribute('data-printed', '3', { timeout: 30_000 });

  // ── The labels are on screen: three PNG labels from the folder, each with its waybill number. ──
  const preview = dialog.getByTestId('folder-output');
  await expect(preview.getByTestId('folder-output-image')).toHaveCount(3, { timeout: 15_000 });
  const waybills = await preview.getByTestId('folder-output-file').evaluateAll((els) => els.map((e) => e.getAttribute('data-waybill')));
  expect(waybills.every((w) => w !== null && /^[A-Z0-9]{10,}$/.test(w))).toBe(true);
  // Each picture is a whole label (76 × 130 mm at 203 dpi), drawn by the browser.
  const sizes = await preview.getByTestId('folder-output-image').evaluateAll((imgs) => (imgs as HTMLImageElement[]).map((i) => [i.naturalWidth, i.naturalHeight]));
  expect(sizes).toEqual([
    [608, 1040],
    [608, 1040],
    [608, 1040],
  ]);
  const files = fs.readdirSync(path.join(s.dataDir, 'demo-labels')).filter((n) => n.endsWith('.png'));
  expect(files).toHaveLength(3);
  await dialog.getByTestId('dialog-cancel').click();

  // ── The counts moved: 待打单 −3, 已打单 +3. ──
  await expect(page.getByTestId('queue-count-awaiting_print')).toHaveText(String(awaitingBefore - 3));
  await expect(page.getByTestId('queue-count-printed')).toHaveText('3');

  // ── The printers page shows the demo printer, marked 演示, with the same labels. ──
  await page.getByTestId('nav-printing').click();
  await expect(page.getByTestId('printer-demo')).toHaveText('演示');
  await expect(page.getByTestId('printer-status')).toContainText('就绪');
  await expect(page.getByTestId('folder-output').getByTestId('folder-output-image')).toHaveCount(3);
  await page.getByTestId('printing-tab-accounts').click();
  await expect(page.getByTestId('account-demo')).toHaveCount(2);

  // ── The rule that filled 待打单 is visible and switchable, marked 演示. ──
  await page.getByTestId('nav-packing').click();
  await expect(page.getByTestId('station-auto-review')).toBeChecked();
  await expect(page.getByTestId('station-auto-review-demo')).toHaveText('演示');

  // ── 已打单 → 发货: the three leave for 已发货. ──
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('queue-tab-printed').click();
  await expect(page.getByTestId('order-row')).toHaveCount(3);
  await page.getByTestId('select-all-matching').click();
  await page.getByTestId('batch-ship').click();
  await expect(page.getByTestId('queue-count-printed')).toHaveText('0');
  await expect(page.getByTestId('queue-count-shipped')).toHaveText(String(shippedBefore + 3));

  // ── A simulated delivery later the buyers confirm receipt; the ordinary sync brings it back. ──
  const completedBefore = await countOf(page, 'completed');
  expect((await s.core.pushes.flush()).sent).toBe(3);
  s.clock.now += Math.ceil(10 * DAY * DEMO_DELIVERY_SCALE) + 10 * MINUTE;
  const statusOf = (id: string) => (testDbOf(s.core).$client.prepare('SELECT status FROM orders WHERE id = ?').get(id) as { status: string }).status;
  await expect
    .poll(
      async () => {
        // The gateways feed every 5 s; platforms list a change once it is a few minutes old.
        s.clock.now += 2 * MINUTE;
        await s.core.scheduler.syncShop(s.shopId);
        return picked.map(statusOf);
      },
      { timeout: 60_000, intervals: [2000] },
    )
    .toEqual(['completed', 'completed', 'completed']);
  await expect.poll(async () => countOf(page, 'completed'), { timeout: 15_000 }).toBeGreaterThanOrEqual(completedBefore + 3);
});

test('a fresh demo station shows its stock: two warehouses on the 库存 page, a short SKU out and a low one low, and its waiting orders marked 缺货', async ({ page }) => {
  test.setTimeout(120_000);
  station = await freshDemoStation();
  const s = station;
  const db = testDbOf(s.core).$client;
  // The first sync held stock for the shop's paid orders and left some waiting for the short SKU.
  const waiting = db
    .prepare("SELECT platform_order_id AS id FROM orders WHERE shop_id = ? AND stock_state = 'short' ORDER BY paid_at LIMIT 1")
    .get(s.shopId) as { id: string } | undefined;
  expect(waiting).toBeDefined();
  expect((db.prepare("SELECT count(*) AS n FROM orders WHERE shop_id = ? AND stock_state = 'reserved'").get(s.shopId) as { n: number }).n).toBeGreaterThan(10);
  await page.goto(s.host.url);

  // ── 库存: the demo's SKUs in 杭州仓 and 广州仓; the short one is out in both, the low one low. ──
  await page.getByTestId('nav-stock').click();
  await expect(page.getByTestId('stock-row').first()).toBeVisible();
  const rows = page.getByTestId('stock-row');
  await page.getByTestId('stock-search').fill('MY-7103-66');
  await expect(rows).toHaveCount(2);
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-warehouse')))).toEqual(['GZ', 'HZ']);
  for (let i = 0; i < 2; i += 1) await expect(rows.nth(i).getByTestId('stock-mark-out')).toBeVisible();
  await page.getByTestId('stock-search').fill('MY-7101-M');
  await expect(rows).toHaveCount(2);
  await expect(rows.getByTestId('stock-mark-low').first()).toBeVisible();
  // A SKU with plenty: on hand in both warehouses, nothing marked.
  await page.getByTestId('stock-search').fill('MY-7104-180');
  await expect(rows).toHaveCount(2);
  for (let i = 0; i < 2; i += 1) {
    await expect(rows.nth(i).locator('.cell-onHand')).not.toHaveText('0');
    await expect(rows.nth(i).getByTestId('stock-mark-out')).toHaveCount(0);
  }

  // ── 订单: the waiting order carries its 缺货 badge in the workbench. ──
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('queue-tab-all').click();
  await page.getByTestId('search-input').fill(waiting!.id);
  const row = page.getByTestId('order-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId(/^(stock-)?short-badge$/).first()).toBeVisible();
  await expect(row.getByTestId(/^(stock-)?short-badge$/).first()).toHaveText('缺货');

  // ── The 库存 filter: exactly the orders waiting in 缺货 (the station's own figure), each badged. ──
  const shortIds = (): string[] => (db.prepare("SELECT platform_order_id FROM orders WHERE stock_state = 'short'").pluck().all() as string[]).sort();
  const shownTotal = async (): Promise<number> => {
    const m = /(\d[\d,]*)/.exec((await page.getByTestId('result-total').textContent()) ?? '');
    return m ? Number(m[1]!.replace(/,/g, '')) : NaN;
  };
  await page.getByTestId('search-input').fill('');
  await page.getByTestId('filter-stock').click();
  await page.locator('[data-testid="filter-stock-option"][data-value="short"]').click();
  await expect(page.getByTestId('filter-stock')).toHaveAttribute('data-value', 'short');
  await expect.poll(async () => (await shownTotal()) === shortIds().length && shortIds().length > 0).toBe(true);
  await expect(row.first()).toBeVisible();
  const shown = await row.evaluateAll((els) => els.map((e) => e.getAttribute('data-platform-order-id') ?? ''));
  const all = shortIds();
  for (const id of shown) expect(all).toContain(id);
  // Few enough to be drawn at once: the rows are the queue itself.
  if (all.length <= shown.length) expect([...shown].sort()).toEqual(all);
  for (const r of (await row.all()).slice(0, 8)) await expect(r.getByTestId(/^(stock-)?short-badge$/).first()).toBeVisible();
  // Cleared, the workbench shows more than the queue again.
  await page.getByTestId('filter-clear').click();
  await expect.poll(shownTotal).toBeGreaterThan(all.length);
});

test('退货入库 from the order drawer: a shipped line’s units go back to the warehouse it left from, with the reason', async ({ page }) => {
  test.setTimeout(120_000);
  station = await freshDemoStation();
  const s = station;
  const db = testDbOf(s.core).$client;
  // Ship one order that holds stock, so its held units become ship movements: the parcel that comes back.
  const held = db.prepare("SELECT id FROM orders WHERE shop_id = ? AND stock_state = 'reserved' ORDER BY paid_at LIMIT 1").get(s.shopId) as { id: string };
  const shipped = await s.core.call('orders.ship', { items: [{ id: held.id, carrierCode: 'ZTO', waybillNo: '7300000001' }] });
  expect(shipped.ok, JSON.stringify(shipped)).toBe(true);
  const shippedLine = db
    .prepare(
      `SELECT o.platform_order_id AS id, r.line_no AS lineNo, r.sku_id AS skuId, r.warehouse_id AS warehouseId
         FROM stock_reservations r JOIN orders o ON o.id = r.order_id
        WHERE r.state = 'shipped' AND o.shop_id = ? ORDER BY r.settled_at LIMIT 1`,
    )
    .get(s.shopId) as { id: string; lineNo: number; skuId: string; warehouseId: string } | undefined;
  expect(shippedLine).toBeDefined();
  const onHand = (): number =>
    (db.prepare('SELECT coalesce(sum(delta), 0) AS n FROM stock_movements WHERE sku_id = ? AND warehouse_id = ?').get(shippedLine!.skuId, shippedLine!.warehouseId) as { n: number }).n;
  const before = onHand();
  await page.goto(s.host.url);
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('queue-tab-all').click();
  // The parcel that came back is scanned: its waybill number finds the order.
  await page.getByTestId('search-input').fill('7300000001');
  const row = page.getByTestId('order-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-platform-order-id', shippedLine!.id);
  await row.first().dblclick();
  const drawer = page.getByTestId('order-drawer');
  await expect(drawer.getByTestId('drawer-return')).toBeVisible();
  const line = drawer.locator(`[data-testid="return-line"][data-line="${shippedLine!.lineNo}"]`);
  await line.getByTestId('return-quantity').fill('1');
  await line.getByTestId('return-reason').fill('买家退货，完好');
  await line.getByTestId('return-submit').click();
  await expect(line.getByTestId('return-done')).toHaveText('已入库 1 件');
  await expect.poll(onHand).toBe(before + 1);
  const movement = db
    .prepare("SELECT delta, note, reference FROM stock_movements WHERE sku_id = ? AND warehouse_id = ? AND reason = 'return' ORDER BY at DESC LIMIT 1")
    .get(shippedLine!.skuId, shippedLine!.warehouseId) as { delta: number; note: string | null; reference: string };
  expect(movement).toEqual({ delta: 1, note: '买家退货，完好', reference: `${shippedLine!.id}#${shippedLine!.lineNo}` });
});
