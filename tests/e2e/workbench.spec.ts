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
  const service = actorNamed(app.core.db, '客服小王', 'service');
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
  await page.locator('body').click({ position: { x: 5, y: 880 } });
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
