// The tasks part of the API (electron/shared/api/tasks.ts): tasks, mentions, people, the team timeline.
import type { TasksMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { listMentions, listPeople, listTasks, taskCounts, teamTimeline } from './queries.ts';
import { createTask, updateTask } from './tasks.ts';

export function tasksHandlers(d: DomainDeps): Pick<Handlers, TasksMethod> {
  const { db, ctx } = d;
  return {
    'tasks.create': (input, actor) => createTask(ctx(actor), input),
    'tasks.update': (input, actor) => updateTask(ctx(actor), input),
    'tasks.list': (input, actor) => listTasks(db, input, actor),
    'tasks.counts': (_input, actor) => taskCounts(db, actor, d.now()),
    'tasks.mentions': (input, actor) => listMentions(db, input, actor),
    'tasks.people': () => listPeople(db),
    'tasks.timeline': (input) => teamTimeline(db, input.orderId),
  };
}
