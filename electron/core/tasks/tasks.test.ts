// Tasks and mentions through the API as the renderer and CLI call them: who may assign and move
// what, the history each change leaves, notes whose @mentions reach the named person's inbox, and the
// order's team timeline.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskView } from '../../shared/contract.ts';
import { countRows, openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(2);
});
afterEach(() => f.close());

const value = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

describe('tasks', () => {
  it('customer service hands an order task to a packer; the packer moves it to done; each change is an event', async () => {
    const service = f.as('service', '客服小美');
    const packer = f.as('packer', '小王');
    const orderId = f.idOf(1);
    const task = value<TaskView>(await f.call('tasks.create', { orderId, title: '需要赠品', body: '送一双袜子', assigneeId: packer.userId }, service));
    expect(task).toMatchObject({ orderId, title: '需要赠品', state: 'open', assigneeName: '小王', createdByName: '客服小美', platformOrderId: 'P00000001' });

    const mine = value<{ rows: TaskView[]; total: number }>(await f.call('tasks.list', { mine: true }, packer));
    expect(mine.rows.map((t) => t.id)).toEqual([task.id]);
    expect(value(await f.call('tasks.counts', {}, packer))).toMatchObject({ active: 1, open: 1, doing: 0 });
    expect(value<{ total: number }>(await f.call('tasks.list', { mine: true }, service)).total).toBe(0);

    expect(value<TaskView>(await f.call('tasks.update', { id: task.id, state: 'doing' }, packer)).state).toBe('doing');
    expect(value<TaskView>(await f.call('tasks.update', { id: task.id, state: 'done' }, packer)).state).toBe('done');
    expect(value(await f.call('tasks.counts', {}, packer))).toMatchObject({ active: 0 });
    expect(value<{ total: number }>(await f.call('tasks.list', { state: 'done', orderId }, packer)).total).toBe(1);

    const events = f.db.$client.prepare('SELECT actor, field, before, after FROM task_events WHERE task_id = ? ORDER BY id').all(task.id);
    expect(events).toEqual([
      { actor: '客服小美', field: 'created', before: null, after: '小王' },
      { actor: '小王', field: 'state', before: 'open', after: 'doing' },
      { actor: '小王', field: 'state', before: 'doing', after: 'done' },
    ]);
    // Every change is a command: one op each, so it travels to the hub like any other.
    expect(f.db.$client.prepare(`SELECT count(*) FROM ops WHERE name LIKE 'tasks.%'`).pluck().get()).toBe(3);
  });

  it('a packer makes tasks for themselves only and moves only their own; the desk reassigns', async () => {
    const packer = f.as('packer', '小王');
    const other = f.as('packer', '小李');
    const service = f.as('service', '客服小美');
    const forOther = await f.call('tasks.create', { title: '核对地址', assigneeId: other.userId }, packer);
    expect(forOther).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'task.assign_forbidden' } });
    expect(countRows(f.db, 'tasks')).toBe(0);

    const own = value<TaskView>(await f.call('tasks.create', { title: '盘点 A 区' }, packer));
    expect(own).toMatchObject({ assigneeId: packer.userId, orderId: null });

    const notTheirs = await f.call('tasks.update', { id: own.id, state: 'done' }, other);
    expect(notTheirs).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'task.not_yours' } });
    const reassignByPacker = await f.call('tasks.update', { id: own.id, assigneeId: other.userId }, packer);
    expect(reassignByPacker).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'task.assign_forbidden' } });
    expect(countRows(f.db, 'task_events')).toBe(1);

    const moved = value<TaskView>(await f.call('tasks.update', { id: own.id, assigneeId: other.userId }, service));
    expect(moved).toMatchObject({ assigneeName: '小李', state: 'open' });
    // Now it is 小李's: 小李 moves it, 小王 no longer can.
    expect(await f.call('tasks.update', { id: own.id, state: 'doing' }, other)).toMatchObject({ ok: true });
    expect(await f.call('tasks.update', { id: own.id, state: 'done' }, packer)).toMatchObject({ ok: false, error: { reason: 'task.not_yours' } });
  });

  it('refuses an unknown assignee, order or task with its reason and writes nothing', async () => {
    expect(await f.call('tasks.create', { title: 'x', assigneeId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'task.unknown_user' } });
    expect(await f.call('tasks.create', { title: 'x', orderId: 'no-such-order' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'order.not_found' } });
    expect(await f.call('tasks.update', { id: 'no-such-task', state: 'done' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'task.not_found' } });
    expect(await f.call('tasks.create', { title: '   ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(countRows(f.db, 'tasks')).toBe(0);
    expect(f.db.$client.prepare(`SELECT count(*) FROM ops WHERE name LIKE 'tasks.%'`).pluck().get()).toBe(0);
  });

  it('an update that changes nothing writes no op and no event', async () => {
    const t = value<TaskView>(await f.call('tasks.create', { title: '核对地址' }));
    const ops = countRows(f.db, 'ops');
    expect(value<TaskView>(await f.call('tasks.update', { id: t.id, state: 'open', title: '核对地址' })).updatedAt).toBe(t.updatedAt);
    expect(countRows(f.db, 'ops')).toBe(ops);
    expect(countRows(f.db, 'task_events')).toBe(1);
  });
});

describe('notes with @mentions', () => {
  it('stores who a note mentions; the mentioned person sees it in their inbox, others do not; emails are not mentions', async () => {
    const packer = f.as('packer', '小王');
    const orderId = f.idOf(2);
    expect(await f.call('orders.addNote', { id: orderId, body: '@小王 这单要送赠品，发票寄 boss@小王.com' })).toMatchObject({ ok: true });
    expect(await f.call('orders.addNote', { id: orderId, body: '没有提到任何人' })).toMatchObject({ ok: true });
    const stored = f.db.$client.prepare('SELECT mentions FROM order_notes ORDER BY id').pluck().all();
    expect(stored).toEqual([JSON.stringify([packer.userId]), null]);

    const inbox = value<{ rows: { orderId: string; platformOrderId: string; author: string; body: string }[]; total: number }>(await f.call('tasks.mentions', {}, packer));
    expect(inbox.total).toBe(1);
    expect(inbox.rows[0]).toMatchObject({ orderId, platformOrderId: 'P00000002', author: '店主' });
    expect(value(await f.call('tasks.counts', {}, packer))).toMatchObject({ recentMentions: 1 });
    expect(value<{ total: number }>(await f.call('tasks.mentions', {}, f.owner)).total).toBe(0);
  });

  it('the people list names the team for the pickers', async () => {
    f.as('packer', '小王');
    const people = value<{ name: string; role: string }[]>(await f.call('tasks.people', {}));
    expect(people.map((p) => `${p.name}:${p.role}`).sort()).toEqual(['小王:packer', '店主:owner']);
  });
});

describe('the order’s team timeline', () => {
  it('lists commands, notes and task events with their actors, newest first, each note once', async () => {
    const orderId = f.idOf(1);
    const packer = f.as('packer', '小王');
    expect(await f.call('orders.hold', { ids: [orderId], reason: '等客户确认' })).toMatchObject({ ok: true });
    expect(await f.call('orders.addNote', { id: orderId, body: '@小王 看一下' })).toMatchObject({ ok: true });
    const t = value<TaskView>(await f.call('tasks.create', { orderId, title: '核对地址', assigneeId: packer.userId }));
    expect(await f.call('tasks.update', { id: t.id, state: 'done' }, packer)).toMatchObject({ ok: true });
    const entries = value<{ kind: string; actor: string; command: string; field: string | null; after: string | null; text: string | null; station: string | null }[]>(
      await f.call('tasks.timeline', { orderId }),
    );
    expect(entries.map((e) => `${e.kind}:${e.command}:${e.actor}`)).toEqual([
      'task:tasks.update:小王',
      'task:tasks.create:店主',
      'note:orders.addNote:店主',
      ...entries.filter((e) => e.kind === 'audit').map((e) => `audit:${e.command}:店主`),
    ]);
    expect(entries.filter((e) => e.kind === 'audit').length).toBeGreaterThan(0);
    expect(entries.some((e) => e.kind === 'audit' && e.command === 'orders.addNote')).toBe(false);
    expect(entries[0]).toMatchObject({ field: 'state', after: 'done', text: '核对地址', station: null });
  });
});
