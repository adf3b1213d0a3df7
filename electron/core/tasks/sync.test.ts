// Tasks and mentions between two stations through one real hub (server/, in-process on PGlite, over
// loopback HTTP): customer service at one station hands a packer at the other a task on an order
// and mentions them in a note; the packer's station receives both, moves the task, and the first
// station sees the move and who made it, at which station.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, TaskView, TeamTimelineEntry } from '../../shared/contract.ts';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { HybridClock } from '../api/hlc.ts';
import { joinHub, syncOnce, type HubDeps } from '../hub/client.ts';
import { hubStatus } from '../hub/status.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const deps: HubDeps = { cipher: createRawKeyCipher(Buffer.alloc(32, 9), 'local-key') };

const inviteCode = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '苏州店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '苏州店群', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

const value = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

/** A person of the team as the station knows them from the hub's users rows. */
function hubPerson(f: Fixture, name: string): Actor {
  const u = f.db.$client.prepare<[string], { id: string; role: Actor['role'] }>('SELECT id, role FROM users WHERE name = ? ORDER BY created_at DESC').get(name);
  if (!u) throw new Error(`${name} has not reached this station`);
  return { userId: u.id, name, role: u.role };
}

/** Both fixtures' clocks start at the same fake instant; a later write must carry a later stamp. */
let skew = 0;
const later = (f: Fixture) => f.ctx().clock.observe(HybridClock.encode(Date.now() + ++skew * 10, 0, 'wall'));

describe('tasks between two stations', () => {
  let a: Fixture;
  let b: Fixture;
  afterAll(() => {
    a?.close();
    b?.close();
  });

  it('a task and a mention made at one station reach the assignee at the other; their move comes back', async () => {
    await inviteCode('客服小美', 'service');
    await inviteCode('xiaoli', 'packer');
    a = openFixture(2);
    // The first station brings its orders, which only an owner may do; people then work at it under their own names.
    await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '客服电脑' });
    await syncOnce(a.db, deps);
    b = openFixture(0);
    await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('xiaoli', 'packer'), name: '一号打包台' });
    await syncOnce(b.db, deps);
    await syncOnce(a.db, deps);

    const service = hubPerson(a, '客服小美');
    const packerAtA = hubPerson(a, 'xiaoli');
    const orderId = a.idOf(1);
    later(a);
    const task = value<TaskView>(await a.call('tasks.create', { orderId, title: '需要赠品', assigneeId: packerAtA.userId }, service));
    expect(await a.call('orders.addNote', { id: orderId, body: '@xiaoli 记得放袜子' }, service)).toMatchObject({ ok: true });
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    expect(a.db.$client.prepare(`SELECT name, hub_reason, hub_details FROM ops WHERE hub_state = 'refused'`).all()).toEqual([]);
    expect(hubStatus(a.db)).toMatchObject({ opsWaiting: 0, opsRefused: 0 });

    const packer = hubPerson(b, 'xiaoli');
    expect(packer.userId).toBe(packerAtA.userId);
    const inbox = value<{ rows: TaskView[] }>(await b.call('tasks.list', { mine: true, state: 'active' }, packer));
    expect(inbox.rows).toEqual([expect.objectContaining({ id: task.id, title: '需要赠品', orderId, assigneeName: 'xiaoli', createdByName: '客服小美', platformOrderId: 'P00000001' })]);
    const mentions = value<{ rows: { body: string; station: string | null }[] }>(await b.call('tasks.mentions', {}, packer));
    expect(mentions.rows).toEqual([expect.objectContaining({ body: '@xiaoli 记得放袜子', station: '客服电脑' })]);

    later(b);
    expect(await b.call('tasks.update', { id: task.id, state: 'done' }, packer)).toMatchObject({ ok: true });
    await syncOnce(b.db, deps);
    await syncOnce(a.db, deps);
    expect(hubStatus(b.db)).toMatchObject({ opsWaiting: 0, opsRefused: 0 });
    expect(value<{ rows: TaskView[] }>(await a.call('tasks.list', { orderId }, service))).toMatchObject({ rows: [{ id: task.id, state: 'done' }] });
    const timeline = value<TeamTimelineEntry[]>(await a.call('tasks.timeline', { orderId }, service));
    // Sorted: each fixture's wall clock is its own fake counter, so the two stations' times do not interleave truly.
    expect(timeline.filter((e) => e.kind !== 'audit').map((e) => `${e.kind}:${e.actor}@${e.station}:${e.field}`).sort()).toEqual([
      'note:客服小美@客服电脑:null',
      'task:xiaoli@一号打包台:state',
      'task:客服小美@客服电脑:created',
    ].sort());
  }, 60_000);
});
