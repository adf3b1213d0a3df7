// Scan verification (验货) end to end: two demo orders get a package and a waybill from a pool
// account (electron/core/waybills) and are printed; at the 验货 page a "scanner" types the waybill
// and Enter; a wrong item and an unknown code are refused with a red flash and the reason; the right
// codes count up to verified — and, with the station set to ship on scan, shipped with a push-back
// queued. The second order's refund arrives after printing: its waybill raises the 拦截 alert, which
// only Esc dismisses.
import type { Page } from '@playwright/test';
import { HybridClock } from '../../electron/core/api/hlc.ts';
import type { CoreContext } from '../../electron/core/api/command.ts';
import { addWaybillAccount } from '../../electron/core/waybills/accounts.ts';
import { allocateWaybills } from '../../electron/core/waybills/allocate.ts';
import { ensurePackages } from '../../electron/core/waybills/packages.ts';
import { addNumberRange } from '../../electron/core/waybills/pool.ts';
import { expect, test, type AppHandle } from './fixtures.ts';
import { scan } from './scanner.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

test.use({ demoOrders: 200 });

interface Line {
  lineNo: number;
  outerSkuCode: string;
  quantity: number;
}

function ctxOf(app: AppHandle): CoreContext {
  return { db: testDbOf(app.core), actor: app.core.defaultActor, events: app.core.events, clock: new HybridClock('e2e', Date.now), now: Date.now };
}

/** Two shippable demo orders whose lines all carry an outer SKU code, each with a printed pool waybill. */
async function printedOrders(app: AppHandle): Promise<{ orderId: string; platformOrderId: string; waybillNo: string; lines: Line[] }[]> {
  const client = testDbOf(app.core).$client;
  const orders = client
    .prepare(
      `SELECT o.id, o.shop_id AS shopId, o.platform_order_id AS platformOrderId FROM orders o
       WHERE o.status = 'awaiting_shipment' AND o.after_sale = 'none' AND o.hold_reason IS NULL AND o.stage <> 'shipped'
         AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND i.outer_sku_code IS NULL)
       ORDER BY o.paid_at DESC LIMIT 2`,
    )
    .all() as { id: string; shopId: string; platformOrderId: string }[];
  expect(orders).toHaveLength(2);
  const ctx = ctxOf(app);
  const account = addWaybillAccount(ctx, { name: '中通自有面单', carrierCode: 'ZTO', kind: 'pool', shopIds: [...new Set(orders.map((o) => o.shopId))] });
  addNumberRange(ctx, account.id, { prefix: 'ZT', start: 880001, end: 880050, width: 10 });
  const pkgs = ensurePackages(ctx, orders.map((o) => o.id), { accountId: account.id });
  expect(pkgs.skipped).toEqual([]);
  const alloc = await allocateWaybills(ctx, pkgs.packages.map((p) => p.packageId), account.id);
  expect(alloc.failed).toEqual([]);
  // What the print flow records when the label is out (the print queue's confirmation).
  client.prepare(`UPDATE packages SET printed_at = ?, state = 'printed' WHERE id IN (SELECT value FROM json_each(?))`).run(Date.now(), JSON.stringify(pkgs.packages.map((p) => p.packageId)));
  return orders.map((o) => {
    const pkg = pkgs.packages.find((p) => p.orderId === o.id)!;
    const lines = client
      .prepare('SELECT line_no AS lineNo, outer_sku_code AS outerSkuCode, quantity FROM order_items WHERE order_id = ? ORDER BY line_no')
      .all(o.id) as Line[];
    return { orderId: o.id, platformOrderId: o.platformOrderId, waybillNo: alloc.allocated.find((a) => a.packageId === pkg.packageId)!.waybillNo, lines };
  });
}


test('验货: scan a waybill, refuse wrong and unknown items, verify and ship on scan; a refund after printing is intercepted', async ({ page, app }) => {
  test.setTimeout(120_000);
  const [good, refunded] = await printedOrders(app);
  const client = testDbOf(app.core).$client;
  // A product of the catalogue that is not in the good order: the "wrong item" a packer picks up.
  const goodCodes = good!.lines.map((l) => l.outerSkuCode);
  const wrong = client
    .prepare(`SELECT outer_sku_code AS code FROM skus WHERE outer_sku_code NOT IN (SELECT value FROM json_each(?)) LIMIT 1`)
    .get(JSON.stringify(goodCodes)) as { code: string } | undefined;
  const wrongCode = wrong?.code ?? (client.prepare(`SELECT outer_sku_code AS code FROM order_items WHERE outer_sku_code NOT IN (SELECT value FROM json_each(?)) LIMIT 1`).get(JSON.stringify(goodCodes)) as { code: string }).code;

  await page.getByTestId('nav-packing').click();
  await expect(page.getByTestId('packing-page')).toBeVisible();
  const input = page.getByTestId('packing-input');
  await expect(input).toBeFocused();

  // ── The station ships on scan (the settings form on this page). ──
  await page.getByTestId('packing-ship-on').selectOption('scan');
  await expect.poll(async () => ((await app.core.call('station.settings', {})) as { ok: true; value: { shipOn: string } }).value.shipOn).toBe('scan');
  await expect(input).toBeFocused();

  // ── Scan the waybill: the order's lines appear with nothing scanned. ──
  await scan(page, good!.waybillNo);
  await expect(page.getByTestId('packing-waybill')).toHaveText(good!.waybillNo);
  for (const l of good!.lines) {
    await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-scanned', '0');
    await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-expected', String(l.quantity));
  }

  // ── A wrong item: refused loudly (red flash, the reason in large text), nothing counted. ──
  await scan(page, wrongCode);
  await expect(page.getByTestId('packing-feedback')).toHaveAttribute('data-tone', 'error');
  await expect(page.getByTestId('packing-feedback')).toContainText('错货');
  await expect(page.getByTestId('packing-flash')).toHaveAttribute('data-tone', 'error');
  await scan(page, 'NO-SUCH-CODE-42');
  await expect(page.getByTestId('packing-feedback')).toContainText('未知条码：NO-SUCH-CODE-42');
  for (const l of good!.lines) await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-scanned', '0');
  await expect(input).toBeFocused();

  // ── The right items, each counted with a green flash; the last one completes the parcel. ──
  const scans = good!.lines.flatMap((l) => Array.from({ length: l.quantity }, () => l));
  for (const [i, l] of scans.entries()) {
    // Lower case, as a scanner behind Caps Lock would send it: still the same code.
    await scan(page, i === 0 ? l.outerSkuCode.toLowerCase() : l.outerSkuCode);
    if (i < scans.length - 1) {
      await expect(page.getByTestId('packing-feedback')).toHaveAttribute('data-tone', 'ok');
      await expect(page.getByTestId('packing-flash')).toHaveAttribute('data-tone', 'ok');
    }
  }
  await expect(page.getByTestId('packing-feedback')).toHaveText('已验货 · 已发货');
  await expect(page.getByTestId('packing-status')).toHaveAttribute('data-status', 'shipped');
  for (const l of good!.lines) await expect(page.getByTestId(`packing-line-${l.lineNo}`)).toHaveAttribute('data-scanned', String(l.quantity));
  const pkg = client.prepare('SELECT verified_at AS verifiedAt, verified_by AS verifiedBy FROM packages WHERE order_id = ?').get(good!.orderId) as { verifiedAt: number | null; verifiedBy: string };
  expect(pkg.verifiedAt).not.toBeNull();
  expect(pkg.verifiedBy).toBe(app.core.defaultActor.name);
  expect(client.prepare('SELECT stage, waybill_no AS waybillNo FROM orders WHERE id = ?').get(good!.orderId)).toEqual({ stage: 'shipped', waybillNo: good!.waybillNo });
  expect(client.prepare("SELECT count(*) AS n FROM pushes WHERE order_id = ? AND kind = 'ship'").get(good!.orderId)).toEqual({ n: 1 });

  // ── The second order's refund arrives after its label was printed (as the sync engine would write it). ──
  client.prepare("UPDATE orders SET after_sale = 'requested', local_updated_at = ? WHERE id = ?").run(Date.now(), refunded!.orderId);
  await scan(page, refunded!.waybillNo);
  const alert = page.getByTestId('packing-intercept');
  await expect(alert).toBeVisible();
  await expect(alert).toHaveAttribute('data-reason', 'refund_requested');
  await expect(alert).toContainText('拦截');
  await expect(alert).toContainText('买家已申请退款');
  await expect(alert).toContainText('面单已打印');
  // A scanner's Enter (or any scan) does not dismiss it; only Esc does.
  await scan(page, refunded!.lines[0]!.outerSkuCode);
  await expect(alert).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(alert).toBeHidden();
  await expect(input).toBeFocused();
  expect(client.prepare('SELECT verified_at AS v FROM packages WHERE order_id = ?').get(refunded!.orderId)).toEqual({ v: null });
  expect(app.pageErrors).toEqual([]);
});
