// Scan verification (验货) at the packing station: scan a waybill, scan each item into it, complete.
// Refusals (wrong item, extra, unknown code, intercepted, incomplete) are results the screen shows,
// never exceptions. Completing writes the verified mark (an audited command), confirms a label print
// the queue was unsure of when its waybill was scanned off the label (scan-back), and, when the station
// ships on scan, ships the order through orders.ship in the same transaction — so the outbox tells
// the platform, and a crash leaves either both or neither.
import { isCarrierCode } from '../../shared/carriers.ts';
import type { ApiParsedInput, PackingCompleteResult, PackingScanItemResult, PackingScanWaybillResult } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { writeTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { shipOrders } from '../orders/ship.ts';
import { markDeliveredPrinted } from '../printing/mark-printed.ts';
import { confirmWaybillByScan } from '../printing/queue-commands.ts';
import { readStationSettings } from '../station/settings.ts';
import { findPackage, knownItemTitle, loadPackage, normalizeCode, toScan, type LoadedPackage } from './package-scan.ts';
import type { ScanSessions } from './sessions.ts';

/** The contract's waybill shape (shipItemSchema): a number orders.ship would refuse is not sent to it. */
const SHIPPABLE_WAYBILL = /^[A-Za-z0-9-]{6,40}$/;

function mustLoad(db: Db, packageId: string): LoadedPackage {
  const loaded = loadPackage(db, packageId);
  if (!loaded) throw reasonError('package.not_at_station', { packageId }, `no package ${packageId} at this station`);
  return loaded;
}

/** packing.scanWaybill: the package a waybill (or platform order) number names, its lines and verdict. */
export function scanWaybill(db: Db, input: ApiParsedInput<'packing.scanWaybill'>, sessions: ScanSessions): PackingScanWaybillResult {
  const found = findPackage(db, input.code);
  if (!found) return { kind: 'not_found', code: input.code };
  if (!('packageId' in found)) return { kind: 'no_package', code: input.code, orderId: found.orderId, platformOrderId: found.platformOrderId };
  // Scanning the same waybill again resumes its session: counts are kept until it is verified.
  // A scanner read the waybill number, so a label with it is on the bench; typed, it proves nothing.
  if (found.byWaybill && !input.keyed) sessions.foundByWaybillScan(found.packageId);
  return { kind: 'package', scan: toScan(mustLoad(db, found.packageId), sessions) };
}

/** packing.scanItem: one item code into the package — matched to the first line that still needs it, or refused. */
export function scanItem(db: Db, input: ApiParsedInput<'packing.scanItem'>, sessions: ScanSessions): PackingScanItemResult {
  const loaded = mustLoad(db, input.packageId);
  const code = input.code;
  const refuse = (reason: Extract<PackingScanItemResult, { outcome: 'refused' }>['reason'], lineNo: number | null = null, itemTitle: string | null = null): PackingScanItemResult => ({
    outcome: 'refused',
    reason,
    code,
    lineNo,
    itemTitle,
    scan: toScan(loaded, sessions),
  });
  const before = toScan(loaded, sessions);
  // Checked on every scan: a refund can arrive while the parcel is being packed.
  if (before.intercept) return refuse('intercepted');
  if (loaded.row.verifiedAt !== null) return refuse('already_verified');
  const wanted = normalizeCode(code);
  const matching = loaded.lines.filter((l) => l.codes.includes(wanted));
  if (matching.length === 0) {
    const title = knownItemTitle(db, code);
    return title !== null ? refuse('wrong_item', null, title) : refuse('unknown_code');
  }
  // The same SKU can sit on several lines (a gift of the item sold): fill them in line order.
  const open = matching.find((l) => sessions.scanned(loaded.row.packageId, l.lineNo) < l.expected);
  if (!open) return refuse('extra', matching[0]!.lineNo, matching[0]!.title);
  sessions.add(loaded.row.packageId, open.lineNo);
  return { outcome: 'matched', code, lineNo: open.lineNo, scan: toScan(loaded, sessions) };
}

/**
 * packing.complete: every line scanned → the order's live packages are marked verified (by whom,
 * when) in one audited command; on a ship-on-scan station the order is shipped in the same
 * transaction with this package's carrier and waybill. Completing a verified package again writes
 * nothing new but still ships it if that had not happened.
 */
export function completePackage(ctx: CoreContext, input: ApiParsedInput<'packing.complete'>, sessions: ScanSessions): PackingCompleteResult {
  const loaded = mustLoad(ctx.db, input.packageId);
  const scan = toScan(loaded, sessions);
  if (scan.intercept) return { outcome: 'refused', reason: 'intercepted', scan };
  const alreadyVerified = loaded.row.verifiedAt !== null;
  if (!alreadyVerified && !scan.complete) return { outcome: 'refused', reason: 'incomplete', scan };
  const settings = readStationSettings(ctx.db);
  const { row } = loaded;
  const client = ctx.db.$client;
  let shipped = false;
  let shipSkipped: string | null = null;
  // One transaction around both commands (runCommand nests as a savepoint): verified and shipped
  // commit together, so a crash never leaves a verified parcel that was meant to ship unshipped.
  writeTx(ctx.db, () => {
    if (!alreadyVerified) {
      runCommand(ctx, 'packing.complete', { packageId: row.packageId, orderId: row.orderId }, { tables: ['packages'] }, (scope) => {
        const live = client
          .prepare<[string], { id: string }>(`SELECT id FROM packages WHERE order_id = ? AND state <> 'cancelled' AND verified_at IS NULL`)
          .all(row.orderId);
        const mark = client.prepare(`UPDATE packages SET verified_at = ?, verified_by = ? WHERE id = ?`);
        // The order's lines were checked as a whole, so every live package of it is verified.
        for (const p of live) {
          mark.run(scope.at, ctx.actor.name, p.id);
          scope.audit({ entity: 'package', entityId: p.id, field: 'verified_at', before: null, after: scope.at });
        }
      });
    }
    // The waybill was scanned off the label: a print the queue was unsure of is confirmed, and the package printed.
    if (sessions.wasFoundByWaybillScan(row.packageId) && confirmWaybillByScan(ctx, row.packageId)) markDeliveredPrinted(ctx, [row.packageId]);
    if (settings.shipOn !== 'scan' || row.stage === 'shipped' || row.orderStatus !== 'awaiting_shipment') return;
    if (row.waybillNo === null || !SHIPPABLE_WAYBILL.test(row.waybillNo) || !isCarrierCode(row.carrierCode)) {
      shipSkipped = 'no_waybill';
      return;
    }
    const result = shipOrders(ctx, { items: [{ id: row.orderId, carrierCode: row.carrierCode, waybillNo: row.waybillNo }] });
    shipped = result.changed === 1;
    shipSkipped = result.skipped[0]?.reason ?? null;
  });
  sessions.end(row.packageId);
  const after = mustLoad(ctx.db, row.packageId);
  return {
    outcome: 'verified',
    verifiedAt: after.row.verifiedAt ?? ctx.now(),
    verifiedBy: after.row.verifiedBy ?? ctx.actor.name,
    alreadyVerified,
    shipped,
    shipSkipped,
    scan: toScan(after, sessions),
  };
}
