// The hub's state wins over a refused op (docs/team-hub.md#refused-ops): the station that made it
// is sent the hub's image of every row the op touched and the hub has (under a new sync id), and
// told, in the op's result, which rows the hub will never send it (never had, or outside its
// groups) so it deletes them. Other stations are sent nothing they did not have. PGlite and, when
// the cluster is there, PostgreSQL.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushOp } from '../../electron/shared/hub/protocol.ts';
import type { Engine } from '../db/engine.ts';
import { createTeam } from './identity.ts';
import { call, joinStation, openTeamHub, pushAs, TEST_ENGINES, type TeamHub, type TestStation } from './testkit.ts';

const hlc = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-0000-${node}`;

describe.each(TEST_ENGINES)('refused ops on $name', (te) => {
  // Each test makes its own team on the hub's engine, so the stations below are its only ones.
  let hub: TeamHub;
  let engine: Engine;
  let app: FastifyInstance;

  beforeAll(async () => {
    hub = await openTeamHub(te);
    ({ engine, app } = hub);
  });
  afterAll(() => hub.close());

  const station = (owner: string, user: string, role: string, shops?: string[]): Promise<TestStation> =>
    joinStation(app, owner, user, role, `${user}'s desk`, shops);
  const op = (s: TestStation, name: string, actor: string, ms: number, effects: PushOp['effects']): PushOp => {
    s.seq += 1;
    return { seq: s.seq, id: `${s.id}-${s.seq}`, name, hlc: hlc(ms, s.id), actor, args: {}, effects };
  };
  const pullFrom = (s: TestStation, cursor: number, resultsAfter = 0) =>
    call(app, 'GET', `/v1/pull?cursor=${cursor}&resultsAfter=${resultsAfter}`, { token: s.token });
  const order = (id: string, shop: string, memo: string) => ({
    table: 'orders',
    key: [id],
    columns: { shop_id: shop, platform: 'sandbox', platform_order_id: id, status: 'paid', platform_updated_at: 1, seller_memo: memo },
  });
  const note = (id: string, orderId: string) => ({ table: 'order_notes', key: [id], columns: { order_id: orderId, author: 'ghost', body: '不该留下', created_at: 1 } });

  it('sends the refusing station the hub’s image of rows it has, and names the rows it has not', async () => {
    await createTeam(engine, { team: 'refusals', owner: 'boss', password: 'correct horse' });
    const owner = (await call(app, 'POST', '/v1/login', { body: { team: 'refusals', user: 'boss', password: 'correct horse' } })).body.token as string;
    const a = await station(owner, 'boss', 'owner');
    const b = await station(owner, 'boss', 'owner');
    await pushAs(app, a, [op(a, 'sync.ingest', 'sync', 10, [order('o1', 'shop-a', 'hub memo'), order('o2', 'shop-b', 'b memo')])]);
    const aBefore = await pullFrom(a, 0);
    const bBefore = await pullFrom(b, 0);

    // A person the hub does not know edits o1's memo and writes a note the hub never had.
    const r = await pushAs(app, a, [op(a, 'orders.memo', 'ghost', 20, [{ table: 'orders', key: ['o1'], columns: { seller_memo: 'refused memo' } }, note('n1', 'o1')])]);
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      expect.objectContaining({ status: 'refused', reason: 'UNKNOWN_ACTOR', reverts: [{ table: 'order_notes', key: ['n1'] }] }),
    ]);

    // A's next pull: o1 again with the hub's memo, and the result naming the note to delete.
    const aAfter = await pullFrom(a, aBefore.body.cursor, 1);
    expect(aAfter.body.rows.map((x: { table: string; key: string[]; image: Record<string, unknown> | null }) => [x.table, x.key[0], x.image?.seller_memo])).toEqual([
      ['orders', 'o1', 'hub memo'],
    ]);
    expect(aAfter.body.results).toEqual([expect.objectContaining({ seq: 2, reason: 'UNKNOWN_ACTOR', reverts: [{ table: 'order_notes', key: ['n1'] }] })]);
    // B never had the note: it is not told about it (its image of o1 comes again, unchanged).
    const bAfter = await pullFrom(b, bBefore.body.cursor);
    expect(bAfter.body.rows.map((x: { table: string; key: string[] }) => `${x.table}:${x.key[0]}`)).toEqual(['orders:o1']);
    expect(bAfter.body.results).toEqual([]);
  });

  it('names a row the hub has outside the station’s shops as one to delete', async () => {
    await createTeam(engine, { team: 'scoped', owner: 'boss', password: 'correct horse' });
    const owner = (await call(app, 'POST', '/v1/login', { body: { team: 'scoped', user: 'boss', password: 'correct horse' } })).body.token as string;
    const o = await station(owner, 'boss', 'owner');
    const s = await station(owner, 'dabao', 'packer', ['shop-a']);
    await pushAs(app, o, [op(o, 'sync.ingest', 'sync', 10, [order('o1', 'shop-a', 'a'), order('o9', 'shop-b', 'b')])]);
    // The scoped station writes the other shop's order (and its own): refused whole.
    const r = await pushAs(app, s, [op(s, 'sync.ingest', 'sync', 20, [order('o1', 'shop-a', 'mine'), order('o9', 'shop-b', 'not mine')])]);
    expect(r.body.results).toEqual([expect.objectContaining({ status: 'refused', reason: 'SHOP_OUT_OF_SCOPE', reverts: [{ table: 'orders', key: ['o9'] }] })]);
    const p = await pullFrom(s, 0);
    expect(p.body.rows.filter((x: { table: string }) => x.table === 'orders').map((x: { key: string[]; image: Record<string, unknown> }) => [x.key[0], x.image.seller_memo])).toEqual([
      ['o1', 'a'],
    ]);
    // The hub kept its own state.
    const all = await pullFrom(o, 0);
    expect(all.body.rows.filter((x: { table: string }) => x.table === 'orders').map((x: { key: string[]; image: Record<string, unknown> }) => [x.key[0], x.image.seller_memo])).toEqual([
      ['o1', 'a'],
      ['o9', 'b'],
    ]);
  });
});
