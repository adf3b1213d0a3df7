// The order workbench end to end, as a customer-service person uses it: tabs, filters, Chinese
// search, the detail drawer, batch tag / hold / release, export to xlsx and csv read back, English.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Locator, Page } from '@playwright/test';
import type { OrderCounts, OrderFilter } from '../../electron/shared/contract.ts';
import { actorNamed } from '../../electron/core/session.ts';
import { expect, test, type AppHandle } from './fixtures.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

const rows = (page: Page) => page.getByTestId('order-row');
const countOf = async (page: Page, tab: string) => Number((await page.getByTestId(`queue-count-${tab}`).textContent())!.replace(/,/g, ''));

/** What the core says for a filter: the UI must show the same. */
async function coreTotal(app: AppHandle, filter: OrderFilter): Promise<number> {
  const res = await app.core.call('orders.list', { filter, limit: 1, withTotal: true });
  if (!res.ok) throw new Error(res.error.message);
  return (res.value as { total: number }).total;
}

async function coreCounts(app: AppHandle): Promise<OrderCounts> {
  const res = await app.core.call('orders.counts', { filter: {} });
  if (!res.ok) throw new Error(res.error.message);
  return res.value as OrderCounts;
}

/** The status line's total ("共 123 个订单" / "123 orders") as a number. */
async function shownTotal(page: Page): Promise<number> {
  const text = (await page.getByTestId('result-total').textContent()) ?? '';
  const m = /(\d[\d,]*)/.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : NaN;
}

async function expectTotal(page: Page, n: number): Promise<void> {
  await expect.poll(() => shownTotal(page)).toBe(n);
}

async function cellTexts(list: Locator, cell: string): Promise<string[]> {
  return list.locator(`.cell-${cell}`).allTextContents();
}

async function platformIds(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-platform-order-id') ?? ''));
}

test('a service desk day: tabs, filters, search, drawer, batch tag, hold and release, export, English', async ({ page, app }) => {
  test.setTimeout(120_000);
  const counts = await coreCounts(app);
  expect(counts.all).toBe(600);

  // ── The demo database is open: tab counts come from the core. ──
  await expect(page.getByTestId('queue-count-all')).toHaveText('600');
  await expect(page.getByTestId('queue-count-abnormal')).toHaveText(String(counts.abnormal.any));
  await expect(page.getByTestId('queue-count-pending_review')).toHaveText(String(counts.queues.pending_review));
  await expect(rows(page).first()).toBeVisible();
  await expectTotal(page, 600);
  // Only the rows in view exist in the DOM.
  expect(await rows(page).count()).toBeLessThan(100);

  // ── Switch tabs. ──
  await page.getByTestId('queue-tab-shipped').click();
  await expect(page.getByTestId('queue-tab-shipped')).toHaveAttribute('aria-selected', 'true');
  await expectTotal(page, counts.queues.shipped);
  await expect(rows(page).first().getByTestId('queue-badge')).toHaveText('已发货');
  await page.getByTestId('queue-tab-abnormal').click();
  await expectTotal(page, counts.abnormal.any);
  for (const row of (await rows(page).all()).slice(0, 10)) await expect(row.getByTestId('abnormal-badge').first()).toBeVisible();
  await page.getByTestId('queue-tab-all').click();
  await expectTotal(page, 600);

  // ── Filter by shop, then also by province. ──
  await page.getByTestId('filter-shop').click();
  const shopOption = page.getByTestId('filter-shop-option').first();
  const shopId = (await shopOption.getAttribute('data-value'))!;
  const shopName = (await shopOption.locator('.ms-label').evaluate((el) => el.firstChild?.textContent ?? ''))!.trim();
  await shopOption.click();
  await page.keyboard.press('Escape');
  await page.getByTestId('search-input').click(); // close the panel by clicking elsewhere
  const shopTotal = await coreTotal(app, { shopIds: [shopId] });
  expect(shopTotal).toBeGreaterThan(0);
  await expectTotal(page, shopTotal);
  for (const name of await cellTexts(rows(page), 'shop')) expect(name).toBe(shopName);

  const province = (await rows(page).first().locator('.cell-region').textContent())!.split(' ')[0]!;
  await page.getByTestId('filter-province').click();
  await page.getByTestId('filter-province-panel').locator('input.ms-search').fill(province);
  await page.locator(`[data-testid="filter-province-option"][data-value="${province}"]`).click();
  await page.getByTestId('search-input').click();
  const bothTotal = await coreTotal(app, { shopIds: [shopId], provinces: [province] });
  expect(bothTotal).toBeGreaterThan(0);
  expect(bothTotal).toBeLessThanOrEqual(shopTotal);
  await expectTotal(page, bothTotal);
  for (const region of await cellTexts(rows(page), 'region')) expect(region.startsWith(province)).toBe(true);
  for (const name of await cellTexts(rows(page), 'shop')) expect(name).toBe(shopName);
  await page.getByTestId('filter-clear').click();
  await expectTotal(page, 600);

  // ── Search Chinese text: two characters of a receiver's name, then a 3+ character city. ──
  const target = rows(page).nth(3);
  const targetId = (await target.getAttribute('data-platform-order-id'))!;
  const receiverName = (await target.locator('.cell-receiver').textContent())!.trim();
  const city = (await target.locator('.cell-region').textContent())!.split(' ')[1]!;
  const two = [...receiverName].slice(0, 2).join('');
  expect([...two]).toHaveLength(2);
  await page.getByTestId('search-input').fill(two);
  const twoTotal = await coreTotal(app, { q: two });
  expect(twoTotal).toBeGreaterThan(0);
  expect(twoTotal).toBeLessThan(600);
  await expectTotal(page, twoTotal);
  await expect(page.locator(`[data-testid="order-row"][data-platform-order-id="${targetId}"]`)).toBeVisible();
  expect([...city].length).toBeGreaterThanOrEqual(3);
  await page.getByTestId('search-input').fill(city);
  const cityTotal = await coreTotal(app, { q: city });
  expect(cityTotal).toBeGreaterThan(0);
  await expectTotal(page, cityTotal);
  for (const region of (await cellTexts(rows(page), 'region')).slice(0, 20)) expect(region).toContain(city);
  await expect(page.locator(`[data-testid="order-row"][data-platform-order-id="${targetId}"]`)).toBeVisible();
  await page.getByTestId('search-input').fill('');
  await expectTotal(page, 600);

  // ── Open the detail drawer (double-click), check it, Esc closes it. ──
  const first = rows(page).first();
  const firstId = (await first.getAttribute('data-platform-order-id'))!;
  const firstReceiver = (await first.locator('.cell-receiver').textContent())!.trim();
  await first.dblclick();
  const drawer = page.getByTestId('order-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('drawer-platform-order-id')).toHaveText(firstId);
  await expect(drawer.getByTestId('receiver-name')).toHaveText(firstReceiver);
  await expect(drawer.getByTestId('drawer-item').first()).toBeVisible();
  await expect(drawer.getByTestId('drawer-paid')).toHaveText(/^¥[\d,]+\.\d\d$/);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // ── Batch: pick three orders waiting for review (click, then shift-click a range). ──
  await page.getByTestId('queue-tab-pending_review').click();
  await expectTotal(page, counts.queues.pending_review);
  await rows(page).nth(0).click();
  await rows(page).nth(2).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '3');
  const picked = (await platformIds(page)).slice(0, 3);
  const pickedRow = (id: string) => page.locator(`[data-testid="order-row"][data-platform-order-id="${id}"]`);

  // Tag them with a tag created inline.
  await page.getByTestId('batch-tag').click();
  await page.getByTestId('new-tag-input').fill('周末回访');
  await page.getByTestId('new-tag-create').click();
  await expect(page.locator('[data-testid="tag-choice"][data-tag-name="周末回访"] select')).toHaveValue('add');
  // An existing tag's name picks that tag instead of creating a second one.
  await page.getByTestId('new-tag-input').fill('加急');
  await page.getByTestId('new-tag-create').click();
  await expect(page.locator('[data-testid="tag-choice"][data-tag-name="加急"] select')).toHaveValue('add');
  await expect(page.locator('[data-testid="tag-choice"][data-tag-name="加急"]')).toHaveCount(1);
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: '标签：已处理 3 个' })).toBeVisible();
  for (const id of picked) {
    await expect(pickedRow(id).getByTestId('tag-chip').filter({ hasText: '周末回访' })).toBeVisible();
    await expect(pickedRow(id).getByTestId('tag-chip').filter({ hasText: '加急' })).toBeVisible();
  }

  // Hold them with a reason: they leave 待审核 and show up under 挂起.
  const heldBefore = await countOf(page, 'held');
  await page.getByTestId('batch-hold').click();
  await page.getByTestId('reason-input').fill('等待核实地址');
  await page.getByTestId('dialog-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: '挂起：已处理 3 个' })).toBeVisible();
  await expect(page.getByTestId('queue-count-held')).toHaveText(String(heldBefore + 3));
  await expectTotal(page, counts.queues.pending_review - 3);
  for (const id of picked) await expect(pickedRow(id)).toHaveCount(0);
  // They left the view, so they left the selection: nothing selected is out of sight.
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '0');

  await page.getByTestId('queue-tab-held').click();
  await expectTotal(page, heldBefore + 3);
  // The drawer's timeline records the hold and its reason.
  await pickedRow(picked[0]!).dblclick();
  await expect(drawer.getByTestId('timeline-entry').filter({ hasText: '等待核实地址' }).first()).toBeVisible();
  await drawer.getByTestId('drawer-close').click();
  // Double-click selected just that row; ctrl/cmd-click adds the other two.
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '1');
  for (const id of picked) await expect(pickedRow(id).getByTestId('queue-badge')).toHaveText('挂起');
  for (const id of picked.slice(1)) await pickedRow(id).click({ modifiers: ['ControlOrMeta'] });
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '3');

  // Release them: back to 待审核.
  await page.getByTestId('batch-release').click();
  await expect(page.getByTestId('toast').filter({ hasText: '取消挂起：已处理 3 个' })).toBeVisible();
  await expect(page.getByTestId('queue-count-held')).toHaveText(String(heldBefore));
  await expect(page.getByTestId('queue-count-pending_review')).toHaveText(String(counts.queues.pending_review));

  // ── Export the selected orders to xlsx and csv, and read the files back. ──
  await page.getByTestId('queue-tab-pending_review').click();
  for (const id of picked) await pickedRow(id).getByTestId('row-select').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '3');

  const exportAs = async (format: 'xlsx' | 'csv') => {
    await page.getByTestId('batch-export').click();
    await page.getByTestId('export-scope-selected').check();
    await page.getByTestId(`export-format-${format}`).check();
    // Add a column the default set leaves out, so the chosen columns are what gets written.
    await page.getByTestId('export-column-tags').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dialog-confirm').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
    const file = path.join(app.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    return file;
  };

  const xlsxFile = await exportAs('xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsxFile);
  const sheet = wb.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  expect(header).toContain('订单号');
  expect(header).toContain('收件人');
  expect(header).toContain('店铺');
  expect(header).toContain('标签');
  const idCol = header.indexOf('订单号') + 1;
  const xlsxIds: string[] = [];
  sheet.eachRow((row, n) => n > 1 && xlsxIds.push(String(row.getCell(idCol).value)));
  expect(xlsxIds.sort()).toEqual([...picked].sort());

  const csvFile = await exportAs('csv');
  const records = parse(fs.readFileSync(csvFile), { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
  expect(Object.keys(records[0]!)).toEqual(header);
  expect(records.map((r) => r['订单号']).sort()).toEqual([...picked].sort());
  expect(records.every((r) => r['标签']!.includes('周末回访'))).toBe(true);

  // ── Switch to English; the choice survives a reload (the token stays in sessionStorage). ──
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('queue-tab-all')).toContainText('All');
  await expect(page.getByTestId('search-input')).toHaveAttribute('placeholder', /Search order no\./);
  await expect(page.getByTestId('batch-hold')).toHaveText('Hold');
  await expect(page.getByTestId('result-total')).toHaveText(`${counts.queues.pending_review} orders`);
  await page.reload();
  await expect(page.getByTestId('queue-tab-all')).toContainText('All');
  await expect(page.getByTestId('queue-count-all')).toHaveText('600');
  await expect(rows(page).first()).toBeVisible();
});

test('a batch that changes nothing says why, in Chinese', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  await page.getByTestId('queue-tab-shipped').click();
  await expectTotal(page, await coreTotal(app, { queue: 'shipped' }));
  await rows(page).first().click();
  await page.getByTestId('batch-review').click();
  // Reviewing a shipped order is skipped by the core; the skip reason code is translated.
  const toast = page.getByTestId('toast').filter({ hasText: '审单：已处理 0 个，跳过 1 个' });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('已发货：1 个');
});

test('the drawer: address edit, a refused edit as a translated error, notes, a price change request approved', async ({ page, app }) => {
  await rows(page).first().dblclick();
  const drawer = page.getByTestId('order-drawer');
  const orderId = (await drawer.getAttribute('data-order-id'))!;
  // The receiver came encrypted: with a reason the platform decrypts it; the view is audited, the plaintext not kept.
  await drawer.getByTestId('receiver-reveal').click();
  await drawer.getByTestId('reveal-reason').fill('买家来电核对地址');
  await drawer.getByTestId('reveal-submit').click();
  await expect(drawer.getByTestId('receiver-revealed')).toContainText(/1\d{10}/);
  await expect(drawer.getByTestId('timeline-entry').filter({ hasText: '买家来电核对地址' }).first()).toBeVisible();
  await drawer.getByTestId('address-edit').click();
  // The contract allows at most 30 characters for a phone: the core answers VALIDATION_FAILED.
  await drawer.getByTestId('address-phone').fill('1'.repeat(40));
  await drawer.getByTestId('address-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: '输入不正确，请检查后重试' })).toBeVisible();

  await drawer.getByTestId('address-phone').fill('13800001234');
  await drawer.getByTestId('address-address').fill('文三路 90 号东部软件园 3 号楼');
  await drawer.getByTestId('address-reason').fill('买家来电更正');
  await drawer.getByTestId('address-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: '收货地址已修改' })).toBeVisible();
  await expect(drawer.getByTestId('receiver-address')).toHaveText('文三路 90 号东部软件园 3 号楼');
  await expect(drawer.getByTestId('timeline-entry').filter({ hasText: '买家来电更正' }).first()).toBeVisible();
  const res = await app.core.call('orders.get', { id: orderId });
  expect(res.ok && (res.value as { receiverAddress: string }).receiverAddress).toBe('文三路 90 号东部软件园 3 号楼');

  // An internal note.
  await drawer.getByTestId('note-input').fill('已电话联系买家，确认周末收货');
  await drawer.getByTestId('note-add').click();
  await expect(drawer.getByTestId('note').filter({ hasText: '已电话联系买家' })).toBeVisible();

  // Ask for a new unit price on line 1, then approve it (the owner may decide).
  await drawer.getByTestId('request-change').first().click();
  await drawer.getByTestId('change-value').fill('9.90');
  await drawer.getByTestId('change-reason').fill('老客户优惠');
  await drawer.getByTestId('change-submit').click();
  const request = drawer.getByTestId('change-request').first();
  await expect(request).toHaveAttribute('data-state', 'pending');
  await expect(request).toContainText('¥9.90');
  // Nobody decides their own request: the owner who asked gets no approve button.
  await expect(request.getByTestId('change-approve')).toHaveCount(0);

  // A request from customer service (made in the core as that user) shows up live; the owner approves it.
  const service = actorNamed(testDbOf(app.core), '客服小王', 'service');
  const asked = await app.core.call('orders.requestChange', { id: orderId, lineNo: 1, kind: 'quantity', value: 3, reason: '买家加购' }, service);
  expect(asked.ok).toBe(true);
  const fromService = drawer.getByTestId('change-request').filter({ hasText: '买家加购' });
  await expect(fromService).toHaveAttribute('data-state', 'pending');
  await fromService.getByTestId('change-approve').click();
  await expect(fromService).toHaveAttribute('data-state', 'approved');
  await expect(drawer.getByTestId('drawer-item').first().locator('td').nth(2)).toHaveText('3');
});

test('keyboard, sorting and the column picker', async ({ page, app }) => {
  expect(app.token).not.toBe('');
  await expect(rows(page).first()).toBeVisible();
  // "/" focuses the search box.
  // The status line at the bottom: nothing there takes focus, whatever the window's size.
  await page.getByTestId('result-total').click();
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.getByTestId('search-input').blur();

  // ↓ moves the focused row, Space selects it, Enter opens it, Esc closes.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(rows(page).nth(2)).toHaveClass(/focused/);
  await page.keyboard.press(' ');
  await expect(rows(page).nth(2)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '1');
  const third = (await rows(page).nth(2).getAttribute('data-platform-order-id'))!;
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('drawer-platform-order-id')).toHaveText(third);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('order-drawer')).toBeHidden();

  // Sort by paid amount, descending then ascending.
  const paid = async () =>
    (await rows(page).locator('.cell-paidFen').allTextContents()).slice(0, 15).map((t) => Number(t.replace(/[¥,]/g, '')));
  await page.getByTestId('column-paidFen').click();
  await expect(page.getByTestId('column-paidFen')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => {
    const v = await paid();
    return v.every((x, i) => i === 0 || v[i - 1]! >= x);
  }).toBe(true);
  await page.getByTestId('column-paidFen').click();
  await expect(page.getByTestId('column-paidFen')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => {
    const v = await paid();
    return v.every((x, i) => i === 0 || v[i - 1]! <= x);
  }).toBe(true);

  // Hide the region column; the choice survives a reload.
  await expect(rows(page).first().locator('.cell-region')).toHaveCount(1);
  await page.getByTestId('column-picker').click();
  await page.getByTestId('column-option-region').locator('input').uncheck();
  await expect(rows(page).first().locator('.cell-region')).toHaveCount(0);
  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  await expect(rows(page).first().locator('.cell-region')).toHaveCount(0);
  await expect(rows(page).first().locator('.cell-receiver')).toHaveCount(1);
});

test('a pick list and packing slips for the selected orders, as A4 PDFs whose text reads back', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  await rows(page).first().getByTestId('row-select').click();
  await rows(page).nth(1).getByTestId('row-select').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '2');
  for (const doc of ['pickList', 'packingSlips'] as const) {
    await page.getByTestId(`batch-${doc}`).click();
    await expect(page.getByTestId('print-docs-target')).toHaveValue('download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dialog-confirm').click()]);
    const file = path.join(app.dataDir, download.suggestedFilename());
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    // pdftotext (poppler-utils, installed by .ci/run) reads the Chinese back out of the subset font.
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(doc === 'pickList' ? '拣货单' : '发货单');
  }
});

// ── A packing-station laptop (1366×768) as well as a desk screen: the suite runs at both. ──

/** Shanghai calendar day of an instant, as the filters count days. */
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`);
const dayEnd = (day: string) => dayStart(day) + 86_400_000 - 1;

async function shopCountsOf(app: AppHandle, filter: OrderFilter): Promise<Record<string, number>> {
  const res = await app.core.call('orders.shopCounts', { filter });
  if (!res.ok) throw new Error(res.error.message);
  return res.value as Record<string, number>;
}

test('the screen: 20+ rows, every default column whole, one row of filters, no native pickers', async ({ page, app }) => {
  expect(app.pageErrors).toEqual([]);
  await expect(rows(page).first()).toBeVisible();
  await expectTotal(page, 600);
  const layout = await page.evaluate(() => {
    const table = document.querySelector('[data-testid="order-table"]')!.getBoundingClientRect();
    const head = document.querySelector('.thead')!.getBoundingClientRect();
    const shown = [...document.querySelectorAll('[data-testid="order-row"]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= head.bottom - 1 && b.bottom <= table.bottom + 1;
    });
    const headers = [...document.querySelectorAll('[role="columnheader"][data-testid^="column-"]')].map((h) => {
      const b = h.getBoundingClientRect();
      return { id: h.getAttribute('data-testid'), left: b.left, right: b.right };
    });
    const bar = document.querySelector('.filter-bar')!;
    // One row: every control's middle on one line (their heights differ by a pixel or two).
    const middles = [...bar.children].map((c) => {
      const b = c.getBoundingClientRect();
      return Math.round((b.top + b.bottom) / 2 / 8);
    });
    return {
      rows: shown.length,
      tableRight: table.right,
      // The table's own width without a horizontal scroll: every column fits.
      overflowX: (document.querySelector('[data-testid="order-table"]') as HTMLElement).scrollWidth - (document.querySelector('[data-testid="order-table"]') as HTMLElement).clientWidth,
      headers,
      filterRows: new Set(middles).size,
      filterHeight: bar.getBoundingClientRect().height,
      nativeSelects: document.querySelectorAll('.workbench select').length,
      dateInputs: document.querySelectorAll('.workbench input[type="date"]').length,
    };
  });
  const viewport = page.viewportSize()!;
  expect(layout.rows, `rows fully in view at ${viewport.width}×${viewport.height}`).toBeGreaterThanOrEqual(20);
  expect(layout.overflowX).toBeLessThanOrEqual(0);
  expect(layout.headers.map((h) => h.id)).toEqual([
    'column-platformOrderId',
    'column-shop',
    'column-queue',
    'column-receiver',
    'column-region',
    'column-items',
    'column-paidFen',
    'column-waybill',
    'column-flag',
    'column-tags',
    'column-abnormal',
    'column-paidAt',
  ]);
  for (const h of layout.headers) expect(h.right, `${h.id} inside the table`).toBeLessThanOrEqual(layout.tableRight);
  expect(layout.filterRows, 'the filter bar is one row').toBe(1);
  expect(layout.filterHeight).toBeLessThan(40);
  expect(layout.nativeSelects).toBe(0);
  expect(layout.dateInputs).toBe(0);
  // 付款时间 is read whole, not cut at the screen's edge.
  for (const cell of (await rows(page).locator('.cell-paidAt .time').all()).slice(0, 5)) {
    expect(await cell.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
    await expect(cell).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  }
  // Two reasons in the 异常 column: both badges whole, or the rest folded into "+N" — never cut.
  await page.getByTestId('queue-tab-abnormal').click();
  await expect(rows(page).first()).toBeVisible();
  const cells = await rows(page).locator('.cell-abnormal').all();
  let two = 0;
  for (const cell of cells) {
    const fit = await cell.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const badges = [...el.querySelectorAll('.badge')].map((b) => b.getBoundingClientRect());
      return { badges: badges.length, inside: badges.every((b) => b.left >= box.left && b.right <= box.right - 2) };
    });
    expect(fit.inside).toBe(true);
    if (fit.badges >= 2) two++;
  }
  expect(two, 'some order shows two reasons').toBeGreaterThan(0);
});

test('date filters: 今天/昨天/近7天/近30天 in Shanghai days, and typed days read YYYY-MM-DD', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  const today = shanghaiDay(Date.now());
  const addDays = (day: string, n: number) => shanghaiDay(dayStart(day) + n * 86_400_000);
  const cases = [
    ['today', today, today],
    ['yesterday', addDays(today, -1), addDays(today, -1)],
    ['last7', addDays(today, -6), today],
    ['last30', addDays(today, -29), today],
  ] as const;
  const labels = { today: '今天', yesterday: '昨天', last7: '近7天', last30: '近30天' };
  for (const [shortcut, first, last] of cases) {
    await page.getByTestId('filter-paid').click();
    await page.getByTestId(`filter-paid-${shortcut}`).click();
    await expect(page.getByTestId('filter-paid')).toContainText(labels[shortcut]);
    await expect(page.getByTestId('filter-paid')).toHaveAttribute('data-from', first);
    await expect(page.getByTestId('filter-paid')).toHaveAttribute('data-to', last);
    await expectTotal(page, await coreTotal(app, { paidFrom: dayStart(first), paidTo: dayEnd(last) }));
  }
  // The 30-day window holds some demo orders and not all of them: the filter did narrow.
  expect(await shownTotal(page)).toBeGreaterThan(0);

  // Days typed by hand, shown back as YYYY-MM-DD (not the browser's mm/dd/yyyy).
  const first = addDays(today, -10);
  const last = addDays(today, -3);
  await page.getByTestId('filter-created').click();
  await page.getByTestId('filter-created-from').fill(first.replace(/-0/g, '-'));
  await page.getByTestId('filter-created-to').fill(last);
  await page.getByTestId('filter-created-apply').click();
  await expect(page.getByTestId('filter-created')).toContainText(`${first.slice(5)} ~ ${last.slice(5)}`);
  await expectTotal(page, await coreTotal(app, { paidFrom: dayStart(addDays(today, -29)), paidTo: dayEnd(today), createdFrom: dayStart(first), createdTo: dayEnd(last) }));
  await page.getByTestId('filter-created').click();
  await expect(page.getByTestId('filter-created-from')).toHaveValue(first);
  await expect(page.getByTestId('filter-created-to')).toHaveValue(last);
  // A day that does not exist is refused in place, not sent.
  await page.getByTestId('filter-created-to').fill('2025-02-30');
  await expect(page.getByTestId('filter-created-apply')).toBeDisabled();
  await page.getByTestId('filter-created-clear').click();
  await expect(page.getByTestId('filter-created')).not.toHaveAttribute('data-from', /./);
});

test('saved filters (常用筛选) survive a reload and belong to the station: save, apply, rename, delete', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  await page.getByTestId('queue-tab-shipped').click();
  await page.getByTestId('filter-paid').click();
  await page.getByTestId('filter-paid-last30').click();
  await page.getByTestId('filter-buyer-message').click();
  await page.locator('[data-testid="filter-buyer-message-option"][data-value="no"]').click();
  const today = shanghaiDay(Date.now());
  const wanted: OrderFilter = {
    queue: 'shipped',
    hasBuyerMessage: false,
    paidFrom: dayStart(shanghaiDay(dayStart(today) - 29 * 86_400_000)),
    paidTo: dayEnd(today),
  };
  const wantedTotal = await coreTotal(app, wanted);
  expect(wantedTotal).toBeGreaterThan(0);
  expect(wantedTotal).toBeLessThan(await coreTotal(app, { queue: 'shipped' }));
  await expectTotal(page, wantedTotal);

  await page.getByTestId('presets').click();
  await page.getByTestId('preset-save').click();
  await page.getByTestId('preset-name').fill('已发货 无留言');
  await page.getByTestId('preset-name-ok').click();
  await expect(page.getByTestId('preset')).toHaveCount(1);
  // Kept in the core: the desktop app's window reads the same list.
  const listed = await app.core.call('filterPresets.list', {});
  expect(listed.ok && (listed.value as { name: string; relative: unknown }[])).toEqual([
    expect.objectContaining({ name: '已发货 无留言', relative: { paid: 'last30' } }),
  ]);

  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  await expectTotal(page, 600);
  await page.getByTestId('presets').click();
  await page.locator('[data-testid="preset"][data-name="已发货 无留言"]').getByTestId('preset-apply').click();
  await expect(page.getByTestId('queue-tab-shipped')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('filter-paid')).toContainText('近30天');
  await expect(page.getByTestId('filter-buyer-message')).toContainText('无买家留言');
  await expectTotal(page, wantedTotal);

  await page.getByTestId('presets').click();
  await page.getByTestId('preset-rename').click();
  await page.getByTestId('preset-name').fill('发货复盘');
  await page.getByTestId('preset-name-ok').click();
  await expect(page.locator('[data-testid="preset"][data-name="发货复盘"]')).toBeVisible();
  await page.reload();
  await page.getByTestId('presets').click();
  await expect(page.getByTestId('preset')).toHaveCount(1);
  await expect(page.locator('[data-testid="preset"][data-name="发货复盘"]')).toBeVisible();
  await page.getByTestId('preset-delete').click();
  await expect(page.getByTestId('preset')).toHaveCount(0);
  await page.reload();
  await page.getByTestId('presets').click();
  await expect(page.getByTestId('presets-panel')).toBeVisible();
  await expect(page.getByTestId('preset')).toHaveCount(0);
});

test('the shop filter counts each shop under the other filters, tab included', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  await page.getByTestId('queue-tab-shipped').click();
  await page.getByTestId('filter-flag').click();
  await page.locator('[data-testid="filter-flag-option"][data-value="0"]').click();
  await page.getByTestId('result-total').click();
  const filter: OrderFilter = { queue: 'shipped', sellerFlags: [0] };
  await expectTotal(page, await coreTotal(app, filter));
  const expected = await shopCountsOf(app, filter);
  await page.getByTestId('filter-shop').click();
  const options = await page.getByTestId('filter-shop-option').all();
  expect(options.length).toBeGreaterThan(1);
  let sum = 0;
  for (const option of options) {
    const shopId = (await option.getAttribute('data-value'))!;
    const n = await coreTotal(app, { ...filter, shopIds: [shopId] });
    expect(expected[shopId] ?? 0).toBe(n);
    await expect(option.locator('.ms-option-count')).toHaveText(String(n));
    sum += n;
  }
  expect(sum).toBe(await coreTotal(app, filter));
  // Picking shops does not change the numbers beside them.
  await options[0]!.locator('input').check();
  await expect(options[1]!.locator('.ms-option-count')).toHaveText(String(expected[(await options[1]!.getAttribute('data-value'))!] ?? 0));
});

test('the 快递/面单号 column shows the carrier and the whole number', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  const pending = await app.core.call('orders.list', { filter: { queue: 'pending_review' }, limit: 2 });
  if (!pending.ok) throw new Error(pending.error.message);
  const [a, b] = (pending.value as { rows: { id: string; platformOrderId: string }[] }).rows;
  const shipped = await app.core.call('orders.ship', {
    items: [
      { id: a!.id, carrierCode: 'SF', waybillNo: 'SF1234567890123' },
      { id: b!.id, carrierCode: 'ZTO', waybillNo: '75312345678901' },
    ],
  });
  expect(shipped.ok && (shipped.value as { changed: number }).changed).toBe(2);
  await page.getByTestId('search-input').fill(a!.platformOrderId);
  const row = page.locator(`[data-testid="order-row"][data-order-id="${a!.id}"]`);
  const cell = row.getByTestId('waybill-cell');
  await expect(cell).toHaveText('顺丰SF1234567890123');
  // The whole number is on screen, not cut by the column.
  expect(await cell.locator('.mono').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.getByTestId('search-input').fill(b!.platformOrderId);
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${b!.id}"]`).getByTestId('waybill-cell')).toHaveText('中通75312345678901');
});

test('a selection of every matching order loses the orders that leave the view', async ({ page, app }) => {
  await expect(rows(page).first()).toBeVisible();
  await page.getByTestId('queue-tab-pending_review').click();
  const pending = await coreTotal(app, { queue: 'pending_review' });
  expect(pending).toBeGreaterThan(3);
  await expectTotal(page, pending);
  await page.getByTestId('select-all-matching').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', String(pending));
  // Someone at another desk holds two of them: they leave 待审核, and the selection, which counts
  // only what is still in view (and what the next batch action would act on).
  const all = await app.core.call('orders.ids', { filter: { queue: 'pending_review' } });
  if (!all.ok) throw new Error(all.error.message);
  const two = (all.value as { ids: string[] }).ids.slice(-2);
  const held = await app.core.call('orders.hold', { ids: two, reason: '等待核实地址' });
  expect(held.ok && (held.value as { changed: number }).changed).toBe(2);
  await expectTotal(page, pending - 2);
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', String(pending - 2));
  // The batch acts on exactly those.
  await page.getByTestId('batch-review').click();
  await expect(page.getByTestId('toast').filter({ hasText: `审单：已处理 ${pending - 2} 个，跳过 0 个` })).toBeVisible();
  for (const id of two) {
    const o = await app.core.call('orders.get', { id });
    expect(o.ok && (o.value as { queue: string }).queue).toBe('held');
  }
});

test('toasts: at most three, repeats counted, and they go away by themselves', async ({ page, app }) => {
  expect(app.url).toContain('#token=');
  await expect(rows(page).first()).toBeVisible();
  await rows(page).first().click();
  // The same answer five times (releasing an order that is not held): one toast counting ×5.
  for (let i = 0; i < 5; i++) {
    await page.getByTestId('batch-release').click();
    await expect(page.getByTestId('toast')).toHaveCount(1);
  }
  await expect(page.getByTestId('toast')).toContainText('取消挂起：已处理 0 个，跳过 1 个');
  await expect(page.getByTestId('toast-repeat')).toHaveText('×5');
  // Three more, different messages: the three newest show, the oldest gave way.
  await page.getByTestId('batch-markRead').click();
  await expect(page.getByTestId('toast').filter({ hasText: '标为已读' })).toBeVisible();
  await page.getByTestId('batch-markUnread').click();
  await expect(page.getByTestId('toast').filter({ hasText: '标为未读' })).toBeVisible();
  await page.getByTestId('batch-review').click();
  await expect(page.getByTestId('toast').filter({ hasText: '审单' })).toBeVisible();
  await expect(page.getByTestId('toast')).toHaveCount(3);
  await expect(page.getByTestId('toast').filter({ hasText: '取消挂起' })).toHaveCount(0);
  // Nobody closes them: they leave on their own.
  await expect(page.getByTestId('toast')).toHaveCount(0, { timeout: 15_000 });
});

/** The 状态 cells in the DOM now: any whose content is clipped, and how many carry more than the queue badge. */
async function statusCells(page: Page): Promise<{ cells: number; clipped: string[]; extras: number }> {
  return page.evaluate(() => {
    const cells = [...document.querySelectorAll('[data-testid="order-row"] .cell-queue')] as HTMLElement[];
    const clipped: string[] = [];
    let extras = 0;
    for (const cell of cells) {
      const box = cell.getBoundingClientRect();
      const inner = box.right - parseFloat(getComputedStyle(cell).paddingRight);
      const parts = [...cell.children].map((c) => c.getBoundingClientRect());
      if (cell.scrollWidth > cell.clientWidth || parts.some((p) => p.right > inner + 0.5)) clipped.push(cell.textContent ?? '');
      if (cell.querySelector('[data-testid="stage-badge"], [data-testid="presale-badge"], [data-testid="status-more"]')) extras++;
    }
    return { cells: cells.length, clipped, extras };
  });
}

test('in English the status tabs and the status column fit the screen as the Chinese do', async ({ page, app }) => {
  test.setTimeout(90_000);
  await expect(rows(page).first()).toBeVisible();
  // The widest statuses: held orders show 挂起 and the stage they wait in; presale orders a 预售 badge.
  const pending = await app.core.call('orders.ids', { filter: { queue: 'pending_review' } });
  if (!pending.ok) throw new Error(pending.error.message);
  const held = await app.core.call('orders.hold', { ids: (pending.value as { ids: string[] }).ids.slice(0, 3), reason: '等待核实地址' });
  expect(held.ok && (held.value as { changed: number }).changed).toBe(3);
  const presale = await coreTotal(app, { orderType: 'presale' });
  expect(presale, 'the demo has presale orders').toBeGreaterThan(0);

  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('lang-switch')).toHaveAttribute('data-lang', 'en-US');
  await expect(page.getByTestId('queue-tab-held')).toContainText('On hold');

  // Every tab on screen, none scrolled out of sight and none shortened to "…".
  const viewport = page.viewportSize()!;
  const tabs = await page.evaluate(() => {
    const list = document.querySelector('.queue-tabs') as HTMLElement;
    const labels = [...list.querySelectorAll('.queue-tab-label')] as HTMLElement[];
    return {
      overflow: list.scrollWidth - list.clientWidth,
      cut: labels.filter((l) => l.scrollWidth > l.clientWidth).map((l) => l.textContent),
      listRight: list.getBoundingClientRect().right,
      lastRight: list.lastElementChild!.getBoundingClientRect().right,
    };
  });
  expect(tabs.overflow, `tabs scroll at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(0);
  expect(tabs.cut).toEqual([]);
  expect(tabs.lastRight).toBeLessThanOrEqual(Math.min(tabs.listRight, viewport.width));
  await expect(page.getByTestId('queue-tab-abnormal')).toBeInViewport({ ratio: 1 });

  // Every status cell of every tab whole, with and without the presale filter; badges that do not
  // fit beside the queue's fold into "+N", which names them.
  const seen = { cells: 0, extras: 0 };
  const tabIds = (await page.locator('.queue-tab').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('queue-tab-'.length)))) as NonNullable<OrderFilter['queue']>[];
  expect(tabIds.length).toBe(11);
  const checkTabs = async (filter: OrderFilter) => {
    for (const tab of tabIds) {
      await page.getByTestId(`queue-tab-${tab}`).click();
      const total = await coreTotal(app, tab === 'all' ? filter : { ...filter, queue: tab });
      await expectTotal(page, total);
      if (total > 0) await expect(rows(page).first()).toBeVisible();
      const found = await statusCells(page);
      expect(found.clipped, `clipped status on the ${tab} tab`).toEqual([]);
      seen.cells += found.cells;
      seen.extras += found.extras;
    }
  };
  await checkTabs({});
  await page.getByTestId('filter-order-type').click();
  await page.locator('[data-testid="filter-order-type-option"][data-value="presale"]').click();
  await checkTabs({ orderType: 'presale' });
  expect(seen.cells).toBeGreaterThan(20);
  expect(seen.extras, 'rows with a stage or presale badge were checked').toBeGreaterThan(3);

  // A held order's stage folds into "+1" in English, and its tooltip says which.
  await page.getByTestId('filter-clear').click();
  await page.getByTestId('queue-tab-held').click();
  await expectTotal(page, await coreTotal(app, { queue: 'held' }));
  const more = rows(page).first().getByTestId('status-more');
  await expect(more).toHaveText('+1');
  await expect(more).toHaveAttribute('title', 'To review');
});
