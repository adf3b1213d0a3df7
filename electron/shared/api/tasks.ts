// Working together (docs/team-hub.md#notes-and-tasks): tasks handed from one person to another
// (客服 → 仓库: "this order needs a gift"), the notes that @mention someone, and who did what to an
// order across the team. Handlers: electron/core/tasks/api.ts.
import { z } from 'zod';
import type { Role } from '../model.ts';
import { ALL_ROLES, DESK } from '../roles.ts';
import { lineText, multilineText } from '../text-guard.ts';
import { epochMs, id } from './common.ts';
import { type MethodDecl, out } from './define.ts';

export const TASK_STATES = ['open', 'doing', 'done', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** States still waiting on their assignee: what the nav badge counts. */
export const ACTIVE_TASK_STATES = ['open', 'doing'] as const satisfies readonly TaskState[];

/** Who may hand a task to someone (create one, or change its assignee); anyone may move their own. */
export const TASK_ASSIGNERS = DESK;

/** The user id a task the hub raised is created by (no person made it). */
export const HUB_AUTHOR = 'hub';

export interface TaskView {
  id: string;
  orderId: string | null;
  /** The order's platform number, when this station holds the order. */
  platformOrderId: string | null;
  title: string;
  body: string;
  assigneeId: string;
  /** The assignee's name, or null when this station does not know the user. */
  assigneeName: string | null;
  state: TaskState;
  createdBy: string;
  createdByName: string | null;
  createdAt: number;
  updatedAt: number;
  dueAt: number | null;
}

/** A note that named the caller with `@名字`. */
export interface MentionView {
  noteId: string;
  orderId: string;
  platformOrderId: string | null;
  author: string;
  station: string | null;
  body: string;
  createdAt: number;
}

/** A person a task can be handed to or a note can mention. */
export interface PersonView {
  id: string;
  name: string;
  role: Role;
}

/** One line of an order's team timeline: a command's audit entry, a note, or a task's event. */
export interface TeamTimelineEntry {
  id: string;
  kind: 'audit' | 'note' | 'task';
  at: number;
  /** The person's name. */
  actor: string;
  /** The station it happened at, when known (this station's own entries, and notes and tasks that carry it). */
  station: string | null;
  /** audit: the command name; note: 'orders.addNote'; task: 'tasks.create' | 'tasks.update'. */
  command: string;
  /** audit: the column; task: created | state | assignee | title | due; note: null. */
  field: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  /** task: the task's title; note: its body. */
  text: string | null;
}

export interface TaskCounts {
  /** The caller's tasks still open or being done. */
  active: number;
  open: number;
  doing: number;
  /** Notes that mention the caller, written in the last 7 days. */
  recentMentions: number;
}

const title = lineText(z.string().trim().min(1, 'a task needs a title').max(100, 'a title is at most 100 characters'));
const body = multilineText(z.string().trim().max(1000, 'a task is at most 1,000 characters'));

export const tasksMethods = {
  /** Makes a task on an order (orderId) or for the team; anyone may make one for themselves, the desk for anyone. */
  'tasks.create': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z
      .object({
        orderId: id.optional(),
        title,
        body: body.default(''),
        /** The user id; the caller when absent. */
        assigneeId: id.optional(),
        dueAt: epochMs.optional(),
      })
      .strict(),
    output: out<TaskView>(),
  },
  /** Moves a task (its assignee may; so may the desk) or hands it to someone else (the desk only). */
  'tasks.update': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z
      .object({
        id,
        state: z.enum(TASK_STATES).optional(),
        assigneeId: id.optional(),
        title: title.optional(),
        dueAt: epochMs.nullable().optional(),
      })
      .strict()
      .refine((v) => v.state !== undefined || v.assigneeId !== undefined || v.title !== undefined || v.dueAt !== undefined, 'change the state, assignee, title or due time'),
    output: out<TaskView>(),
  },
  /** Tasks, newest change first: the caller's (mine), of one state, of one order. */
  'tasks.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['tasks', 'users', 'orders'],
    input: z
      .object({
        mine: z.boolean().default(false),
        state: z.enum([...TASK_STATES, 'active']).optional(),
        orderId: id.optional(),
        limit: z.number().int().min(1).max(5000).default(1000),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      })
      .strict(),
    output: out<{ rows: TaskView[]; total: number }>(),
  },
  /** The caller's tasks per state and recent mentions (the nav badge). */
  'tasks.counts': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['tasks', 'order_notes'],
    input: z.object({}).strict(),
    output: out<TaskCounts>(),
  },
  /** Notes that @mention the caller, newest first. */
  'tasks.mentions': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['order_notes', 'orders'],
    input: z
      .object({
        limit: z.number().int().min(1).max(5000).default(1000),
        offset: z.number().int().min(0).max(1_000_000).default(0),
      })
      .strict(),
    output: out<{ rows: MentionView[]; total: number }>(),
  },
  /** The team's people (on a station joined to a hub, the hub's accounts): for the assignee and @ pickers. */
  'tasks.people': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['users'],
    input: z.object({}).strict(),
    output: out<PersonView[]>(),
  },
  /** Who did what to an order across the team: audit entries, notes and task events, newest first. */
  'tasks.timeline': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['audit_log', 'order_notes', 'task_events', 'tasks', 'ops'],
    input: z.object({ orderId: id }).strict(),
    output: out<TeamTimelineEntry[]>(),
  },
} as const satisfies Record<string, MethodDecl>;

export type TasksMethod = keyof typeof tasksMethods;
