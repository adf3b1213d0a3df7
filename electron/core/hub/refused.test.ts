// A refused op's changes do not stay on the station that made it (docs/team-hub.md#refused-ops):
// two stations and one real hub (server/, in-process on PGlite, over loopback HTTP); one station
// writes a note and edits a memo as a person the hub does not know, and after a sync both stations
// hold the hub's view — the note gone, the memo as it was — while the refusal stays listed with its
// reason. A row a later local op still writes is left alone until that op is answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Engine } from '../../../server/db/engine.ts';
import { createHubApp, listenHub, type RunningHub } from '../../../server/hub/app.ts';
import { createTeam } from '../../../server/hub/identity.ts';
import { post } from '../../../server/hub/testkit.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';
import { createRawKeyCipher } from '../shops/secrets.ts';
import { applyPull, BOOTSTRAP_OP, joinHub, pullOnce, pushOnce, syncOnce, type HubDeps } from './client.ts';
import { readHubSettings } from './settings.ts';
import { hubStatus } from './status.ts';

let engine: Engine;
let hub: RunningHub;
let ownerToken: string;
const cipher = createRawKeyCipher(Buffer.alloc(32, 9), 'local-key');
const deps: HubDeps = { cipher };

const inviteCode = async (user: string, role: string): Promise<string> => (await post(hub.url, '/v1/invites', { user, role }, ownerToken)).code;

beforeAll(async () => {
  engine = await openPglite(null);
  hub = await listenHub(await createHubApp({ engine }), { port: 0 });
  await createTeam(engine, { team: '退回店群', owner: '店主', password: 'correct horse' });
  ownerToken = (await post(hub.url, '/v1/login', { team: '退回店群', user: '店主', password: 'correct horse' })).token;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await engine?.close();
});

const memoOf = (f: Fixture, id: string) => f.db.$client.prepare('SELECT seller_memo FROM orders WHERE id = ?').pluck().get(id);
const notesOf = (f: Fixture) => f.db.$client.prepare('SELECT id, order_id, body FROM order_notes ORDER BY id').all();
const ordersOf = (f: Fixture) => f.db.$client.prepare('SELECT id, seller_memo, seller_flag, stage FROM orders ORDER BY id').all();

describe('a refused op on one of two stations', () => {
  let a: Fixture;
  let b: Fixture;

  afterAll(() => {
    a?.close();
    b?.close();
  });

  it('leaves both stations with the hub’s view: the refused note and memo are gone from the station that made them', async () => {
    a = openFixture(3);
    await joinHub(a.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '一号打包台' });
    await syncOnce(a.db, deps);
    b = openFixture(0);
    await joinHub(b.db, deps, { url: hub.url, code: await inviteCode('店主', 'owner'), name: '二号打包台' });
    await syncOnce(b.db, deps);
    const id = a.idOf(1);
    expect(await a.call('orders.setFlag', { ids: [id], memo: '大家的备注' })).toMatchObject({ ok: true });
    expect(await a.call('orders.addNote', { id, body: '店主写的' })).toMatchObject({ ok: true });
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    const agreed = { orders: ordersOf(b), notes: notesOf(b) };
    expect(agreed.notes).toHaveLength(1);

    // Someone at A acts as the station's pre-hub account, whom the hub does not know.
    const ghost = a.as('owner', '本机账号');
    expect(await a.call('orders.addNote', { id, body: '不该留下的备注' }, ghost)).toMatchObject({ ok: true });
    expect(await a.call('orders.setFlag', { ids: [id], memo: '不该留下的备注' }, ghost)).toMatchObject({ ok: true });
    expect(notesOf(a)).toHaveLength(2);

    const r = await syncOnce(a.db, deps);
    expect(r.refused).toBe(2);
    await syncOnce(b.db, deps);
    await syncOnce(a.db, deps);

    expect(notesOf(a)).toEqual(agreed.notes);
    expect(ordersOf(a)).toEqual(agreed.orders);
    expect(memoOf(a, id)).toBe('大家的备注');
    expect({ orders: ordersOf(b), notes: notesOf(b) }).toEqual(agreed);
    // The person still sees what was refused, and why.
    const status = hubStatus(a.db);
    expect(status.opsWaiting).toBe(0);
    expect(status.refused.map((x) => [x.name, x.actor, x.reason]).sort()).toEqual([
      ['orders.addNote', '本机账号', 'UNKNOWN_ACTOR'],
      ['orders.setFlag', '本机账号', 'UNKNOWN_ACTOR'],
    ]);
    // The searchable order is the hub's too: the refused memo finds nothing.
    const hits = await a.call('orders.list', { filter: { q: '不该留下' } });
    expect(hits).toMatchObject({ ok: true, value: { rows: [] } });
  }, 60_000);

  it('a row a later, unanswered local op writes keeps that op’s value until it is answered', async () => {
    const id = a.idOf(2);
    const ghost = a.as('owner', '本机账号');
    expect(await a.call('orders.setFlag', { ids: [id], memo: '被拒的备注' }, ghost)).toMatchObject({ ok: true });
    expect(await a.call('orders.addNote', { id, body: '被拒的备注' }, ghost)).toMatchObject({ ok: true });
    await pushOnce(a.db, deps);
    // Before the pull: the owner edits the same memo (not sent yet).
    expect(await a.call('orders.setFlag', { ids: [id], memo: '之后的备注' })).toMatchObject({ ok: true });
    const out = await pullOnce(a.db, deps);
    expect(out.kept).toBeGreaterThanOrEqual(1);
    expect(memoOf(a, id)).toBe('之后的备注');
    expect(notesOf(a).map((n) => (n as { body: string }).body)).not.toContain('被拒的备注');
    await syncOnce(a.db, deps);
    await syncOnce(b.db, deps);
    expect(memoOf(a, id)).toBe('之后的备注');
    expect(memoOf(b, id)).toBe('之后的备注');
    expect(notesOf(a)).toEqual(notesOf(b));
  }, 60_000);

  it('deletes a named row only when no unanswered op writes it, and never for a refused bootstrap', async () => {
    const id = a.idOf(3);
    expect(await a.call('orders.addNote', { id, body: '一' })).toMatchObject({ ok: true });
    expect(await a.call('orders.addNote', { id, body: '二' })).toMatchObject({ ok: true });
    await syncOnce(a.db, deps);
    const noteId = (body: string) => a.db.$client.prepare('SELECT id FROM order_notes WHERE body = ?').pluck().get(body) as string;
    const [one, two] = [noteId('一'), noteId('二')];
    // A third, unsent note's row is still written by a pending op.
    expect(await a.call('orders.addNote', { id, body: '三' })).toMatchObject({ ok: true });
    const three = noteId('三');
    const s = readHubSettings(a.db)!;
    const refused = (seq: number, name: string, key: string) => ({
      seq,
      opId: `fake-${seq}`,
      name,
      status: 'refused' as const,
      reason: 'PARENT_UNKNOWN',
      reverts: [{ table: 'order_notes', key: [key] }],
    });
    applyPull(a.db, s, { rows: [], cursor: s.cursor, results: [refused(9001, BOOTSTRAP_OP, one), refused(9002, 'orders.addNote', two), refused(9003, 'orders.addNote', three)] }, Date.now());
    expect(notesOf(a).map((n) => (n as { body: string }).body)).toEqual(expect.arrayContaining(['一', '三']));
    expect(notesOf(a).map((n) => (n as { id: string }).id)).not.toContain(two);
  }, 60_000);
});
