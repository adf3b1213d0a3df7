// The two sides of the held totals' invariant, for the tests that hold stock_held_totals (kept by
// the triggers of migration 0022) to the held reservation rows it sums: the same row shape, zero
// totals left out (a total stays as a 0 row once its last hold is gone).
import type { Db } from '../core/db/open.ts';

export interface HeldFigure {
  s: string;
  w: string;
  n: number;
}

/** What stock_held_totals says is held, per SKU and warehouse. */
export const heldTotals = (db: Db): HeldFigure[] =>
  db.$client.prepare<[], HeldFigure>('SELECT sku_id AS s, warehouse_id AS w, quantity AS n FROM stock_held_totals WHERE quantity <> 0 ORDER BY 1, 2').all();

/** Σ quantity of the held stock_reservations rows, per SKU and warehouse. */
export const heldSums = (db: Db): HeldFigure[] =>
  db.$client
    .prepare<[], HeldFigure>("SELECT sku_id AS s, warehouse_id AS w, sum(quantity) AS n FROM stock_reservations WHERE state = 'held' GROUP BY 1, 2 ORDER BY 1, 2")
    .all();
