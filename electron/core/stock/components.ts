// What an order line takes from stock: a SKU's components (组合装, a bundle: its bundle_components,
// each × the line's quantity) or, for a plain SKU, the SKU itself. Reservations, shipments, pushes
// (a bundle's figure is the fewest whole bundles its components make) and sales velocity all read
// bundles through here, so a bundle means the same thing everywhere (docs/stock.md#bundles).
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export interface Component {
  skuId: string;
  /** Units of this SKU per unit of the line's SKU (1 for a plain SKU). */
  perUnit: number;
}

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  return client.prepare<[string], { skuId: string; perUnit: number }>(
    'SELECT component_sku_id AS skuId, quantity AS perUnit FROM bundle_components WHERE bundle_sku_id = ? ORDER BY component_sku_id',
  );
}

/** The SKUs one unit of skuId takes from stock: its components when it is a bundle, else itself. */
export function componentsOf(db: ReadDb, skuId: string): Component[] {
  let st = statements.get(db.$client);
  if (!st) {
    st = prepare(db.$client);
    statements.set(db.$client, st);
  }
  const rows = st.all(skuId);
  return rows.length > 0 ? rows : [{ skuId, perUnit: 1 }];
}

/**
 * componentsOf with a memo for one batch (an ingest batch, a push round): bundles change only by a
 * command, never inside one batch, so a batch may look each SKU up once.
 */
export function componentCache(db: ReadDb): (skuId: string) => Component[] {
  const memo = new Map<string, Component[]>();
  return (skuId) => {
    let c = memo.get(skuId);
    if (!c) {
      c = componentsOf(db, skuId);
      memo.set(skuId, c);
    }
    return c;
  };
}
