// What the 我的任务 view, the order drawer and the nav badge read: tasks, notes that mention the
// caller, the team's people, and an order's team timeline (docs/team-hub.md#notes-and-tasks).
import type { Actor, ApiParsedInput, MentionView, PersonView, TaskCounts, TaskView, TeamTimelineEntry } from '../../shared/contract.ts';
import { ROLES, type Role } from '../../shared/model.ts';
import type { ReadDb } from '../db/access.ts';
import { TIMELINE_CAP } from '../orders/detail.ts';
import { shopsJson } from '../scope.ts';
import { stationName, TASK_SELECT } from './tasks.ts';

/** How far back a mention still counts on the badge. */
export const RECENT_MENTION_MS = 7 * 24 * 3600_000;

/**
 * A person scoped to some shops (scope.ts) sees tasks without an order and tasks and notes on their
 * shops' orders: both travel in the order's shop group. `?` twice: the shops as JSON, or null.
 */
const taskInScope = (col: string) => `(? IS NULL OR ${col} IS NULL OR EXISTS (SELECT 1 FROM orders so WHERE so.id = ${col} AND so.shop_id IN (SELECT value FROM json_each(?))))`;

export function listTasks(db: ReadDb, input: ApiParsedInput<'tasks.list'>, actor: Actor): { rows: TaskView[]; total: number } {
  const shops = shopsJson(actor);
  const where: string[] = [taskInScope('t.order_id')];
  const params: unknown[] = [shops, shops];
  if (input.mine) {
    where.push('t.assignee_id = ?');
    params.push(actor.userId);
  }
  if (input.state === 'active') where.push(`t.state IN ('open', 'doing')`);
  else if (input.state !== undefined) {
    where.push('t.state = ?');
    params.push(input.state);
  }
  if (input.orderId !== undefined) {
    where.push('t.order_id = ?');
    params.push(input.orderId);
  }
  const clause = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  const client = db.$client;
  const total = client.prepare(`SELECT count(*) FROM tasks t${clause}`).pluck().get(...params) as number;
  const rows = client.prepare(`${TASK_SELECT}${clause} ORDER BY t.updated_at DESC, t.id DESC LIMIT ? OFFSET ?`).all(...params, input.limit, input.offset) as TaskView[];
  return { rows, total };
}

const MENTION_FROM = `FROM order_notes n JOIN json_each(n.mentions) m WHERE n.mentions IS NOT NULL AND m.value = ? AND ${taskInScope('n.order_id')}`;

export function listMentions(db: ReadDb, input: ApiParsedInput<'tasks.mentions'>, actor: Actor): { rows: MentionView[]; total: number } {
  const client = db.$client;
  const shops = shopsJson(actor);
  const total = client.prepare(`SELECT count(*) ${MENTION_FROM}`).pluck().get(actor.userId, shops, shops) as number;
  const rows = client
    .prepare(
      `SELECT n.id AS noteId, n.order_id AS orderId, (SELECT platform_order_id FROM orders o WHERE o.id = n.order_id) AS platformOrderId,
              n.author, n.station, n.body, n.created_at AS createdAt
         ${MENTION_FROM} ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?`,
    )
    .all(actor.userId, shops, shops, input.limit, input.offset) as MentionView[];
  return { rows, total };
}

export function taskCounts(db: ReadDb, actor: Actor, now: number): TaskCounts {
  const client = db.$client;
  const shops = shopsJson(actor);
  const by = new Map(
    client
      .prepare<[string, string | null, string | null], { state: string; n: number }>(
        `SELECT state, count(*) AS n FROM tasks t WHERE assignee_id = ? AND state IN ('open', 'doing') AND ${taskInScope('t.order_id')} GROUP BY state`,
      )
      .all(actor.userId, shops, shops)
      .map((r) => [r.state, r.n]),
  );
  const recentMentions = client.prepare(`SELECT count(*) ${MENTION_FROM} AND n.created_at >= ?`).pluck().get(actor.userId, shops, shops, now - RECENT_MENTION_MS) as number;
  const open = by.get('open') ?? 0;
  const doing = by.get('doing') ?? 0;
  return { active: open + doing, open, doing, recentMentions };
}

export function listPeople(db: ReadDb): PersonView[] {
  return db.$client
    .prepare<[], { id: string; name: string; role: string }>('SELECT id, name, role FROM users ORDER BY name, id')
    .all()
    .map((u) => ({ id: u.id, name: u.name, role: (ROLES as readonly string[]).includes(u.role) ? (u.role as Role) : 'packer' }));
}

/**
 * Who did what to an order across the team, newest first: the commands' audit entries (a note's
 * own entry is left out: the note itself is listed, with its station), the notes, and the events of
 * its tasks. An audit entry whose op is in this station's log happened here; one that came from the
 * hub names no station (audit rows do not carry one).
 */
export function teamTimeline(db: ReadDb, orderId: string): TeamTimelineEntry[] {
  const client = db.$client;
  const here = stationName(db);
  const audits = client
    .prepare<[string], { id: string; at: number; actor: string; command: string; field: string | null; before: string | null; after: string | null; reason: string | null; local: number }>(
      `SELECT a.id, a.at, a.actor, a.command, a.field, a.before, a.after, a.reason, EXISTS (SELECT 1 FROM ops WHERE ops.id = a.op_id) AS local
         FROM audit_log a WHERE a.entity_id = ? AND a.command <> 'orders.addNote' ORDER BY a.at DESC, a.id DESC LIMIT ${TIMELINE_CAP}`,
    )
    .all(orderId)
    .map((a): TeamTimelineEntry => ({ id: a.id, kind: 'audit', at: a.at, actor: a.actor, station: a.local === 1 ? here : null, command: a.command, field: a.field, before: a.before, after: a.after, reason: a.reason, text: null }));
  const notes = client
    .prepare<[string], { id: string; at: number; author: string; station: string | null; body: string }>(
      `SELECT id, created_at AS at, author, station, body FROM order_notes WHERE order_id = ? ORDER BY created_at DESC, id DESC LIMIT ${TIMELINE_CAP}`,
    )
    .all(orderId)
    .map((n): TeamTimelineEntry => ({ id: n.id, kind: 'note', at: n.at, actor: n.author, station: n.station, command: 'orders.addNote', field: null, before: null, after: null, reason: null, text: n.body }));
  const events = client
    .prepare<[string], { id: string; at: number; actor: string; station: string | null; field: string; before: string | null; after: string | null; title: string | null }>(
      `SELECT e.id, e.at, e.actor, e.station, e.field, e.before, e.after, t.title FROM task_events e LEFT JOIN tasks t ON t.id = e.task_id
        WHERE e.order_id = ? ORDER BY e.at DESC, e.id DESC LIMIT ${TIMELINE_CAP}`,
    )
    .all(orderId)
    .map(
      (e): TeamTimelineEntry => ({
        id: e.id,
        kind: 'task',
        at: e.at,
        actor: e.actor,
        station: e.station,
        command: e.field === 'created' ? 'tasks.create' : 'tasks.update',
        field: e.field,
        before: e.before,
        after: e.after,
        reason: null,
        text: e.title,
      }),
    );
  // uuidv7 ids sort by creation, so they break ties between entries written in the same millisecond.
  return [...audits, ...notes, ...events].sort((x, y) => y.at - x.at || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).slice(0, TIMELINE_CAP);
}
