// Packages (包裹): one parcel of an order, the unit a waybill number belongs to. ensurePackages gives
// every order that has none its package 1, with the carrier of the waybill account chosen for it —
// the one the caller names, or the shop's (accounts.ts accountForShop). Its id is the idempotency key
// of the allocation that follows (allocate.ts).
import { v7 as uuidv7 } from 'uuid';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredPackage } from '../db/rows.ts';
import type { WaybillRouting } from '../platforms/contract.ts';
import { accountForShop, getWaybillAccount, type WaybillAccountView } from './accounts.ts';

/** Ids per json_each statement. */
export const ID_CHUNK = 5000;

/** Why an order got no package: a stable code (the UI translates it) and an English sentence. */
export const PACKAGE_SKIP_REASONS = {
  not_found: 'No order with this id exists at this station.',
  not_shippable: 'The order is not awaiting shipment (unpaid, shipped, completed or closed).',
  no_account: 'No waybill account is set for this order\'s shop; add one or choose one.',
} as const;
export type PackageSkipReason = keyof typeof PACKAGE_SKIP_REASONS;

export interface EnsureResult {
  /** Every order that has a package now, with its first open package (created: made by this call). */
  packages: { orderId: string; packageId: string; created: boolean }[];
  skipped: { orderId: string; code: PackageSkipReason; reason: string }[];
}

type OrderRow = Pick<StoredOrder, 'id' | 'shopId' | 'status'>;

type PackageRow = Pick<StoredPackage, 'id' | 'orderId' | 'seq'>;

/** The first package of each order that is not cancelled (packages_order_seq_uq serves the lookup). */
function openPackages(db: Db, orderIds: readonly string[]): Map<string, PackageRow> {
  const out = new Map<string, PackageRow>();
  const stmt = db.$client.prepare<[string], PackageRow>(
    `SELECT id, order_id AS orderId, seq FROM packages
     WHERE order_id IN (SELECT value FROM json_each(?)) AND state <> 'cancelled' ORDER BY order_id, seq`,
  );
  for (let i = 0; i < orderIds.length; i += ID_CHUNK) {
    for (const p of stmt.all(JSON.stringify(orderIds.slice(i, i + ID_CHUNK)))) if (!out.has(p.orderId)) out.set(p.orderId, p);
  }
  return out;
}

/**
 * Create package 1 (or the next seq after cancelled ones) for the orders that have no open package.
 * Orders that already have one keep it and are listed with created: false. One command transaction
 * for all creations (audit per package); nothing is written when every order already has a package.
 */
export function ensurePackages(ctx: CoreContext, orderIds: readonly string[], opts: { accountId?: string } = {}): EnsureResult {
  const client = ctx.db.$client;
  const ids = [...new Set(orderIds)];
  let named: WaybillAccountView | null = null;
  if (opts.accountId !== undefined) {
    named = getWaybillAccount(ctx.db, opts.accountId);
    if (!named) throw reasonError('waybill_account.not_found', { accountId: opts.accountId }, `no waybill account ${opts.accountId}`);
  }
  const orderStmt = client.prepare<[string], OrderRow>('SELECT id, shop_id AS shopId, status FROM orders WHERE id IN (SELECT value FROM json_each(?))');
  const orders = new Map<string, OrderRow>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const o of orderStmt.all(JSON.stringify(ids.slice(i, i + ID_CHUNK)))) orders.set(o.id, o);
  const existing = openPackages(ctx.db, ids);
  const byShop = new Map<string, WaybillAccountView | null>();
  const result: EnsureResult = { packages: [], skipped: [] };
  const toCreate: { order: OrderRow; account: WaybillAccountView }[] = [];
  const skip = (orderId: string, code: PackageSkipReason) => result.skipped.push({ orderId, code, reason: PACKAGE_SKIP_REASONS[code] });
  for (const id of ids) {
    const order = orders.get(id);
    if (!order) {
      skip(id, 'not_found');
      continue;
    }
    const pkg = existing.get(id);
    if (pkg) {
      result.packages.push({ orderId: id, packageId: pkg.id, created: false });
      continue;
    }
    if (order.status !== 'awaiting_shipment') {
      skip(id, 'not_shippable');
      continue;
    }
    if (!byShop.has(order.shopId)) byShop.set(order.shopId, named ?? accountForShop(ctx.db, order.shopId));
    const account = byShop.get(order.shopId) ?? null;
    if (!account) {
      skip(id, 'no_account');
      continue;
    }
    toCreate.push({ order, account });
  }
  if (toCreate.length === 0) return result;
  runCommand(ctx, 'waybills.ensurePackages', { orderIds: toCreate.map((c) => c.order.id), accountId: opts.accountId ?? null }, { tables: ['packages'] }, (scope) => {
    // Cancelled packages keep their seq; a new one takes the next (packages_order_seq_uq).
    const nextSeq = client.prepare<[string], { n: number }>('SELECT coalesce(max(seq), 0) + 1 AS n FROM packages WHERE order_id = ?');
    const insert = client.prepare(
      `INSERT INTO packages (id, order_id, seq, account_id, carrier_code, state, created_at) VALUES (?, ?, ?, ?, ?, 'new', ?)`,
    );
    for (const { order, account } of toCreate) {
      const packageId = uuidv7();
      const seq = (nextSeq.get(order.id) as { n: number }).n;
      insert.run(packageId, order.id, seq, account.id, account.carrierCode, scope.at);
      scope.audit({ entity: 'package', entityId: packageId, after: { orderId: order.id, seq, accountId: account.id, carrierCode: account.carrierCode } });
      result.packages.push({ orderId: order.id, packageId, created: true });
    }
  });
  return result;
}

/** A package as labels, the print queue and the UI read it. */
export interface PackageView {
  id: string;
  orderId: string;
  seq: number;
  accountId: string | null;
  carrierCode: string;
  waybillNo: string | null;
  /** Sort code (三段码) and the platform's other routing marks; null until allocated (or when unreadable). */
  routing: WaybillRouting | null;
  /** The platform's print data for its print component, exactly as received; null for pools and Douyin. */
  printData: string | null;
  /** new | allocated | printed | shipped | cancelled */
  state: string;
  allocatedAt: number | null;
  createdAt: number;
}

interface PackageViewRow extends Omit<PackageView, 'routing'> {
  routing: string | null;
}

const VIEW_SQL = `SELECT id, order_id AS orderId, seq, account_id AS accountId, carrier_code AS carrierCode, waybill_no AS waybillNo,
  routing, print_data AS printData, state, allocated_at AS allocatedAt, created_at AS createdAt FROM packages`;

function toPackageView(r: PackageViewRow): PackageView {
  let routing: WaybillRouting | null = null;
  if (r.routing !== null) {
    try {
      routing = JSON.parse(r.routing) as WaybillRouting;
    } catch {
      routing = null;
    }
  }
  return { ...r, routing };
}

/** Packages by id, in the order asked (unknown ids are left out). */
export function getPackages(db: Db, packageIds: readonly string[]): PackageView[] {
  const stmt = db.$client.prepare<[string], PackageViewRow>(`${VIEW_SQL} WHERE id IN (SELECT value FROM json_each(?))`);
  const byId = new Map<string, PackageView>();
  for (let i = 0; i < packageIds.length; i += ID_CHUNK) for (const r of stmt.all(JSON.stringify(packageIds.slice(i, i + ID_CHUNK)))) byId.set(r.id, toPackageView(r));
  return packageIds.flatMap((id) => byId.get(id) ?? []);
}

/** Every package of these orders (cancelled ones too), by order then seq (packages_order_seq_uq). */
export function packagesOfOrders(db: Db, orderIds: readonly string[]): PackageView[] {
  const stmt = db.$client.prepare<[string], PackageViewRow>(`${VIEW_SQL} WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, seq`);
  const out: PackageView[] = [];
  for (let i = 0; i < orderIds.length; i += ID_CHUNK) out.push(...stmt.all(JSON.stringify(orderIds.slice(i, i + ID_CHUNK))).map(toPackageView));
  return out;
}
