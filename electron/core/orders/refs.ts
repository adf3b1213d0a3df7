// Orders named the way people name them: by our order id or by the platform's order number (what
// a script or a packer has in hand), and the way back from ids to numbers for messages.
import type { Db } from '../db/open.ts';
import { chunked, sqlIn } from '../db/chunk.ts';

/**
 * For each ref, the orders it names: the order with that id, else the orders with that platform
 * number — at most two, since two already means the number is not unique at this station (the
 * same number in two shops) and the caller must use the order id.
 */
/** `shops`: a scoped person's shops as JSON (scope.ts shopsJson): a reference finds only their orders. */
export function resolveOrderRefs(db: Db, refs: readonly string[], shops: string | null = null): { ref: string; ids: string[] }[] {
  const client = db.$client;
  const inScope = ' AND (? IS NULL OR shop_id IN (SELECT value FROM json_each(?)))';
  const known = new Set<string>();
  for (const part of chunked(refs)) {
    const q = sqlIn('id', part);
    for (const id of client.prepare(`SELECT id FROM orders WHERE ${q.sql}${inScope}`).pluck().all(...q.params, shops, shops) as string[]) known.add(id);
  }
  const byNumber = new Map<string, string[]>();
  const numbers = refs.filter((r) => !known.has(r));
  for (const part of chunked(numbers)) {
    const q = sqlIn('platform_order_id', part);
    const rows = client.prepare(`SELECT id, platform_order_id AS no FROM orders WHERE ${q.sql}${inScope} ORDER BY id`).all(...q.params, shops, shops) as { id: string; no: string }[];
    for (const row of rows) {
      const hits = byNumber.get(row.no) ?? [];
      if (hits.length < 2) hits.push(row.id);
      byNumber.set(row.no, hits);
    }
  }
  return refs.map((ref) => ({ ref, ids: known.has(ref) ? [ref] : (byNumber.get(ref) ?? []) }));
}

/** The platform order numbers of these orders; ids with no order are left out. */
export function orderNumbers(db: Db, ids: readonly string[]): { id: string; platformOrderId: string }[] {
  const out: { id: string; platformOrderId: string }[] = [];
  for (const part of chunked(ids)) {
    const q = sqlIn('id', part);
    out.push(...(db.$client.prepare(`SELECT id, platform_order_id AS platformOrderId FROM orders WHERE ${q.sql}`).all(...q.params) as { id: string; platformOrderId: string }[]));
  }
  return out;
}
