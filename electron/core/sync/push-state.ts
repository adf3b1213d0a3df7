// Keeps ops.push_state in step with the op's rows in the pushes outbox: 'pending' while any push of
// the op is pending or sending, else the worst of 'conflict' and 'failed', else 'confirmed' — or
// 'superseded' when every push of the op was replaced by a newer memo before it was sent.
import type { WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';

type Client = Db['$client'];

function statements(c: Client) {
  return {
    // pushes has no index on op_id (asked of the lead), so the hot check rides pushes_state_idx:
    // it scans only the outstanding rows, never the ever-growing confirmed history.
    active: c.prepare<[string], { one: number }>(
      `SELECT 1 AS one FROM pushes WHERE state IN ('pending', 'sending') AND op_id = ? LIMIT 1`,
    ),
    // Runs once per op when its last push settles.
    settled: c.prepare<[string], { state: string | null; error: string | null }>(
      `SELECT CASE
          WHEN SUM(state = 'conflict') > 0 THEN 'conflict'
          WHEN SUM(state = 'failed') > 0 THEN 'failed'
          WHEN SUM(state = 'confirmed') > 0 THEN 'confirmed'
          WHEN COUNT(*) > 0 THEN 'superseded'
          ELSE NULL END AS state,
        (SELECT last_error FROM pushes e WHERE e.op_id = p.op_id AND e.state IN ('conflict', 'failed')
          ORDER BY e.state = 'conflict' DESC, e.done_at DESC LIMIT 1) AS error
        FROM pushes p WHERE op_id = ?`,
    ),
    setPending: c.prepare<[string]>(`UPDATE ops SET push_state = 'pending' WHERE id = ? AND push_state IS NOT 'pending'`),
    setSettled: c.prepare<[string | null, string | null, string]>(`UPDATE ops SET push_state = ?, push_error = ? WHERE id = ?`),
  };
}

const cache = new WeakMap<Client, ReturnType<typeof statements>>();

/** Recompute ops.push_state (and push_error) for these ops. Call inside the transaction that moved their pushes. */
export function syncOpPushStates(tx: WriteTx, opIds: Iterable<string>): void {
  let s = cache.get(tx.$client);
  if (!s) {
    s = statements(tx.$client);
    cache.set(tx.$client, s);
  }
  for (const opId of new Set(opIds)) {
    if (s.active.get(opId)) {
      s.setPending.run(opId);
      continue;
    }
    const r = s.settled.get(opId);
    s.setSettled.run(r?.state ?? null, r?.error ?? null, opId);
  }
}
