// Two browser stations on one team hub (a real `shopfleet hub serve` process on a temp PGlite dir;
// tests/e2e/hub-fixture.ts). Station A prints an order's label from 打印面单, which claims it on the
// hub; station B, after a sync, sees in its print dialog who holds the order and cannot print it (the
// refusal names A's station and person). Then the hub goes away, both edit the same order's memo
// offline, the hub comes back on its data and port, both sync, and both drawers show the same memo:
// the later edit (B's), by the hybrid logical clock (docs/team-hub.md#merge-rules-per-table).
// Desk only: it checks behaviour across stations; the screens are the ones other specs measure.
import { test, expect, type Page } from '@playwright/test';
import type { HubStatus, PrintPrecheck } from '../../electron/shared/contract.ts';
import { startCaptureServer, type CaptureServer } from '../../electron/sandbox/printing/capture-server.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';
import { startStation, startTestHub, type TestHub, type TestStation } from './hub-fixture.ts';

let hub: TestHub | null = null;
const stations: TestStation[] = [];
let printer: CaptureServer | null = null;
const pages: Page[] = [];

test.afterEach(async () => {
  // Pages first, so their WebSockets are gone before the hosts shut; a failing close stops no other.
  for (const p of pages.splice(0)) await p.close().catch(() => {});
  for (const s of stations.splice(0)) await s.close().catch((err) => console.warn(`station close: ${err}`));
  await hub?.close();
  await printer?.close();
  hub = null;
  printer = null;
});

async function call<T>(s: TestStation, name: string, input: unknown): Promise<T> {
  const res = await s.core.call(name, input);
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`);
  return res.value as T;
}

/** Finds the order by its platform number and selects its row. */
async function selectOrder(page: Page, id: string, platformOrderId: string): Promise<void> {
  await page.getByTestId('search-input').fill(platformOrderId);
  // The search has answered (a new filter clears the selection) once the list holds this order alone.
  await expect(page.getByTestId('result-total')).toHaveText(/共 1 个订单/);
  const row = page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);
  await expect(row).toBeVisible();
  await row.getByTestId('row-select').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', '1');
}

/** Opens the order's drawer and sets its seller memo through 修改备注. */
async function editMemo(page: Page, id: string, memo: string): Promise<void> {
  await page.locator(`[data-testid="order-row"][data-order-id="${id}"]`).dblclick();
  const drawer = page.getByTestId('order-drawer');
  await drawer.getByTestId('memo-edit').click();
  await page.getByTestId('memo-toggle').check();
  await page.getByTestId('memo-input').fill(memo);
  await page.getByTestId('dialog-confirm').click();
  await expect(drawer.getByTestId('drawer-messages')).toContainText(memo);
}

test('one station claims and prints, the other sees the holder and cannot print; a memo edited on both offline ends the same on both', async ({ page, context }) => {
  test.setTimeout(180_000);
  printer = await startCaptureServer({ lang: 'tspl' });
  hub = await startTestHub();
  // A is the team's first station: it joins with the owner's code and brings its demo orders.
  const a = await startStation({ hub, name: '一号打包台', demoOrders: 30, demoHistoryMs: 6 * 3_600_000, print: true });
  stations.push(a);
  // Orders reviewed at A wait in 待打单; the first that passes the pre-check is the one both want.
  const db = testDbOf(a.core).$client;
  const pending = (db.prepare("SELECT id FROM orders WHERE queue = 'pending_review' ORDER BY id").all() as { id: string }[]).map((r) => r.id);
  await call(a, 'orders.review', { ids: pending });
  const checks = await call<PrintPrecheck[]>(a, 'print.precheck', { ids: pending });
  const id = checks.find((c) => c.ok)!.id;
  const platformOrderId = db.prepare('SELECT platform_order_id FROM orders WHERE id = ?').pluck().get(id) as string;
  await a.sync();
  const b = await startStation({ hub, name: '二号打包台', code: await hub.invite('李雷', 'operator') });
  stations.push(b);
  for (const s of [a, b]) await call(s, 'printers.add', { name: '面单机', uri: printer.uri, lang: 'tspl', documents: ['waybill'] });

  // ── A prints the order's label: the hub gives A the claim, the label reaches the printer. ──
  const pageA = page;
  const pageB = await context.newPage();
  pages.push(pageA, pageB);
  await pageA.goto(a.url);
  await selectOrder(pageA, id, platformOrderId);
  await pageA.getByTestId('batch-print').click();
  const dialogA = pageA.getByTestId('print-dialog');
  await expect(dialogA.getByTestId('precheck-ok')).toHaveAttribute('data-count', '1');
  await expect(dialogA.getByTestId('precheck-claimed')).toHaveCount(0);
  await dialogA.getByTestId('print-start').click();
  await expect(dialogA.getByTestId('print-finished')).toHaveAttribute('data-printed', '1', { timeout: 60_000 });
  await expect.poll(() => printer!.jobs.filter((j) => j.complete).length, { timeout: 20_000 }).toBe(1);
  await pageA.keyboard.press('Escape');
  await expect(dialogA).toBeHidden();

  // ── B syncs: its print dialog names A as the holder, and printing is refused with A named. ──
  await b.sync();
  await pageB.goto(b.url);
  await selectOrder(pageB, id, platformOrderId);
  await pageB.getByTestId('batch-print').click();
  const dialogB = pageB.getByTestId('print-dialog');
  const held = dialogB.locator(`[data-testid="precheck-claimed"][data-order-id="${id}"]`);
  await expect(held).toContainText('一号打包台');
  await expect(held).toContainText(hub.owner);
  await dialogB.getByTestId('print-start').click();
  const refused = dialogB.locator(`[data-testid="print-failure"][data-order-id="${id}"]`);
  await expect(refused).toHaveAttribute('data-code', 'claim_held', { timeout: 30_000 });
  await expect(refused).toContainText('一号打包台');
  // Every order of the batch failed: the dialog is finished (nothing printed, one failure), not still checking.
  await expect(dialogB.getByTestId('print-finished')).toHaveAttribute('data-failed', '1');
  await expect(dialogB.getByTestId('print-finished')).toHaveAttribute('data-printed', '0');
  await expect(dialogB.getByTestId('print-stage')).not.toContainText('正在检查订单');
  expect(printer.jobs.filter((j) => j.complete)).toHaveLength(1);
  await pageB.keyboard.press('Escape');
  await expect(dialogB).toBeHidden();

  // ── The hub goes away; both edit the order's memo, A first, then B. ──
  await hub.stop();
  await editMemo(pageA, id, 'A 离线：送货前先电话');
  await editMemo(pageB, id, 'B 离线：改发顺丰');

  // ── The hub comes back on its data and port; both sync; both show B's memo (the later edit). ──
  await hub.restart();
  await a.sync();
  await b.sync();
  await a.sync();
  for (const p of [pageA, pageB]) await expect(p.getByTestId('order-drawer').getByTestId('drawer-messages')).toContainText('B 离线：改发顺丰');
  for (const s of [a, b]) expect(testDbOf(s.core).$client.prepare('SELECT seller_memo FROM orders WHERE id = ?').pluck().get(id)).toBe('B 离线：改发顺丰');
  // Nothing waits, and the hub refused nothing: the memo, review and claim work, and the print flow's
  // own ops (packages, waybill numbers, the queue's jobs and its "printed" mark).
  for (const s of [a, b]) {
    const status = await call<HubStatus>(s, 'hub.status', {});
    expect(status.opsWaiting).toBe(0);
    expect(status.refused.map((r) => ({ name: r.name, reason: r.reason }))).toEqual([]);
  }
  // So B holds A's printed label's package and waybill, pulled from the hub.
  const waybillsAt = (s: TestStation) =>
    testDbOf(s.core).$client.prepare('SELECT count(*) FROM packages WHERE order_id = ? AND waybill_no IS NOT NULL').pluck().get(id);
  expect(waybillsAt(b)).toBe(waybillsAt(a));
  expect(waybillsAt(a)).toBe(1);
});
