// Tasks handed between people (docs/team-hub.md#notes-and-tasks): made on an order or for the team,
// moved open → doing → done (or cancelled) by their assignee, reassigned by the desk. Every change
// also appends a task_events row (who, which field, before → after, at which station): tasks merge
// per field on the hub, and the events are the history every station shows in the order timeline.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, TaskView } from '../../shared/contract.ts';
import { TASK_ASSIGNERS } from '../../shared/contract.ts';
import type { Role } from '../../shared/model.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext, type CommandScope } from '../api/command.ts';
import type { ReadDb } from '../db/access.ts';
import { readHubSettings } from '../hub/settings.ts';

const mayAssign = (role: Role) => (TASK_ASSIGNERS as readonly Role[]).includes(role);

/** This station's name on its hub, or null without one (a lone station needs no name). */
export function stationName(db: ReadDb): string | null {
  return readHubSettings(db)?.stationName ?? null;
}

export const TASK_SELECT = `SELECT t.id, t.order_id AS orderId, o.platform_order_id AS platformOrderId, t.title, t.body,
       t.assignee_id AS assigneeId, a.name AS assigneeName, t.state, t.created_by AS createdBy, c.name AS createdByName,
       t.created_at AS createdAt, t.updated_at AS updatedAt, t.due_at AS dueAt
  FROM tasks t LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN users c ON c.id = t.created_by LEFT JOIN orders o ON o.id = t.order_id`;

export function taskById(db: ReadDb, id: string): TaskView | null {
  return db.$client.prepare<[string], TaskView>(`${TASK_SELECT} WHERE t.id = ?`).get(id) ?? null;
}

function userName(db: ReadDb, userId: string): string {
  const name = db.$client.prepare<[string], { name: string }>('SELECT name FROM users WHERE id = ?').get(userId)?.name;
  if (name === undefined) throw reasonError('task.unknown_user', { userId }, `No user with id ${userId}`);
  return name;
}

interface EventInput {
  taskId: string;
  orderId: string | null;
  field: 'created' | 'state' | 'assignee' | 'title' | 'due';
  before: string | null;
  after: string | null;
}

function appendEvent(ctx: CoreContext, scope: CommandScope, station: string | null, e: EventInput): void {
  scope.tx.$client
    .prepare(
      `INSERT INTO task_events (id, task_id, order_id, at, actor_id, actor, station, field, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(uuidv7(), e.taskId, e.orderId, scope.at, ctx.actor.userId, ctx.actor.name, station, e.field, e.before, e.after);
}

export function createTask(ctx: CoreContext, input: ApiParsedInput<'tasks.create'>): TaskView {
  const db = ctx.db;
  const assigneeId = input.assigneeId ?? ctx.actor.userId;
  if (assigneeId !== ctx.actor.userId && !mayAssign(ctx.actor.role)) {
    throw reasonError('task.assign_forbidden', { role: ctx.actor.role }, `A ${ctx.actor.role} makes tasks for themselves only`);
  }
  const assigneeName = userName(db, assigneeId);
  const orderId = input.orderId ?? null;
  if (orderId !== null && !db.$client.prepare('SELECT 1 FROM orders WHERE id = ?').get(orderId)) {
    throw reasonError('order.not_found', { id: orderId }, `No order with id ${orderId}`);
  }
  const station = stationName(db);
  const id = uuidv7();
  runCommand(ctx, 'tasks.create', input, { tables: ['tasks', 'task_events'] }, (scope) => {
    scope.tx.$client
      .prepare(
        `INSERT INTO tasks (id, order_id, title, body, assignee_id, state, created_by, created_at, updated_at, due_at)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
      )
      .run(id, orderId, input.title, input.body, assigneeId, ctx.actor.userId, scope.at, scope.at, input.dueAt ?? null);
    // The created event names the first assignee; later hand-overs are `assignee` events.
    appendEvent(ctx, scope, station, { taskId: id, orderId, field: 'created', before: null, after: assigneeName });
  });
  return taskById(db, id)!;
}

export function updateTask(ctx: CoreContext, input: ApiParsedInput<'tasks.update'>): TaskView {
  const db = ctx.db;
  const task = taskById(db, input.id);
  if (!task) throw reasonError('task.not_found', { id: input.id }, `No task with id ${input.id}`);
  const desk = mayAssign(ctx.actor.role);
  const reassign = input.assigneeId !== undefined && input.assigneeId !== task.assigneeId;
  if (reassign && !desk) throw reasonError('task.assign_forbidden', { role: ctx.actor.role }, `A ${ctx.actor.role} does not hand tasks to others`);
  if (!desk && task.assigneeId !== ctx.actor.userId) {
    throw reasonError('task.not_yours', { id: task.id, assignee: task.assigneeName ?? task.assigneeId }, `Task ${task.id} is assigned to someone else`);
  }
  const newAssigneeName = reassign ? userName(db, input.assigneeId!) : null;
  const changes: EventInput[] = [];
  const sets: string[] = [];
  const params: unknown[] = [];
  const change = (column: string, value: unknown, e: Omit<EventInput, 'taskId' | 'orderId'>) => {
    sets.push(`${column} = ?`);
    params.push(value);
    changes.push({ taskId: task.id, orderId: task.orderId, ...e });
  };
  if (input.state !== undefined && input.state !== task.state) change('state', input.state, { field: 'state', before: task.state, after: input.state });
  if (reassign) change('assignee_id', input.assigneeId, { field: 'assignee', before: task.assigneeName ?? task.assigneeId, after: newAssigneeName });
  if (input.title !== undefined && input.title !== task.title) change('title', input.title, { field: 'title', before: task.title, after: input.title });
  if (input.dueAt !== undefined && input.dueAt !== task.dueAt) {
    change('due_at', input.dueAt, { field: 'due', before: task.dueAt === null ? null : String(task.dueAt), after: input.dueAt === null ? null : String(input.dueAt) });
  }
  if (changes.length === 0) return task;
  const station = stationName(db);
  runCommand(ctx, 'tasks.update', input, { tables: ['tasks', 'task_events'] }, (scope) => {
    // Only the fields that changed are written, so the hub's per-field merge keeps another station's
    // concurrent change of a different field.
    scope.tx.$client.prepare(`UPDATE tasks SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...params, scope.at, task.id);
    for (const e of changes) appendEvent(ctx, scope, station, e);
  });
  return taskById(db, task.id)!;
}
