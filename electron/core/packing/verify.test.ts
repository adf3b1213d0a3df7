// Scan verification on a real migrated SQLite file: a waybill (or platform order number) finds its
// package and lines; item scans match by outer SKU code or any of the SKU's barcodes (any letter case), and refuse
// wrong, extra and unknown codes as results; refunds, closes and holds intercept; complete marks
// verified only when every line is scanned (a restart forgets counts, never verifies), confirms a
// label print the queue was unsure of when its waybill was scanned (scan-back), ships on scan
// through the outbox, and mandatory verification stops orders.ship and ship on print.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PackingScanWaybillResult, PackingScan } from '../../shared/contract.ts';
import type { PlatformOrder } from '../../shared/model.ts';
import { countRows, openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { holdOrders } from '../orders/commands.ts';
import { ingestOrders } from '../orders/ingest.ts';
import { shipOrders } from '../orders/ship.ts';
import { getJob } from '../printing/jobs.ts';
import { addPrinter } from '../printing/printers.ts';
import { enqueue } from '../printing/queue-commands.ts';
import { readStationSettings, updateStationSettings } from '../station/settings.ts';
import { addWaybillAccount } from '../waybills/accounts.ts';
import { allocateWaybills } from '../waybills/allocate.ts';
import { ensurePackages } from '../waybills/packages.ts';
import { addNumberRange } from '../waybills/pool.ts';
import { LINES_SQL, SKU_BY_CODE_SQL } from './package-scan.ts';
import { ScanSessions } from './sessions.ts';
import { shipOnPrint } from './ship-on-print.ts';
import { completePackage, scanItem, scanWaybill } from './verify.ts';

let fx: Fixture;
let accountId: string;
beforeEach(() => {
  fx = openFixture(0);
  // The fixture's SKUs get barcodes: the T-shirt is scanned by barcode, the socks by outer code.
  fx.db.$client.prepare("UPDATE skus SET barcode = '6901234567892', location = 'A-01-03' WHERE id = 'sku-1'").run();
  accountId = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] }).id;
  addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 50, width: 10 });
});
afterEach(() => fx.close());

/** Orders ingested, given a package each, and a waybill from the pool: [orderId, packageId, waybillNo]. */
async function printedOrders(...orders: PlatformOrder[]): Promise<{ orderId: string; packageId: string; waybillNo: string }[]> {
  const ids = fx.addOrders(orders);
  const pkgs = ensurePackages(fx.ctx(), ids).packages;
  const alloc = await allocateWaybills(fx.ctx(), pkgs.map((p) => p.packageId), accountId);
  expect(alloc.failed).toEqual([]);
  const printed = fx.db.$client.prepare("UPDATE packages SET printed_at = 1, state = 'printed' WHERE id = ?");
  const stage = fx.db.$client.prepare("UPDATE orders SET stage = 'printed' WHERE id = ?");
  return pkgs.map((p) => {
    printed.run(p.packageId);
    stage.run(p.orderId);
    return { orderId: p.orderId, packageId: p.packageId, waybillNo: alloc.allocated.find((a) => a.packageId === p.packageId)!.waybillNo };
  });
}

function scanOf(r: PackingScanWaybillResult): PackingScan {
  if (r.kind !== 'package') throw new Error(`expected a package, got ${r.kind}`);
  return r.scan;
}

const counts = (scan: PackingScan) => scan.lines.map((l) => `${l.lineNo}:${l.scanned}/${l.expected}`);

describe('packing.scanWaybill', () => {
  it('finds the package by waybill number (any case) and by platform order number, with lines, codes and location', async () => {
    const [o] = await printedOrders(platformOrder(1));
    const scan = scanOf(scanWaybill(fx.db, { code: o!.waybillNo.toLowerCase() }, new ScanSessions()));
    expect(scan.package).toMatchObject({ packageId: o!.packageId, orderId: o!.orderId, platformOrderId: 'P00000001', carrierCode: 'ZTO', waybillNo: o!.waybillNo, packageCount: 1, shopName: '杭州女装旗舰店' });
    expect(scan.lines.map((l) => [l.lineNo, l.outerSkuCode, l.barcode, l.location, l.expected, l.scanned])).toEqual([
      [1, 'NZ-2301-BK-M', '6901234567892', 'A-01-03', 2, 0],
      [2, 'SOCK-01', null, null, 1, 0],
    ]);
    expect(scan.intercept).toBeNull();
    expect(scan.complete).toBe(false);
    expect(scanOf(scanWaybill(fx.db, { code: 'P00000001' }, new ScanSessions())).package.packageId).toBe(o!.packageId);
  });

  it('says not_found for an unknown code and no_package for an order without a package', () => {
    expect(scanWaybill(fx.db, { code: 'ZT9999999999' }, new ScanSessions())).toEqual({ kind: 'not_found', code: 'ZT9999999999' });
    const [id] = fx.addOrders([platformOrder(7)]);
    expect(scanWaybill(fx.db, { code: 'P00000007' }, new ScanSessions())).toEqual({ kind: 'no_package', code: 'P00000007', orderId: id, platformOrderId: 'P00000007' });
  });

  it('looks the waybill up through the packages_waybill_uq index, not a table scan', () => {
    const plan = fx.db.$client
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM packages WHERE carrier_code IN (SELECT value FROM json_each(?)) AND waybill_no IN (SELECT value FROM json_each(?))`,
      )
      .all('["ZTO"]', '["X"]') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/packages USING (COVERING )?INDEX packages_waybill_uq/);
  });
});

describe('packing.scanItem', () => {
  it('counts barcode and outer-code scans up to the expected quantity and refuses the extra one', async () => {
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    const first = scanItem(fx.db, { packageId: o!.packageId, code: '6901234567892' }, s);
    expect(first).toMatchObject({ outcome: 'matched', lineNo: 1 });
    expect(counts(first.scan)).toEqual(['1:1/2', '2:0/1']);
    // A Caps-Lock scanner sends the outer code in the other case.
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'nz-2301-bk-m' }, s)).toMatchObject({ outcome: 'matched', lineNo: 1 });
    const extra = scanItem(fx.db, { packageId: o!.packageId, code: '6901234567892' }, s);
    expect(extra).toMatchObject({ outcome: 'refused', reason: 'extra', lineNo: 1 });
    expect(counts(extra.scan)).toEqual(['1:2/2', '2:0/1']);
    const last = scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s);
    expect(last.scan.complete).toBe(true);
  });

  it('refuses an item of another product as wrong_item (naming it) and a code nobody knows as unknown_code', async () => {
    fx.db.$client.prepare("INSERT INTO products (id, title, created_at) VALUES ('p3', '男士皮带', 0)").run();
    fx.db.$client.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, barcode, price_fen) VALUES ('sku-3', 'p3', 'BELT-9', '黑 110cm', '6900000000099', 5900)").run();
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    expect(scanItem(fx.db, { packageId: o!.packageId, code: '6900000000099' }, s)).toMatchObject({ outcome: 'refused', reason: 'wrong_item', itemTitle: '男士皮带 黑 110cm' });
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'BELT-9' }, s)).toMatchObject({ outcome: 'refused', reason: 'wrong_item' });
    const unknown = scanItem(fx.db, { packageId: o!.packageId, code: 'NOPE-123' }, s);
    expect(unknown).toMatchObject({ outcome: 'refused', reason: 'unknown_code', itemTitle: null });
    expect(counts(unknown.scan)).toEqual(['1:0/2', '2:0/1']);
  });

  it('matches any of a SKU\'s barcodes in sku_barcodes (not only skus.barcode), and still refuses a code nobody knows', async () => {
    const addBarcode = fx.db.$client.prepare('INSERT INTO sku_barcodes (barcode, sku_id, created_at) VALUES (?, ?, 0)');
    addBarcode.run('6901234567892', 'sku-1');
    addBarcode.run('6909999000017', 'sku-1');
    fx.db.$client.prepare("INSERT INTO products (id, title, created_at) VALUES ('p3', '男士皮带', 0)").run();
    // A SKU whose only barcode is in sku_barcodes: scanned into this order it is another product.
    fx.db.$client.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen) VALUES ('sku-3', 'p3', 'BELT-9', '黑 110cm', 5900)").run();
    addBarcode.run('6900000000105', 'sku-3');
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    expect(scanItem(fx.db, { packageId: o!.packageId, code: '6909999000017' }, s)).toMatchObject({ outcome: 'matched', lineNo: 1 });
    expect(scanItem(fx.db, { packageId: o!.packageId, code: '6901234567892' }, s)).toMatchObject({ outcome: 'matched', lineNo: 1 });
    expect(scanItem(fx.db, { packageId: o!.packageId, code: '6900000000105' }, s)).toMatchObject({ outcome: 'refused', reason: 'wrong_item', itemTitle: '男士皮带 黑 110cm' });
    const unknown = scanItem(fx.db, { packageId: o!.packageId, code: '6900000000999' }, s);
    expect(unknown).toMatchObject({ outcome: 'refused', reason: 'unknown_code', itemTitle: null });
    expect(counts(unknown.scan)).toEqual(['1:2/2', '2:0/1']);
  });

  it('looks barcodes up through sku_barcodes\' indexes, not a table scan', () => {
    const detail = (sql: string, ...args: string[]) =>
      (fx.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail).join('\n');
    const byCode = detail(SKU_BY_CODE_SQL, '["X"]', '["X"]', '["X"]');
    expect(byCode).toMatch(/sku_barcodes USING (COVERING )?INDEX sqlite_autoindex_sku_barcodes_1 \(barcode=\?\)/);
    expect(byCode).not.toMatch(/SCAN (TABLE )?sku_barcodes/);
    expect(byCode).not.toMatch(/SCAN (TABLE )?s\b/);
    const lines = detail(LINES_SQL, 'o');
    expect(lines).toMatch(/SEARCH b USING (COVERING )?INDEX sku_barcodes_sku_idx \(sku_id=\?\)/);
    expect(lines).not.toMatch(/SCAN (TABLE )?b\b/);
  });

  it('fills lines with the same code in line order (an item sold plus the same item as a gift)', async () => {
    const base = platformOrder(2);
    const gift = { ...base.items[1]!, platformItemId: 'I2-3', quantity: 1, unitPriceFen: 0, paidFen: 0, isGift: true };
    const [o] = await printedOrders({ ...base, items: [...base.items, gift] });
    const s = new ScanSessions();
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s)).toMatchObject({ outcome: 'matched', lineNo: 2 });
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s)).toMatchObject({ outcome: 'matched', lineNo: 3 });
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s)).toMatchObject({ outcome: 'refused', reason: 'extra', lineNo: 2 });
  });
});

describe('intercept (拦截)', () => {
  it('intercepts an order whose refund arrived after printing, at the waybill and at every item scan', async () => {
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s);
    // The refund request arrives through the sync engine, as it would from the platform.
    ingestOrders(fx.db, { shopId: fx.shopId, platform: 'taobao', orders: [{ order: platformOrder(1, { afterSale: 'requested', platformUpdatedAt: platformOrder(1).platformUpdatedAt + 5000 }), raw: {} }] }, Date.now());
    const scan = scanOf(scanWaybill(fx.db, { code: o!.waybillNo }, s));
    expect(scan.intercept).toEqual({ reason: 'refund_requested', detail: null, afterPrint: true });
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s)).toMatchObject({ outcome: 'refused', reason: 'intercepted' });
    for (const code of ['6901234567892', '6901234567892']) scanItem(fx.db, { packageId: o!.packageId, code }, s);
    expect(completePackage(fx.ctx(), { packageId: o!.packageId }, s)).toMatchObject({ outcome: 'refused', reason: 'intercepted' });
    expect(fx.db.$client.prepare('SELECT verified_at AS v FROM packages WHERE id = ?').get(o!.packageId)).toEqual({ v: null });
  });

  it('names the reason for held (with the hold reason), closed, refund in progress and a cancelled package', async () => {
    const [held, closed, refunding, cancelled] = await printedOrders(platformOrder(1), platformOrder(2), platformOrder(3), platformOrder(4));
    holdOrders(fx.ctx(), { ids: [held!.orderId], reason: '买家要求改地址' });
    // After printing, the platform closes order 2 and order 3's refund is in progress.
    const later = (n: number, o: Partial<PlatformOrder>) => ({ order: platformOrder(n, { ...o, platformUpdatedAt: platformOrder(n).platformUpdatedAt + 5000 }), raw: {} });
    ingestOrders(fx.db, { shopId: fx.shopId, platform: 'taobao', orders: [later(2, { status: 'closed', platformStatus: 'TRADE_CLOSED' }), later(3, { afterSale: 'in_progress' })] }, Date.now());
    fx.db.$client.prepare("UPDATE packages SET state = 'cancelled' WHERE id = ?").run(cancelled!.packageId);
    const verdict = (code: string) => scanOf(scanWaybill(fx.db, { code }, new ScanSessions())).intercept;
    expect(verdict(held!.waybillNo)).toEqual({ reason: 'held', detail: '买家要求改地址', afterPrint: true });
    expect(verdict(closed!.waybillNo)?.reason).toBe('closed');
    expect(verdict(refunding!.waybillNo)?.reason).toBe('refund_in_progress');
    expect(verdict(cancelled!.waybillNo)?.reason).toBe('package_cancelled');
  });
});

describe('packing.complete', () => {
  it('refuses an incomplete package, then marks it verified once (audited), and a restart forgets half-scanned counts', async () => {
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    scanItem(fx.db, { packageId: o!.packageId, code: '6901234567892' }, s);
    scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s);
    const opsBefore = countRows(fx.db, 'ops');
    expect(completePackage(fx.ctx(), { packageId: o!.packageId }, s)).toMatchObject({ outcome: 'refused', reason: 'incomplete' });
    expect(countRows(fx.db, 'ops')).toBe(opsBefore);
    // A crash/restart: a new session store knows nothing, so nothing can be completed from it.
    const restarted = new ScanSessions();
    expect(counts(scanOf(scanWaybill(fx.db, { code: o!.waybillNo }, restarted)))).toEqual(['1:0/2', '2:0/1']);
    expect(completePackage(fx.ctx(), { packageId: o!.packageId }, restarted)).toMatchObject({ outcome: 'refused', reason: 'incomplete' });
    scanItem(fx.db, { packageId: o!.packageId, code: '6901234567892' }, s);
    const packer = fx.as('packer', '小李');
    const done = completePackage(fx.ctx(packer), { packageId: o!.packageId }, s);
    expect(done).toMatchObject({ outcome: 'verified', verifiedBy: '小李', alreadyVerified: false, shipped: false, shipSkipped: null });
    expect(done.scan.complete).toBe(true);
    expect(countRows(fx.db, 'ops')).toBe(opsBefore + 1);
    const audit = fx.db.$client.prepare("SELECT command, entity_id AS entityId, field, actor FROM audit_log WHERE command = 'packing.complete'").all();
    expect(audit).toEqual([{ command: 'packing.complete', entityId: o!.packageId, field: 'verified_at', actor: '小李' }]);
    // Completing again changes nothing; scanning more is refused as already verified.
    expect(completePackage(fx.ctx(), { packageId: o!.packageId }, s)).toMatchObject({ outcome: 'verified', alreadyVerified: true, verifiedBy: '小李' });
    expect(countRows(fx.db, 'ops')).toBe(opsBefore + 1);
    expect(scanItem(fx.db, { packageId: o!.packageId, code: 'SOCK-01' }, s)).toMatchObject({ outcome: 'refused', reason: 'already_verified' });
    expect(scanOf(scanWaybill(fx.db, { code: o!.waybillNo }, s)).complete).toBe(true);
    // The order has not been shipped: the station ships manually by default.
    expect(fx.db.$client.prepare('SELECT stage FROM orders WHERE id = ?').get(o!.orderId)).toEqual({ stage: 'printed' });
  });

  it('scan-back: a label the queue was unsure of is confirmed when its waybill is scanned off it — never when found by order number', async () => {
    const [a, b, c] = await printedOrders(platformOrder(1), platformOrder(2), platformOrder(3));
    const printer = addPrinter(fx.ctx(), { name: 'P1', uri: 'tcp://127.0.0.1:9100', lang: 'tspl' });
    const jobFor = (o: { packageId: string; waybillNo: string }, state: string) => {
      const [r] = enqueue(fx.ctx(), [{ printerId: printer.id, idemKey: `${o.packageId}:${o.waybillNo}:1`, docType: 'waybill', packageId: o.packageId, payload: {} }]);
      fx.db.$client.prepare('UPDATE print_jobs SET state = ? WHERE id = ?').run(state, r!.job.id);
      fx.db.$client.prepare("UPDATE packages SET printed_at = NULL, state = 'allocated' WHERE id = ?").run(o.packageId);
      return r!.job.id;
    };
    const scanAll = (o: { packageId: string }, s: ScanSessions) => {
      for (const code of ['6901234567892', '6901234567892', 'SOCK-01']) scanItem(fx.db, { packageId: o.packageId, code }, s);
      return completePackage(fx.ctx(fx.as('packer', '小李')), { packageId: o.packageId }, s);
    };
    const stateOf = (id: string) => getJob(fx.db, id)!.state;
    const printedAt = (o: { packageId: string }) => (fx.db.$client.prepare('SELECT printed_at AS t FROM packages WHERE id = ?').get(o.packageId) as { t: number | null }).t;

    // a: its one job is uncertain; the packer scans the waybill off the label.
    const ja = jobFor(a!, 'uncertain');
    const s = new ScanSessions();
    scanWaybill(fx.db, { code: a!.waybillNo }, s);
    expect(scanAll(a!, s)).toMatchObject({ outcome: 'verified' });
    expect(stateOf(ja)).toBe('confirmed');
    expect(printedAt(a!)).not.toBeNull();
    expect(fx.db.$client.prepare("SELECT reason FROM audit_log WHERE command = 'print.confirmByScan' AND entity_id = ?").get(ja)).toEqual({ reason: '验货时扫到了这张面单' });

    // b: found by its order number — no label was scanned, so nothing is confirmed.
    const jb = jobFor(b!, 'uncertain');
    scanWaybill(fx.db, { code: 'P00000002' }, s);
    scanAll(b!, s);
    expect(stateOf(jb)).toBe('uncertain');

    // c: an uncertain job beside a confirmed copy — which one came out is not known; it stays for the operator.
    const jc = jobFor(c!, 'uncertain');
    const [copy] = enqueue(fx.ctx(), [{ printerId: printer.id, idemKey: `${c!.packageId}:${c!.waybillNo}:2`, docType: 'waybill', packageId: c!.packageId, payload: {} }]);
    fx.db.$client.prepare("UPDATE print_jobs SET state = 'confirmed' WHERE id = ?").run(copy!.job.id);
    scanWaybill(fx.db, { code: c!.waybillNo }, s);
    scanAll(c!, s);
    expect(stateOf(jc)).toBe('uncertain');
  });

  it('scan-back: a waybill typed in by hand, or a label whose cancelled first copy may have surfaced, confirms nothing', async () => {
    const [d, e] = await printedOrders(platformOrder(4), platformOrder(5));
    const printer = addPrinter(fx.ctx(), { name: 'P2', uri: 'tcp://127.0.0.1:9100', lang: 'tspl' });
    const job = (o: { packageId: string; waybillNo: string }, n: number, state: string, attempts: number) => {
      const [r] = enqueue(fx.ctx(), [{ printerId: printer.id, idemKey: `${o.packageId}:${n}`, docType: 'waybill', packageId: o.packageId, payload: {} }]);
      fx.db.$client.prepare('UPDATE print_jobs SET state = ?, attempts = ? WHERE id = ?').run(state, attempts, r!.job.id);
      return r!.job.id;
    };
    const scanAll = (o: { packageId: string }, s: ScanSessions) => {
      for (const code of ['6901234567892', '6901234567892', 'SOCK-01']) scanItem(fx.db, { packageId: o.packageId, code }, s);
      return completePackage(fx.ctx(fx.as('packer', '小李')), { packageId: o.packageId }, s);
    };
    const s = new ScanSessions();
    // d: the waybill number was typed off a pick list, not read off a label.
    const jd = job(d!, 1, 'uncertain', 1);
    scanWaybill(fx.db, { code: d!.waybillNo, keyed: true }, s);
    expect(scanAll(d!, s)).toMatchObject({ outcome: 'verified' });
    expect(getJob(fx.db, jd)!.state).toBe('uncertain');
    // e: the first copy went uncertain and was replaced (cancelled after sending); the reprint is 'sent'.
    // The label on the parcel may be either, so neither is confirmed for it.
    job(e!, 1, 'cancelled', 1);
    const reprinted = job(e!, 2, 'sent', 1);
    scanWaybill(fx.db, { code: e!.waybillNo }, s);
    scanAll(e!, s);
    expect(getJob(fx.db, reprinted)!.state).toBe('sent');
  });

  it('ships on scan: verified and shipped in one transaction, the ship push queued for the outbox', async () => {
    updateStationSettings(fx.ctx(), { shipOn: 'scan' });
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    for (const code of ['6901234567892', '6901234567892', 'SOCK-01']) scanItem(fx.db, { packageId: o!.packageId, code }, s);
    const done = completePackage(fx.ctx(), { packageId: o!.packageId }, s);
    expect(done).toMatchObject({ outcome: 'verified', shipped: true, shipSkipped: null });
    expect(done.scan.package.stage).toBe('shipped');
    expect(fx.db.$client.prepare('SELECT stage, carrier_code AS c, waybill_no AS w FROM orders WHERE id = ?').get(o!.orderId)).toEqual({ stage: 'shipped', c: 'ZTO', w: o!.waybillNo });
    const pushes = fx.db.$client.prepare('SELECT kind, payload, state FROM pushes WHERE order_id = ?').all(o!.orderId) as { kind: string; payload: string; state: string }[];
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ kind: 'ship', state: 'pending' });
    expect(JSON.parse(pushes[0]!.payload)).toMatchObject({ carrierCode: 'ZTO', waybillNo: o!.waybillNo });
    const names = (fx.db.$client.prepare('SELECT name FROM ops ORDER BY rowid').all() as { name: string }[]).map((r) => r.name);
    expect(names.slice(-2)).toEqual(['packing.complete', 'orders.ship']);
  });

  it('rolls back the verified mark when shipping on scan throws (both or neither)', async () => {
    updateStationSettings(fx.ctx(), { shipOn: 'scan' });
    const [o] = await printedOrders(platformOrder(1));
    const s = new ScanSessions();
    for (const code of ['6901234567892', '6901234567892', 'SOCK-01']) scanItem(fx.db, { packageId: o!.packageId, code }, s);
    // Force the ship's write to fail inside the transaction.
    fx.db.$client.exec(`CREATE TEMP TRIGGER fail_ship BEFORE UPDATE OF stage ON orders WHEN NEW.stage = 'shipped' BEGIN SELECT RAISE(ABORT, 'forced'); END`);
    expect(() => completePackage(fx.ctx(), { packageId: o!.packageId }, s)).toThrow(/forced/);
    expect(fx.db.$client.prepare('SELECT verified_at AS v FROM packages WHERE id = ?').get(o!.packageId)).toEqual({ v: null });
    expect(countRows(fx.db, 'pushes')).toBe(0);
    fx.db.$client.exec('DROP TRIGGER fail_ship');
    // The counts survived the failed attempt: completing again works.
    expect(completePackage(fx.ctx(), { packageId: o!.packageId }, s)).toMatchObject({ outcome: 'verified', shipped: true });
  });
});

describe('station settings and mandatory verification', () => {
  it('defaults to manual without mandatory verification, stores changes audited, and refuses ship-on-print with mandatory verification', () => {
    expect(readStationSettings(fx.db)).toEqual({ verificationRequired: false, shipOn: 'manual', prefetchWaybills: false, autoReviewClean: false, demoStation: false });
    expect(updateStationSettings(fx.ctx(), { verificationRequired: true })).toEqual({ verificationRequired: true, shipOn: 'manual', prefetchWaybills: false, autoReviewClean: false, demoStation: false });
    expect(readStationSettings(fx.db)).toEqual({ verificationRequired: true, shipOn: 'manual', prefetchWaybills: false, autoReviewClean: false, demoStation: false });
    expect(() => updateStationSettings(fx.ctx(), { shipOn: 'print' })).toThrow(/cannot be combined/);
    expect(fx.db.$client.prepare("SELECT field, before, after FROM audit_log WHERE command = 'station.updateSettings'").all()).toEqual([
      { field: 'verificationRequired', before: 'false', after: 'true' },
    ]);
    // An unreadable stored value falls back per field.
    fx.db.$client.prepare("UPDATE meta SET value = '{\"verificationRequired\":true,\"shipOn\":\"teleport\"}' WHERE key = 'station.settings'").run();
    expect(readStationSettings(fx.db)).toEqual({ verificationRequired: true, shipOn: 'manual', prefetchWaybills: false, autoReviewClean: false, demoStation: false });
  });

  it('orders.ship skips unverified orders as not_verified when verification is mandatory, and ships verified ones', async () => {
    const [a, b] = await printedOrders(platformOrder(1), platformOrder(2));
    const [noPackage] = fx.addOrders([platformOrder(3)]);
    updateStationSettings(fx.ctx(), { verificationRequired: true });
    const s = new ScanSessions();
    for (const code of ['6901234567892', '6901234567892', 'SOCK-01']) scanItem(fx.db, { packageId: a!.packageId, code }, s);
    expect(completePackage(fx.ctx(), { packageId: a!.packageId }, s)).toMatchObject({ outcome: 'verified', shipped: false });
    const r = shipOrders(fx.ctx(), {
      items: [
        { id: a!.orderId, carrierCode: 'ZTO', waybillNo: a!.waybillNo },
        { id: b!.orderId, carrierCode: 'ZTO', waybillNo: b!.waybillNo },
        { id: noPackage!, carrierCode: 'ZTO', waybillNo: 'ZT7777777777' },
      ],
    });
    expect(r).toEqual({ changed: 1, skipped: [{ id: b!.orderId, reason: 'not_verified' }, { id: noPackage!, reason: 'not_verified' }] });
    updateStationSettings(fx.ctx(), { verificationRequired: false });
    expect(shipOrders(fx.ctx(), { items: [{ id: b!.orderId, carrierCode: 'ZTO', waybillNo: b!.waybillNo }] }).changed).toBe(1);
  });

  it('the API: packers scan and complete, only owners/operators change settings, refusals come back as values', async () => {
    const [o] = await printedOrders(platformOrder(1));
    const packer = fx.as('packer', '小王');
    const scanned = await fx.call('packing.scanWaybill', { code: o!.waybillNo }, packer);
    expect(scanned.ok && (scanned.value as PackingScanWaybillResult).kind).toBe('package');
    const wrong = await fx.call('packing.scanItem', { packageId: o!.packageId, code: 'NOPE' }, packer);
    expect(wrong).toMatchObject({ ok: true, value: { outcome: 'refused', reason: 'unknown_code' } });
    for (const code of ['6901234567892', '6901234567892', 'SOCK-01']) await fx.call('packing.scanItem', { packageId: o!.packageId, code }, packer);
    expect(await fx.call('packing.complete', { packageId: o!.packageId }, packer)).toMatchObject({ ok: true, value: { outcome: 'verified', verifiedBy: '小王' } });
    expect(await fx.call('station.updateSettings', { shipOn: 'scan' }, packer)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await fx.call('station.updateSettings', {}, fx.owner)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await fx.call('station.updateSettings', { shipOn: 'scan' }, fx.owner)).toMatchObject({ ok: true, value: { shipOn: 'scan' } });
    expect(await fx.call('station.settings', {}, packer)).toMatchObject({ ok: true, value: { verificationRequired: false, shipOn: 'scan' } });
    expect(await fx.call('packing.complete', { packageId: 'nope' }, packer)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('shipOnPrint', () => {
  it('does nothing unless the station ships on print; then ships each printed package’s order once with its waybill', async () => {
    const [a, b] = await printedOrders(platformOrder(1), platformOrder(2, { afterSale: 'requested' }));
    expect(shipOnPrint(fx.ctx(), [a!.packageId])).toEqual({ enabled: false, changed: 0, skipped: [] });
    expect(countRows(fx.db, 'pushes')).toBe(0);
    updateStationSettings(fx.ctx(), { shipOn: 'print' });
    const r = shipOnPrint(fx.ctx(), [a!.packageId, a!.packageId, b!.packageId, 'missing']);
    expect(r).toEqual({ enabled: true, changed: 1, skipped: [{ id: 'missing', reason: 'not_found' }, { id: b!.orderId, reason: 'after_sale' }] });
    expect(fx.db.$client.prepare('SELECT waybill_no AS w FROM orders WHERE id = ?').get(a!.orderId)).toEqual({ w: a!.waybillNo });
    // Printing again (a reprint) does not ship twice.
    expect(shipOnPrint(fx.ctx(), [a!.packageId])).toEqual({ enabled: true, changed: 0, skipped: [{ id: a!.orderId, reason: 'unchanged' }] });
    expect(countRows(fx.db, 'pushes')).toBe(1);
  });
});
