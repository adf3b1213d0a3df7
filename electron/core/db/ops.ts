// The one way a row enters the ops log: runCommand appends one per command, order ingest one per
// batch that changed something. Both go through appendOp, so every ops row takes its hybrid
// timestamp the same way (station/clock.ts issueHlc, inside the write transaction) and has the
// same columns filled. The insert is prepared once per connection: ingest appends on every batch
// and must not pay for a prepare each time.
//
// With a team hub, appendOp also numbers the op (ops.seq, strictly increasing on this station: the
// hub's push order) and takes the effects the synced tables' triggers recorded in this transaction
// (op_effects rows without an op) as its own. Every write transaction that changes a synced table
// ends with its op, so the unassigned rows are exactly this transaction's.
import type { HybridClock } from '../api/hlc.ts';
import { issueHlc } from '../station/clock.ts';
import type { WriteTx } from './access.ts';
import type { Db } from './open.ts';

export interface OpEntry {
  id: string;
  at: number;
  /** The station's clock; the row's hlc is issued from it after observing the newest stored row. */
  clock: HybridClock;
  /** Who ran it: a user's name, or 'sync' for ingest. */
  actor: string;
  /** The command name ('orders.hold', 'sync.ingest', ...). */
  name: string;
  /** The command's arguments, stored as JSON. */
  args: unknown;
  /** 'pending' when the command queued platform push-backs (sync/push-state.ts keeps it after). */
  pushState?: 'pending' | null;
}

const inserts = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();

function prepare(client: Db['$client']) {
  return {
    op: client.prepare<[string, number, string, string, string, string, string | null]>(
      `INSERT INTO ops (id, at, hlc, actor, name, args, push_state, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM ops))`,
    ),
    effects: client.prepare<[string]>(`UPDATE op_effects SET op_id = ? WHERE op_id IS NULL`),
  };
}

/** Appends the op in tx's transaction; returns the hybrid timestamp it was given. */
export function appendOp(tx: WriteTx, op: OpEntry): string {
  const client = tx.$client;
  let insert = inserts.get(client);
  if (!insert) {
    insert = prepare(client);
    inserts.set(client, insert);
  }
  const hlc = issueHlc(tx, op.clock);
  insert.op.run(op.id, op.at, hlc, op.actor, op.name, JSON.stringify(op.args), op.pushState ?? null);
  insert.effects.run(op.id);
  return hlc;
}
