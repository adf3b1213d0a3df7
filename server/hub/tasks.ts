// Tasks on the hub (docs/team-hub.md#notes-and-tasks): who may hand a task to whom, checked again
// here for every station's op, and the tasks the hub itself hands out. An oversell that two offline
// stations caused is seen only here, so besides its OVERSOLD alert the hub writes a task for the
// team's owner: a `tasks` row image (and its `created` event) in `rows`, stamped with the hub's
// hybrid timestamp, so stations pull it like any row and a later state change made at a station
// (a later timestamp) wins per field as usual.
import type { Queryable } from '../db/engine.ts';
import { HUB_AUTHOR, TASK_ASSIGNERS } from '../../electron/shared/api/tasks.ts';
import { OpRefusal, type Mutator, type MutatorRegistry } from './mutators.ts';
import { keyText, writeRow } from './rows.ts';

/** The name a hub-made task's history shows as its actor. */
export const HUB_ACTOR_NAME = '团队中心';

/**
 * A hybrid timestamp of the hub's wall clock, in the stations' encoding (electron/core/api/hlc.ts:
 * zero-padded milliseconds, base-36 counter, node), so string order compares it with theirs.
 */
export function hubHlc(now: number): string {
  return `${now.toString().padStart(15, '0')}-0000-hub`;
}

export interface OversoldFacts {
  alertId: string;
  raisedAt: number;
  skuId: string;
  warehouseId: string;
  onHand: number;
  actors: readonly string[];
}

async function imageOf(tx: Queryable, teamId: string, table: string, id: string): Promise<Record<string, unknown> | null> {
  const r = await tx.query<{ image: Record<string, unknown> }>('SELECT image FROM rows WHERE team_id = $1 AND tbl = $2 AND key = $3 AND NOT deleted', [teamId, table, keyText([id])]);
  return r.rows[0]?.image ?? null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * Writes the task of one OVERSOLD raise for the team's owner; answers the sync ids written (none
 * when the team has no owner, or this raise already has its task: the id is the alert's and the
 * raise's, so a retried push never makes a second one).
 */
export async function raiseOversoldTask(tx: Queryable, teamId: string, a: OversoldFacts, now: number): Promise<number[]> {
  const owner = (await tx.query<{ id: string }>(`SELECT id FROM users WHERE team_id = $1 AND role = 'owner' ORDER BY created_at, id LIMIT 1`, [teamId])).rows[0];
  if (!owner) return [];
  const taskId = `oversold-${a.alertId}-${a.raisedAt}`;
  const exists = await tx.query('SELECT 1 FROM rows WHERE team_id = $1 AND tbl = $2 AND key = $3', [teamId, 'tasks', keyText([taskId])]);
  if (exists.rows.length > 0) return [];
  const sku = await imageOf(tx, teamId, 'skus', a.skuId);
  const wh = await imageOf(tx, teamId, 'warehouses', a.warehouseId);
  const skuText = text(sku?.outer_sku_code) ?? a.skuId;
  const whText = wh ? `${text(wh.name) ?? ''}（${text(wh.code) ?? a.warehouseId}）` : a.warehouseId;
  const title = `超卖：${skuText} 在 ${whText}`.slice(0, 100);
  const body = [
    `团队账上 ${skuText} 在 ${whText} 的库存是 ${a.onHand}：几个站点离线时卖出了同一批货。`,
    a.actors.length > 0 ? `卖出它的人：${a.actors.join('、')}。` : '',
    '请清点实物，调整库存或联系买家。',
  ]
    .filter(Boolean)
    .join('\n');
  const hlc = hubHlc(now);
  const task = { id: taskId, order_id: null, title, body, assignee_id: owner.id, state: 'open', created_by: HUB_AUTHOR, created_at: now, updated_at: now, due_at: null };
  const hlcs = Object.fromEntries(Object.keys(task).filter((c) => c !== 'id').map((c) => [c, hlc]));
  const event = { id: `${taskId}-created`, task_id: taskId, order_id: null, at: now, actor_id: HUB_AUTHOR, actor: HUB_ACTOR_NAME, station: null, field: 'created', before: null, after: null };
  return [
    await writeRow(tx, teamId, 'tasks', keyText([taskId]), { grp: 'team', image: task, hlcs, deleted: false }),
    await writeRow(tx, teamId, 'task_events', keyText([event.id]), { grp: 'team', image: event, hlcs: {}, deleted: false }),
  ];
}

const ASSIGNERS: readonly string[] = TASK_ASSIGNERS;

/**
 * The station's rule for tasks, on the hub too: outside the desk (owner, operator, service) a person
 * writes only tasks assigned to them — as the hub holds the task, so a task handed to someone else
 * meanwhile is no longer theirs — and never hands one to another person. Refused as ROLE_FORBIDDEN.
 */
function guardedTaskWrite(inner: Mutator): Mutator {
  return async (ctx) => {
    if (ASSIGNERS.includes(ctx.actor.role)) return inner(ctx);
    const effects = ctx.op.effects.filter((e) => e.table === 'tasks');
    if (effects.length > 0) await ctx.rows.load(effects.map((e) => ({ tbl: 'tasks', key: keyText(e.key) })));
    for (const e of effects) {
      const held = ctx.rows.get('tasks', keyText(e.key));
      const assignee = held && !held.deleted ? held.image.assignee_id : undefined;
      const mine = (assignee === undefined || assignee === ctx.actor.id) && (!('assignee_id' in e.columns) || e.columns.assignee_id === ctx.actor.id);
      if (!mine) throw new OpRefusal('ROLE_FORBIDDEN', { role: ctx.actor.role, allowed: [...ASSIGNERS], task: String(e.key[0]) });
    }
    return inner(ctx);
  };
}

/** Puts the tasks rule in front of whatever mutators the registry runs the task commands with. */
export function guardTasks(registry: MutatorRegistry): MutatorRegistry {
  for (const name of ['tasks.create', 'tasks.update']) {
    const resolved = registry.resolve({ name } as Parameters<MutatorRegistry['resolve']>[0]);
    if (resolved) registry.register(name, guardedTaskWrite(resolved.mutator));
  }
  return registry;
}
