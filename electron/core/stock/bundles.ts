// 组合装: a bundle SKU is sold as one line and taken from stock as its components (componentsOf in
// components.ts reads them for reservations, shipments, pushes and sales). One level only: a bundle
// holds plain SKUs, never itself or another bundle, so a bundle's figure is always a minimum over
// real stock. Changing a bundle re-settles the open orders that sell it and marks the SKUs whose
// pushed figure follows it.
import type { ApiParsedInput, BundleView } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext, type CommandScope } from '../api/command.ts';
import type { ReadDb, WriteTx } from '../db/access.ts';
import { markStockDirty } from './dirty.ts';
import { skuByCode } from './lookup.ts';
import { settleOrders } from './reserve.ts';

const BUNDLE_TABLES = ['bundle_components', 'stock_reservations', 'stock_dirty', 'orders'];

interface ComponentRow {
  bundle: string;
  bundleTitle: string;
  bundleSpec: string;
  sku: string;
  title: string;
  spec: string;
  quantity: number;
}

const SELECT = `SELECT bs.outer_sku_code AS bundle, bp.title AS bundleTitle, bs.name AS bundleSpec,
    cs.outer_sku_code AS sku, cp.title, cs.name AS spec, b.quantity
  FROM bundle_components b
  JOIN skus bs ON bs.id = b.bundle_sku_id JOIN products bp ON bp.id = bs.product_id
  JOIN skus cs ON cs.id = b.component_sku_id JOIN products cp ON cp.id = cs.product_id`;

function group(rows: ComponentRow[]): BundleView[] {
  const out = new Map<string, BundleView>();
  for (const r of rows) {
    let b = out.get(r.bundle);
    if (!b) out.set(r.bundle, (b = { sku: r.bundle, title: r.bundleTitle, spec: r.bundleSpec, components: [] }));
    b.components.push({ sku: r.sku, title: r.title, spec: r.spec, quantity: r.quantity });
  }
  return [...out.values()];
}

export function listBundles(db: ReadDb, input: ApiParsedInput<'bundles.list'>): BundleView[] {
  const rows =
    input.sku !== undefined
      ? (db.$client.prepare(`${SELECT} WHERE bs.outer_sku_code = ? ORDER BY cs.outer_sku_code`).all(input.sku) as ComponentRow[])
      : (db.$client.prepare(`${SELECT} ORDER BY bs.outer_sku_code, cs.outer_sku_code`).all() as ComponentRow[]);
  return group(rows);
}

/** Open orders with a line of this SKU: their reservations follow its components. */
function openOrdersSelling(tx: WriteTx, skuId: string): string[] {
  return tx.$client
    .prepare<[string], { id: string }>(
      `SELECT DISTINCT o.id FROM order_items oi JOIN orders o ON o.id = oi.order_id
        WHERE oi.sku_id = ? AND o.stage <> 'shipped' AND o.status IN ('unpaid', 'awaiting_shipment')`,
    )
    .all(skuId)
    .map((r) => r.id);
}

function afterBundleChange(scope: CommandScope, actor: string, bundleId: string, componentIds: Iterable<string>): void {
  markStockDirty(scope.tx, [bundleId, ...componentIds], scope.at);
  // Orders already holding the old components now hold the new ones.
  const orders = openOrdersSelling(scope.tx, bundleId);
  if (orders.length > 0) settleOrders(scope.tx, orders, scope.at, { actor, opId: scope.opId });
}

export function setBundle(ctx: CoreContext, input: ApiParsedInput<'bundles.set'>): BundleView {
  return runCommand(ctx, 'bundles.set', input, { tables: BUNDLE_TABLES }, (scope) => {
    const c = scope.tx.$client;
    const bundle = skuByCode(scope.tx, input.sku);
    // A SKU inside another bundle cannot become one: bundles hold plain SKUs only.
    const holder = c
      .prepare<[string], { code: string }>('SELECT s.outer_sku_code AS code FROM bundle_components b JOIN skus s ON s.id = b.bundle_sku_id WHERE b.component_sku_id = ? LIMIT 1')
      .get(bundle.id);
    if (holder) throw reasonError('bundle.nested', { sku: input.sku, bundle: holder.code }, `${input.sku} is a component of bundle ${holder.code}; a bundle cannot be inside another bundle`);
    const isBundle = c.prepare<[string], { one: number }>('SELECT 1 AS one FROM bundle_components WHERE bundle_sku_id = ? LIMIT 1');
    const seen = new Set<string>();
    const components: { id: string; quantity: number }[] = [];
    for (const comp of input.components) {
      if (comp.sku === input.sku) throw reasonError('bundle.contains_itself', { sku: input.sku }, `bundle ${input.sku} cannot contain itself`);
      if (seen.has(comp.sku)) throw reasonError('bundle.component_twice', { sku: comp.sku }, `${comp.sku} is listed twice; give it once with its quantity`);
      seen.add(comp.sku);
      const sku = skuByCode(scope.tx, comp.sku);
      if (isBundle.get(sku.id)) throw reasonError('bundle.nested', { sku: comp.sku, bundle: comp.sku }, `${comp.sku} is itself a bundle; a bundle cannot be inside another bundle`);
      components.push({ id: sku.id, quantity: comp.quantity });
    }
    const before = listBundles(scope.tx, { sku: input.sku })[0]?.components ?? [];
    const oldIds = c.prepare<[string], { id: string }>('SELECT component_sku_id AS id FROM bundle_components WHERE bundle_sku_id = ?').all(bundle.id).map((r) => r.id);
    c.prepare<[string]>('DELETE FROM bundle_components WHERE bundle_sku_id = ?').run(bundle.id);
    const insert = c.prepare<[string, string, number, number]>('INSERT INTO bundle_components (bundle_sku_id, component_sku_id, quantity, updated_at) VALUES (?, ?, ?, ?)');
    for (const comp of components) insert.run(bundle.id, comp.id, comp.quantity, scope.at);
    const after = listBundles(scope.tx, { sku: input.sku })[0]!;
    scope.audit({
      entity: 'bundle',
      entityId: input.sku,
      field: 'components',
      before: before.map((x) => `${x.sku}×${x.quantity}`).join(', ') || null,
      after: after.components.map((x) => `${x.sku}×${x.quantity}`).join(', '),
    });
    afterBundleChange(scope, ctx.actor.name, bundle.id, [...oldIds, ...components.map((x) => x.id)]);
    return after;
  });
}

export function removeBundle(ctx: CoreContext, input: ApiParsedInput<'bundles.remove'>): { removed: number } {
  return runCommand(ctx, 'bundles.remove', input, { tables: BUNDLE_TABLES }, (scope) => {
    const bundle = skuByCode(scope.tx, input.sku);
    const before = listBundles(scope.tx, { sku: input.sku })[0];
    if (!before) throw reasonError('bundle.not_found', { sku: input.sku }, `${input.sku} is not a bundle`);
    const oldIds = scope.tx.$client.prepare<[string], { id: string }>('SELECT component_sku_id AS id FROM bundle_components WHERE bundle_sku_id = ?').all(bundle.id).map((r) => r.id);
    const removed = scope.tx.$client.prepare<[string]>('DELETE FROM bundle_components WHERE bundle_sku_id = ?').run(bundle.id).changes;
    scope.audit({ entity: 'bundle', entityId: input.sku, field: 'components', before: before.components.map((x) => `${x.sku}×${x.quantity}`).join(', '), after: null });
    afterBundleChange(scope, ctx.actor.name, bundle.id, oldIds);
    return { removed };
  });
}
