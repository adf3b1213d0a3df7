// Which of some orders the filter still shows: after a batch action moves orders out of the view,
// the workbench keeps only these selected (a selection counts what the person can still see).
import type { OrderFilter } from '../../shared/contract.ts';
import { chunked, ID_CHUNK, sqlIn } from '../db/chunk.ts';
import type { Db } from '../db/open.ts';
import { buildOrderWhere, searchPlanFor } from './query.ts';

/** The ids (of `ids`) of orders the filter matches, in the order given; unknown ids are left out. */
export function idsStillMatching(db: Db, filter: OrderFilter, ids: readonly string[]): string[] {
  const w = buildOrderWhere(filter, searchPlanFor(db, filter));
  const matched = new Set<string>();
  for (const chunk of chunked(ids, ID_CHUNK)) {
    const these = sqlIn('o.id', chunk);
    const found = db.$client
      .prepare(`SELECT o.id FROM orders o WHERE ${these.sql} AND (${w.sql})`)
      .pluck()
      .all(...these.params, ...w.params) as string[];
    for (const id of found) matched.add(id);
  }
  return ids.filter((id) => matched.has(id));
}
