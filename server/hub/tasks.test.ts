// The hub's own tasks, through the HTTP contract on PGlite (and PostgreSQL when the cluster is
// there): an oversell two stations caused offline raises OVERSOLD and a task for the team's owner
// naming the SKU and the warehouse, which stations pull like any row; a raise still open makes no
// second task, a new raise after it was resolved does; a station's later state change wins; a
// packer's op on a task that is not theirs is refused.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushOp } from '../../electron/shared/hub/protocol.ts';
import type { Engine } from '../db/engine.ts';
import { call, joinStation, pushAs, openTeamHub, type TeamHub, TEST_ENGINES, type TestStation } from './testkit.ts';

const hlc = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-0000-${node}`;

interface PulledRow {
  table: string;
  key: unknown[];
  image: Record<string, unknown> | null;
}

describe.each(TEST_ENGINES)('hub tasks on $name', (te) => {
  let engine: Engine;
  let app: FastifyInstance;
  let hub: TeamHub;
  let ownerSession: string;

  beforeAll(async () => {
    hub = await openTeamHub(te);
    ({ engine, app } = hub);
    ownerSession = hub.owner;
  });
  afterAll(() => hub.close());

  const station = (user: string, role: string, name: string) => joinStation(app, ownerSession, user, role, name);
  let ms = Date.now();
  function op(s: TestStation, name: string, actor: string, effects: PushOp['effects']): PushOp {
    s.seq += 1;
    ms += 10;
    return { seq: s.seq, id: `${s.id}-${s.seq}`, name, hlc: hlc(ms, s.id), actor, args: {}, effects };
  }
  async function push(s: TestStation, ops: PushOp[]): Promise<void> {
    const r = await pushAs(app, s, ops);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string; reason?: string }) => x.reason ?? x.status)).toEqual(ops.map(() => 'applied'));
  }
  const pull = async (s: TestStation): Promise<PulledRow[]> => (await call(app, 'GET', '/v1/pull?cursor=0&limit=5000', { token: s.token })).body.rows;
  const tasksOf = (rows: PulledRow[]) => rows.filter((r) => r.table === 'tasks' && r.image !== null).map((r) => r.image!);
  const mv = (id: string, delta: number, actor: string) => ({
    table: 'stock_movements',
    key: [id],
    columns: { id, sku_id: 'sku-1', warehouse_id: 'wh-1', delta, reason: delta > 0 ? 'receive' : 'ship', actor, at: 1 },
  });

  it('an oversell becomes one task for the owner naming the SKU and warehouse; an open alert adds none; a new raise adds one', async () => {
    const lead = await station('lead', 'operator', '组长电脑');
    const a = await station('xiaoli', 'packer', '一号打包台');
    const b = await station('xiaowang', 'packer', '二号打包台');
    await push(lead, [
      op(lead, 'skus.add', 'lead', [{ table: 'skus', key: ['sku-1'], columns: { id: 'sku-1', outer_sku_code: 'NZ-2301-BK-M', name: '黑色 M' } }]),
      op(lead, 'warehouses.add', 'lead', [{ table: 'warehouses', key: ['wh-1'], columns: { id: 'wh-1', code: 'WH1', name: '主仓' } }]),
      op(lead, 'stock.receive', 'lead', [mv('m1', 3, 'lead')]),
    ]);
    await push(a, [op(a, 'orders.ship', 'xiaoli', [mv('m2', -2, 'xiaoli')])]);
    expect(tasksOf(await pull(a))).toEqual([]);

    await push(b, [op(b, 'orders.ship', 'xiaowang', [mv('m3', -2, 'xiaowang')])]);
    const team = (await call(app, 'GET', '/v1/team', { token: a.token })).body;
    const ownerId = team.users.find((u: { name: string }) => u.name === 'boss').id;
    let tasks = tasksOf(await pull(a));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ assignee_id: ownerId, state: 'open', created_by: 'hub', order_id: null });
    expect(tasks[0]!.title).toContain('NZ-2301-BK-M');
    expect(tasks[0]!.title).toContain('主仓');
    expect(String(tasks[0]!.body)).toContain('-1');
    // Its history comes with it, and every station of the team receives it.
    expect((await pull(b)).filter((r) => r.table === 'task_events' && r.image?.task_id === tasks[0]!.id)).toHaveLength(1);

    // Still below zero: the alert stays open, no second task.
    await push(a, [op(a, 'orders.ship', 'xiaoli', [mv('m4', -1, 'xiaoli')])]);
    expect(tasksOf(await pull(a))).toHaveLength(1);

    // The owner's station moves it to done: a station's later write wins the field.
    const boss = await station('boss', 'owner', '老板电脑');
    const taskId = tasks[0]!.id as string;
    // The person clicks after the hub made it: their station's wall clock is past the hub's stamp.
    ms = Date.now() + 1000;
    await push(boss, [op(boss, 'tasks.update', 'boss', [{ table: 'tasks', key: [taskId], columns: { state: 'done', updated_at: ms } }])]);
    expect(tasksOf(await pull(a)).find((t) => t.id === taskId)).toMatchObject({ state: 'done', title: tasks[0]!.title });

    // A packer writes only their own tasks, as the hub holds them: the owner's is not theirs, and
    // they make none for another person; one for themselves goes through.
    const refusedMove = await pushAs(app, a, [op(a, 'tasks.update', 'xiaoli', [{ table: 'tasks', key: [taskId], columns: { state: 'cancelled' } }])]);
    expect(refusedMove.body.results[0]).toMatchObject({ status: 'refused', reason: 'ROLE_FORBIDDEN' });
    const packerId = team.users.find((u: { name: string }) => u.name === 'xiaoli').id;
    const newTask = (id: string, assignee: string) => ({
      table: 'tasks',
      key: [id],
      columns: { id, order_id: null, title: '盘点', body: '', assignee_id: assignee, state: 'open', created_by: packerId, created_at: 1, updated_at: 1, due_at: null },
    });
    const refusedCreate = await pushAs(app, a, [op(a, 'tasks.create', 'xiaoli', [newTask('t-for-boss', ownerId)])]);
    expect(refusedCreate.body.results[0]).toMatchObject({ status: 'refused', reason: 'ROLE_FORBIDDEN' });
    await push(a, [op(a, 'tasks.create', 'xiaoli', [newTask('t-own', packerId)])]);
    expect(tasksOf(await pull(a)).find((t) => t.id === taskId)).toMatchObject({ state: 'done' });

    // Back at zero resolves it; below zero again is a new raise and a new task.
    await push(lead, [op(lead, 'stock.receive', 'lead', [mv('m5', 2, 'lead')])]);
    await push(b, [op(b, 'orders.ship', 'xiaowang', [mv('m6', -1, 'xiaowang')])]);
    tasks = tasksOf(await pull(a)).filter((t) => t.created_by === 'hub');
    expect(tasks).toHaveLength(2);
    expect(tasks.filter((t) => t.state === 'open')).toHaveLength(1);
  });
});
