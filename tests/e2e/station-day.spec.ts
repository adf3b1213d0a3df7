// A packing station's day at full size (the printing work's acceptance run), end to end in Chromium: 200 orders
// awaiting print are selected with "select all" in 待打单, printed in one go by SKU to a port-9100
// TSPL printer at 203 dpi (a capture server), the printer is unplugged mid-batch and plugged back
// in, the failed label is retried — and the printer has received exactly one label per package, in
// the chosen order, each carrying its own waybill number (read back out of the label's barcode) and
// its seq/total place. Then five parcels are scanned at 验货 with ship-on-scan: a wrong item is
// refused, the right ones verify and ship.
//
// A second test covers the other half of that promise: a printer that drops off the network after it
// has taken a whole label leaves the label uncertain and the rest of the batch waiting, for the packer
// to confirm — never a second copy.
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import bwipjs from 'bwip-js/generic';
import type { PrintBatchView, PrintJobView, PrinterView, WaybillAccountInfo } from '../../electron/shared/contract.ts';
import type { Bitmap } from '../../electron/core/labels/bitmap.ts';
import { decodeTspl } from '../../electron/core/labels/encode.ts';
import { startCaptureServer, type CaptureServer } from '../../electron/sandbox/printing/capture-server.ts';
import { getJob } from '../../electron/core/printing/jobs.ts';
import { getPrinter } from '../../electron/core/printing/printers.ts';
import { renderJob } from '../../electron/core/printing/service.ts';
import { expect, test, type AppHandle } from './fixtures.ts';
import { scan } from './scanner.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

const HOUR = 3_600_000;
const ORDERS = 200;
/** The printer is unplugged right after this many whole labels. */
const UNPLUG_AFTER = 80;

// 420 demo orders over the last 12 hours leave ~330 paid orders still to review at any hour (the seed is fixed);
// 200 of them were reviewed earlier in the day and wait in 待打单.
test.use({ print: true, demoOrders: 420, demoHistoryMs: 12 * HOUR });

async function call<T>(app: AppHandle, name: string, input: unknown): Promise<T> {
  const res = await app.core.call(name, input);
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`);
  return res.value as T;
}

/** Every capture server a test started, closed after it (closing one twice is harmless). */
let printers: CaptureServer[] = [];
async function plugIn(opts: Parameters<typeof startCaptureServer>[0]): Promise<CaptureServer> {
  const p = await startCaptureServer(opts);
  printers.push(p);
  return p;
}
test.afterEach(async () => {
  await Promise.all(printers.map((p) => p.close()));
  printers = [];
});

/**
 * Pulls the printer's plug right after its nth whole label: the listener goes and every connection
 * with it, so the next connect is refused. Resolves once it is gone.
 */
function unplugAfter(printer: CaptureServer, n: number): Promise<void> {
  return new Promise((resolve) => {
    const jobs = printer.jobs;
    const push = jobs.push.bind(jobs);
    let pulled = false;
    jobs.push = (...items) => {
      const length = push(...items);
      if (!pulled && jobs.filter((j) => j.complete).length === n) {
        pulled = true;
        // After this label's connection handler has answered: the label itself got through whole.
        setImmediate(() => void printer.close().then(resolve));
      }
      return length;
    };
  });
}

/** Code128 bar/space widths in modules (bwip-js, the encoder behind the labels' barcodes), as a lookup key. */
function code128Key(value: string): string {
  const [first] = bwipjs.raw({ bcid: 'code128', text: value });
  if (!first || !('sbs' in first)) throw new Error(`bwip-js could not encode ${value}`);
  return first.sbs.join(',');
}

/**
 * The waybill number in a label's barcode, read from the printed bitmap: along each dot row, every
 * stretch of short bars and spaces (a quiet zone of 10+ modules bounds a Code128 symbol) is scaled by
 * its narrowest element — bars are whole dots per module — and looked up among the expected
 * numbers' bar patterns. null when no row carries any of them.
 */
function waybillInBitmap(bm: Bitmap, byPattern: ReadonlyMap<string, string>): string | null {
  const MAX_ELEMENT = 16; // 4 modules × at most 4 dots per module
  for (let y = 0; y < bm.height; y++) {
    const row = y * bm.stride;
    const runs: number[] = [];
    let colour = 0;
    let len = 0;
    for (let x = 0; x < bm.width; x++) {
      const px = ((bm.data[row + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
      if (px === colour) len++;
      else {
        runs.push(len);
        colour = px;
        len = 1;
      }
    }
    runs.push(len);
    // runs[0] is white (possibly empty), then black, white, ... alternately: odd indexes are bars.
    const lookUp = (from: number, to: number): string | null => {
      // runs[from..to), ending on a bar.
      const stretch = runs.slice(from, to % 2 === 1 ? to - 1 : to);
      if (stretch.length < 25) return null; // start + one symbol + check + stop
      const module = Math.min(...stretch);
      if (!stretch.every((r) => r % module === 0)) return null;
      return byPattern.get(stretch.map((r) => r / module).join(',')) ?? null;
    };
    let from = -1;
    for (let i = 1; i < runs.length; i++) {
      if ((runs[i] as number) > MAX_ELEMENT) {
        const hit = from >= 0 ? lookUp(from, i) : null;
        if (hit) return hit;
        from = -1;
      } else if (from < 0 && i % 2 === 1) from = i;
    }
    const hit = from >= 0 ? lookUp(from, runs.length) : null;
    if (hit) return hit;
  }
  return null;
}

/** Order ids of a selection in the order "by SKU" promises: first line's outer SKU code (else its title), then paid time, then id. */
function skuOrder(app: AppHandle, ids: readonly string[]): { bySku: string[]; byPaid: string[] } {
  const rows = testDbOf(app.core).$client
    .prepare(
      `SELECT o.id, coalesce(o.paid_at, o.created_at) AS paid,
         (SELECT coalesce(i.outer_sku_code, i.title) FROM order_items i WHERE i.order_id = o.id ORDER BY i.line_no LIMIT 1) AS sku
       FROM orders o WHERE o.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as { id: string; paid: number; sku: string }[];
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const byPaid = [...rows].sort((a, b) => cmp(a.paid, b.paid) || cmp(a.id, b.id));
  const bySku = [...rows].sort((a, b) => cmp(a.sku, b.sku) || cmp(a.paid, b.paid) || cmp(a.id, b.id));
  return { bySku: bySku.map((r) => r.id), byPaid: byPaid.map((r) => r.id) };
}

/** Reviews `count` paid orders of 待审核 whose only pre-check problem is the review itself. */
async function reviewForPrint(app: AppHandle, count: number): Promise<string[]> {
  const pending = (await call<{ rows: { id: string }[] }>(app, 'orders.list', { filter: { queue: 'pending_review' }, limit: 1000 })).rows.map((r) => r.id);
  const checks = await call<{ id: string; problems: string[] }[]>(app, 'print.precheck', { ids: pending });
  const ready = checks.filter((c) => c.problems.length === 1 && c.problems[0] === 'pending_review').map((c) => c.id);
  expect(ready.length).toBeGreaterThanOrEqual(count);
  const ids = ready.slice(0, count);
  await call(app, 'orders.review', { ids });
  return ids;
}

async function labelSetup(app: AppHandle, uri: string, settings: Record<string, unknown> = {}): Promise<{ printer: PrinterView; account: WaybillAccountInfo }> {
  const printer = await call<PrinterView>(app, 'printers.add', { name: '打包台面单机', uri, lang: 'tspl', dpi: 203, documents: ['waybill'], settings });
  const account = await call<WaybillAccountInfo>(app, 'waybillAccounts.add', { name: '中通自有号段', carrierCode: 'ZTO', kind: 'pool' });
  await call(app, 'waybillAccounts.addRange', { accountId: account.id, prefix: 'ZT', start: 7300000000, end: 7300000299 });
  return { printer, account };
}

/** 待打单 → select all → 打印面单 → pre-check passes for all → pool account, sort → 打印. */
async function printAllAwaiting(page: Page, count: number, accountId: string, sort: 'sku' | 'paidAt'): Promise<void> {
  await page.getByTestId('nav-orders').click();
  await page.getByTestId('queue-tab-awaiting_print').click();
  await expect(page.getByTestId('queue-count-awaiting_print')).toHaveText(String(count));
  await expect(page.getByTestId('order-row').first()).toBeVisible();
  await page.getByTestId('select-all-matching').click();
  await expect(page.getByTestId('selection-count')).toHaveAttribute('data-count', String(count));
  await page.getByTestId('batch-print').click();
  const dialog = page.getByTestId('print-dialog');
  await expect(dialog.getByTestId('precheck-ok')).toHaveAttribute('data-count', String(count));
  await expect(dialog.getByTestId('precheck-problem')).toHaveCount(0);
  await dialog.getByTestId('print-account').selectOption(accountId);
  await dialog.getByTestId('print-sort').selectOption(sort);
  await dialog.getByTestId('print-start').click();
}


interface Line {
  lineNo: number;
  outerSkuCode: string | null;
  quantity: number;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('a station day: 200 orders printed in one go by SKU, printer unplugged mid-batch and retried, one label per package, five parcels scanned and shipped', async ({ page, app }) => {
  test.setTimeout(120_000);
  const printerBefore = await plugIn({ lang: 'tspl' });
  const unplugged = unplugAfter(printerBefore, UNPLUG_AFTER);
  const { printer, account } = await labelSetup(app, printerBefore.uri);
  const reviewed = await reviewForPrint(app, ORDERS);
  const expected = skuOrder(app, reviewed);
  // Sorting by SKU must change the order, or the order assertions below could not tell.
  expect(expected.bySku).not.toEqual(expected.byPaid);

  // ── 待打单: select all 200, pre-check, by SKU, print. ──
  await printAllAwaiting(page, ORDERS, account.id, 'sku');
  const dialog = page.getByTestId('print-dialog');

  // ── Unplugged after label 80: the next label cannot go out, and the dialog says why in words. ──
  const failure = dialog.getByTestId('print-failure');
  await expect(failure).toHaveCount(1, { timeout: 60_000 });
  await expect(failure).toContainText('连接被拒绝');
  await expect(failure).toContainText('打印机未开机');
  await expect(dialog.getByTestId('print-stage')).toHaveText(`已打出 ${UNPLUG_AFTER}/${ORDERS}，后面 ${ORDERS - UNPLUG_AFTER - 1} 张在等：先处理下面这张，打印机才会接着打`);
  await unplugged;
  expect(printerBefore.jobs.filter((j) => j.complete)).toHaveLength(UNPLUG_AFTER);
  // The failed label holds the lane: nothing behind it overtook it.
  const batchId = (await call<PrintJobView[]>(app, 'printJobs.list', { limit: 10 }))[0]!.batchId!;
  const held = await call<PrintBatchView>(app, 'print.batch', { batchId });
  expect(held.counts).toMatchObject({ failed: 1, queued: ORDERS - UNPLUG_AFTER - 1, sending: 0 });
  expect(held.jobs.find((j) => j.state === 'failed')!.seq).toBe(UNPLUG_AFTER + 1);

  // ── Plugged back in at the same address; 重试失败 sends the held label and everything behind it. ──
  const printerAfter = await plugIn({ lang: 'tspl', port: printerBefore.port });
  await dialog.getByTestId('print-retry-failed').click();
  const finished = dialog.getByTestId('print-finished');
  await expect(finished).toHaveAttribute('data-printed', String(ORDERS), { timeout: 60_000 });
  await expect(finished).toHaveAttribute('data-failed', '0');
  await expect(failure).toHaveCount(0);

  // ── What reached the printer: 200 whole labels, one per package, in print order. ──
  const arrived = [...printerBefore.jobs, ...printerAfter.jobs];
  expect(arrived.filter((j) => !j.complete)).toEqual([]);
  expect(arrived).toHaveLength(ORDERS);
  expect(new Set(arrived.map((j) => sha(j.bytes))).size).toBe(ORDERS);
  const batch = await call<PrintBatchView>(app, 'print.batch', { batchId });
  expect(batch.jobs).toHaveLength(ORDERS);
  expect(batch.counts.sent + batch.counts.confirmed).toBe(ORDERS);
  const byPattern = new Map(batch.jobs.map((j) => [code128Key(j.waybillNo!), j.waybillNo!]));
  expect(byPattern.size).toBe(ORDERS);
  const printed = arrived.map((j) => {
    const label = decodeTspl(j.bytes);
    // 76×130 mm stock at 203 dpi (8 dots/mm), one copy.
    expect([label.bitmap.width, label.widthMm, label.heightMm, label.copies]).toEqual([608, 76, 130, 1]);
    return waybillInBitmap(label.bitmap, byPattern);
  });
  expect(printed.filter((w) => w === null)).toEqual([]);
  expect(new Set(printed).size).toBe(ORDERS);
  // Label i carries the waybill of the job with seq i of 200, and that job is the i-th order by SKU.
  expect(batch.jobs.map((j) => `${j.seq}/${j.total}`)).toEqual(Array.from({ length: ORDERS }, (_, i) => `${i + 1}/${ORDERS}`));
  expect(printed).toEqual(batch.jobs.map((j) => j.waybillNo));
  expect(batch.jobs.map((j) => j.orderId)).toEqual(expected.bySku);
  expect(batch.jobs.every((j) => j.reprintOf === null && j.attempts >= 1)).toBe(true);
  // The seq/total marker is drawn on the label: the job re-rendered is the label that arrived, byte for
  // byte, and the same job with another seq is not (first, either side of the unplug, last).
  const station = getPrinter(testDbOf(app.core), printer.id)!;
  for (const seq of [1, UNPLUG_AFTER, UNPLUG_AFTER + 1, ORDERS]) {
    const job = getJob(testDbOf(app.core), batch.jobs[seq - 1]!.id)!;
    expect((await renderJob(testDbOf(app.core), job, station)).equals(arrived[seq - 1]!.bytes)).toBe(true);
    expect((await renderJob(testDbOf(app.core), { ...job, seq: seq === 1 ? 2 : 1 }, station)).equals(arrived[seq - 1]!.bytes)).toBe(false);
  }

  // ── The workbench agrees: all 200 moved to 已打单; the pool gave out exactly 200 numbers. ──
  await dialog.getByTestId('dialog-cancel').click();
  await expect(page.getByTestId('queue-count-awaiting_print')).toHaveText('0');
  await expect(page.getByTestId('queue-count-printed')).toHaveText(String(ORDERS));
  const pool = (await call<WaybillAccountInfo[]>(app, 'waybillAccounts.list', {})).find((a) => a.id === account.id)!.pool;
  expect(pool).toEqual({ used: ORDERS, free: 300 - ORDERS });

  // ── 验货 with ship on scan: five parcels — first, either side of the unplug, two more. ──
  const client = testDbOf(app.core).$client;
  const linesOf = (orderId: string) =>
    client.prepare('SELECT line_no AS lineNo, outer_sku_code AS outerSkuCode, quantity FROM order_items WHERE order_id = ? ORDER BY line_no').all(orderId) as Line[];
  // A parcel can be verified by scan when every line carries a code; take the nearest such job at or after each place.
  const parcels: { orderId: string; waybillNo: string; lines: Line[] }[] = [];
  for (const at of [1, UNPLUG_AFTER, UNPLUG_AFTER + 1, 140, 190]) {
    const job = batch.jobs.slice(at - 1).find((j) => !parcels.some((p) => p.orderId === j.orderId) && linesOf(j.orderId!).every((l) => l.outerSkuCode));
    expect(job, `a scannable parcel at or after label ${at}`).toBeDefined();
    parcels.push({ orderId: job!.orderId!, waybillNo: job!.waybillNo!, lines: linesOf(job!.orderId!) });
  }
  const first = parcels[0]!;
  const wrongCode = (
    client.prepare('SELECT outer_sku_code AS code FROM order_items WHERE outer_sku_code IS NOT NULL AND outer_sku_code NOT IN (SELECT value FROM json_each(?)) LIMIT 1').get(
      JSON.stringify(first.lines.map((l) => l.outerSkuCode)),
    ) as { code: string }
  ).code;

  await page.getByTestId('nav-packing').click();
  const input = page.getByTestId('packing-input');
  await expect(input).toBeFocused();
  await page.getByTestId('packing-ship-on').selectOption('scan');
  await expect.poll(async () => (await call<{ shipOn: string }>(app, 'station.settings', {})).shipOn).toBe('scan');
  await expect(input).toBeFocused();

  for (const [n, parcel] of parcels.entries()) {
    await scan(page, parcel.waybillNo);
    await expect(page.getByTestId('packing-waybill')).toHaveText(parcel.waybillNo);
    for (const l of parcel.lines) await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-scanned', '0');
    if (n === 0) {
      // The packer picked up the wrong product: refused in words, nothing counted.
      await scan(page, wrongCode);
      await expect(page.getByTestId('packing-feedback')).toHaveAttribute('data-tone', 'error');
      await expect(page.getByTestId('packing-feedback')).toContainText('错货');
      for (const l of parcel.lines) await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-scanned', '0');
    }
    for (const l of parcel.lines) for (let q = 0; q < l.quantity; q++) await scan(page, l.outerSkuCode!);
    await expect(page.getByTestId('packing-feedback')).toHaveText('已验货 · 已发货');
    await expect(page.getByTestId('packing-status')).toHaveAttribute('data-status', 'shipped');
    for (const l of parcel.lines) await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-scanned', String(l.quantity));
  }
  // Each scanned parcel shipped with the number on its label and one ship push; the other 195 did not ship.
  for (const p of parcels) {
    expect(client.prepare('SELECT stage, waybill_no AS waybillNo FROM orders WHERE id = ?').get(p.orderId)).toEqual({ stage: 'shipped', waybillNo: p.waybillNo });
    expect(client.prepare("SELECT count(*) AS n FROM pushes WHERE order_id = ? AND kind = 'ship'").get(p.orderId)).toEqual({ n: 1 });
  }
  expect(client.prepare("SELECT count(*) AS n FROM orders WHERE stage = 'shipped' AND id IN (SELECT value FROM json_each(?))").get(JSON.stringify(reviewed))).toEqual({ n: parcels.length });
  expect(client.prepare("SELECT count(*) AS n FROM pushes WHERE kind = 'ship'").get()).toEqual({ n: parcels.length });
  // Scanning the parcels printed nothing more.
  expect(printerAfter.jobs.length + printerBefore.jobs.length).toBe(ORDERS);
  expect(app.pageErrors).toEqual([]);
});

// A network printer that takes a whole label and then drops off the network before closing the
// connection (cable pulled, power lost) leaves the sender waiting for a close that never comes. The
// label may be in the printer, so the job is 'uncertain', never offered for retry, and the two labels
// behind it wait: the dialog asks the packer, who looks at the printer and answers — 已打印 here — and
// the rest follow; no second copy of the first ever goes out.
test('a printer that drops off after taking a whole label: the rest wait, the packer confirms it, nothing prints twice', async ({ page, app }) => {
  test.setTimeout(60_000);
  // Takes every byte, then never closes within the sender's 1 s timeout: the link is gone.
  const gone = await plugIn({ lang: 'tspl', closeDelayMs: 5_000 });
  const { account } = await labelSetup(app, gone.uri, { timeoutMs: 1000 });
  await reviewForPrint(app, 3);
  await printAllAwaiting(page, 3, account.id, 'paidAt');
  const dialog = page.getByTestId('print-dialog');
  // The first label holds the lane: the other two are not sent into a printer that swallows labels.
  await expect(dialog.getByTestId('print-held')).toHaveAttribute('data-waiting', '2', { timeout: 20_000 });
  await expect(dialog.getByTestId('print-stage')).toContainText('已打出 0/3，后面 2 张在等');
  await expect.poll(() => gone.jobs.filter((j) => j.complete).length).toBe(1);
  expect(gone.jobs).toHaveLength(1);
  const unsure = dialog.getByTestId('print-uncertain-job');
  await expect(unsure).toHaveCount(1);
  await expect(unsure).toContainText('打印机可能已收到');
  await expect(unsure).toContainText('超时');
  // Nothing offers to send it again.
  await expect(dialog.getByTestId('print-retry-failed')).toHaveCount(0);

  // The printer is back; the label is there, and the packer says so.
  await gone.close();
  const back = await plugIn({ lang: 'tspl', port: gone.port });
  // A double click is one answer, never an answer and then a "不是状态不明" error.
  await unsure.getByTestId('print-uncertain-printed').dblclick();
  await expect(dialog.getByTestId('print-finished')).toHaveAttribute('data-printed', '3', { timeout: 20_000 });
  await expect(page.locator('[data-testid="toast"][data-kind="error"]')).toHaveCount(0);
  await expect(dialog.getByTestId('print-finished')).toHaveAttribute('data-uncertain', '0');
  await expect(dialog.getByTestId('print-finished')).toHaveAttribute('data-failed', '0');
  await expect(unsure).toHaveCount(0);
  await app.core.printQueue.drain();
  const labels = [...gone.jobs, ...back.jobs].filter((j) => j.complete);
  expect(labels, 'one label per package at the printer').toHaveLength(3);
  expect(back.jobs.filter((j) => j.complete)).toHaveLength(2);
  expect(new Set(labels.map((j) => sha(j.bytes))).size).toBe(3);
  expect(app.pageErrors).toEqual([]);
});

// Scan-back (docs/printing/queue.md#failure-modes, "the most reliable in packing"): a label the queue was
// unsure of is confirmed when a scanner reads its waybill at 验货 — but a number keyed in by hand (typed off a
// pick list) proves no label, so that one stays for the packer to answer. The page tells the two apart by
// keystroke timing, in the browser.
test('scan-back at 验货: a scanned label confirms its uncertain print, a waybill typed by hand does not', async ({ page, app }) => {
  test.setTimeout(60_000);
  // Two printers that each take a label and drop off: one uncertain label on each lane.
  const gone = [await plugIn({ lang: 'tspl', closeDelayMs: 5_000 }), await plugIn({ lang: 'tspl', closeDelayMs: 5_000 })];
  const { printer, account } = await labelSetup(app, gone[0]!.uri, { timeoutMs: 1000 });
  const second = await call<PrinterView>(app, 'printers.add', { name: '打包台二号', uri: gone[1]!.uri, lang: 'tspl', dpi: 203, documents: ['waybill'], settings: { timeoutMs: 1000 } });
  const client = testDbOf(app.core).$client;
  const linesOf = (orderId: string) =>
    client.prepare('SELECT line_no AS lineNo, outer_sku_code AS outerSkuCode, quantity FROM order_items WHERE order_id = ? ORDER BY line_no').all(orderId) as Line[];
  const [typedId, scannedId] = (await reviewForPrint(app, 20)).filter((id) => linesOf(id).every((l) => l.outerSkuCode));
  expect(scannedId).toBeDefined();
  for (const [orderId, printerId] of [[typedId!, printer.id], [scannedId!, second.id]] as const) {
    await call(app, 'print.labels', { ids: [orderId], printerId, accountId: account.id, skipProblems: false });
  }
  const jobOf = async (orderId: string) => (await call<PrintJobView[]>(app, 'printJobs.list', { limit: 50 })).find((j) => j.orderId === orderId && j.docType === 'waybill')!;
  await expect.poll(async () => (await jobOf(typedId!))?.state, { timeout: 20_000 }).toBe('uncertain');
  await expect.poll(async () => (await jobOf(scannedId!))?.state, { timeout: 20_000 }).toBe('uncertain');

  await page.getByTestId('nav-packing').click();
  const input = page.getByTestId('packing-input');
  await expect(input).toBeFocused();
  for (const [orderId, keyedByHand] of [[typedId!, true], [scannedId!, false]] as const) {
    const { waybillNo } = await jobOf(orderId);
    if (keyedByHand) {
      // A person typing the number off the pick list, a key every 120 ms.
      await page.keyboard.type(waybillNo!, { delay: 120 });
      await page.keyboard.press('Enter');
    } else await scan(page, waybillNo!);
    await expect(page.getByTestId('packing-waybill')).toHaveText(waybillNo!);
    // The packer is told a typed number confirms no label; a scanned one gets the plain hint.
    if (keyedByHand) await expect(page.getByTestId('packing-feedback')).toContainText('手工输入');
    else await expect(page.getByTestId('packing-feedback')).not.toContainText('手工输入');
    for (const l of linesOf(orderId)) for (let q = 0; q < l.quantity; q++) await scan(page, l.outerSkuCode!);
    await expect(page.getByTestId('packing-feedback')).toHaveText('已验货');
  }
  expect((await jobOf(typedId!)).state, 'typed by hand: no label was seen').toBe('uncertain');
  expect((await jobOf(scannedId!)).state, 'read off the label by a scanner').toBe('confirmed');
  // Nothing was sent again on either printer.
  expect(gone.map((g) => g.jobs.length)).toEqual([1, 1]);
  expect(app.pageErrors).toEqual([]);
});
