// Sync leases through the HTTP contract, on PGlite and (when the cluster is there) a real
// PostgreSQL: two stations asking for the same shops at once get one holder per shop, a lease that
// runs out is taken over with a higher fence, an ingest stamped with the old fence is refused
// (LEASE_LOST) while the new holder's lands, and changes of holder reach stations by pull.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_SCHEMA_VERSION, type PushOp } from '../../electron/shared/hub/protocol.ts';
import type { Engine } from '../db/engine.ts';
import { call, openTeamHub, type TeamHub, TEST_ENGINES } from './testkit.ts';

const hlc = (ms: number, node = 'a') => `${String(ms).padStart(15, '0')}-0000-${node}`;

interface Station {
  id: string;
  token: string;
  seq: number;
}

describe.each(TEST_ENGINES)('sync leases on $name', (te) => {
  let engine: Engine;
  let app: FastifyInstance;
  let hub: TeamHub;
  let owner: string;

  beforeAll(async () => {
    hub = await openTeamHub(te);
    ({ engine, app } = hub);
    owner = hub.owner;
  });
  afterAll(() => hub.close());

  async function station(user: string, role: string, name: string, shops?: string[]): Promise<Station> {
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user, role, ...(shops ? { shops } : {}) } });
    expect(inv.status).toBe(200);
    const j = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name } });
    expect(j.status).toBe(200);
    return { id: j.body.stationId, token: j.body.token, seq: 0 };
  }
  const take = (s: Station, shopIds: string[], ttlMs?: number) => call(app, 'POST', '/v1/leases/take', { token: s.token, body: { shopIds, ...(ttlMs ? { ttlMs } : {}) } });
  /** A platform ingest of one order of shop-1, stamped with the fence it ran under (none: a station from before leases). */
  function ingest(s: Station, ms: number, orderId: string, paid: number, fence?: number): PushOp {
    s.seq += 1;
    return {
      seq: s.seq,
      id: `${s.id}-${s.seq}`,
      name: 'sync.ingest',
      hlc: hlc(ms, s.id),
      actor: 'sync',
      args: { shopId: 'shop-1', inserted: 1, updated: 0, cursorMs: ms, ...(fence === undefined ? {} : { leaseFence: fence }) },
      effects: [{ table: 'orders', key: [orderId], columns: { id: orderId, shop_id: 'shop-1', status: 'awaiting_shipment', paid_fen: paid, platform_updated_at: ms } }],
    };
  }
  const pushOps = (s: Station, ops: PushOp[]) => call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops } });
  const hubOrder = async (s: Station, orderId: string) => {
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: s.token });
    return pulled.body.rows.find((r: { table: string; key: string[] }) => r.table === 'orders' && r.key[0] === orderId)?.image;
  };

  let a: Station;
  let b: Station;

  it('two stations racing for the same shops: one holder per shop, the other told which station syncs it', async () => {
    a = await station('xiaoli', 'packer', '一号打包台');
    b = await station('xiaowang', 'packer', '二号打包台');
    const [ra, rb] = await Promise.all([take(a, ['shop-1', 'shop-2', 'shop-3']), take(b, ['shop-3', 'shop-2', 'shop-1'])]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    const holder = new Map<string, string>();
    for (const [s, r] of [[a, ra], [b, rb]] as const) {
      for (const x of r.body.results) {
        if (x.status !== 'held') continue;
        expect(holder.has(x.shopId)).toBe(false);
        holder.set(x.shopId, s.id);
        expect(x.fence).toBe(1);
      }
    }
    expect([...holder.keys()].sort()).toEqual(['shop-1', 'shop-2', 'shop-3']);
    for (const [s, r] of [[a, ra], [b, rb]] as const) {
      for (const x of r.body.results.filter((y: { status: string }) => y.status !== 'held')) {
        expect(x.status).toBe('LEASE_HELD_BY_OTHER');
        const winner = holder.get(x.shopId);
        expect(winner).not.toBe(s.id);
        expect(x.holder).toMatchObject({ stationId: winner, stationName: winner === a.id ? '一号打包台' : '二号打包台' });
      }
    }
    // Make the rest of the suite's roles definite: a holds shop-1 (given back by b if b won it).
    if (holder.get('shop-1') === b.id) expect((await call(app, 'POST', '/v1/leases/release', { token: b.token, body: { shopIds: ['shop-1'] } })).body.released).toEqual(['shop-1']);
    const mine = (await take(a, ['shop-1'], 1000)).body.results[0];
    expect(mine).toMatchObject({ shopId: 'shop-1', status: 'held' });
    // Renewing one's own lease keeps its fence: nobody else held it in between.
    expect((await take(a, ['shop-1'], 1000)).body.results[0]).toMatchObject({ status: 'held', fence: mine.fence });
    expect((await take(b, ['shop-1'])).body.results[0]).toMatchObject({ status: 'LEASE_HELD_BY_OTHER', holder: { stationName: '一号打包台' } });
    // Who syncs which shop reaches every station by pull, as hub-owned rows of the shop's group.
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: b.token });
    const row = pulled.body.rows.find((r: { table: string; key: string[] }) => r.table === 'sync_leases' && r.key[0] === 'shop-1');
    expect(row.image).toMatchObject({ shop_id: 'shop-1', station_id: a.id, station_name: '一号打包台', fence: mine.fence });
  });

  it('a lease that runs out is taken over with a higher fence; the old holder’s ingest is refused, the new one’s lands', async () => {
    const before = (await call(app, 'GET', '/v1/leases', { token: a.token })).body.leases.find((l: { shopId: string }) => l.shopId === 'shop-1');
    const oldFence: number = before.fence;
    expect(before.holder).toMatchObject({ stationId: a.id });
    // a ingests under its lease: applied.
    expect((await pushOps(a, [ingest(a, 1000, 'O1', 100, oldFence)])).body.results[0].status).toBe('applied');
    // a goes silent; its 1 s lease runs out and b takes the shop over.
    await new Promise((res) => setTimeout(res, 1100));
    const took = (await take(b, ['shop-1'])).body.results[0];
    expect(took).toMatchObject({ status: 'held' });
    expect(took.fence).toBeGreaterThan(oldFence);
    expect((await take(a, ['shop-1'])).body.results[0]).toMatchObject({ status: 'LEASE_HELD_BY_OTHER', holder: { stationName: '二号打包台' } });
    // b ingests a newer state of O1 under the new fence.
    expect((await pushOps(b, [ingest(b, 3000, 'O1', 300, took.fence)])).body.results[0].status).toBe('applied');
    // a comes back with what it ingested offline under the old fence: refused as a result, nothing merged.
    const stale = await pushOps(a, [ingest(a, 5000, 'O1', 999, oldFence), ingest(a, 5100, 'O2', 50, oldFence)]);
    expect(stale.status).toBe(200);
    expect(stale.body.results.map((r: { status: string; reason?: string }) => [r.status, r.reason])).toEqual([
      ['refused', 'LEASE_LOST'],
      ['refused', 'LEASE_LOST'],
    ]);
    expect(stale.body.results[0].details).toMatchObject({ shopId: 'shop-1', fence: oldFence, currentFence: took.fence, holder: '二号打包台' });
    expect(await hubOrder(b, 'O1')).toMatchObject({ paid_fen: 300 });
    expect(await hubOrder(b, 'O2')).toBeUndefined();
    // An ingest without a fence (a station from before leases) and one under the current fence go on.
    expect((await pushOps(a, [ingest(a, 6000, 'O3', 70)])).body.results[0].status).toBe('applied');
    expect((await pushOps(b, [ingest(b, 7000, 'O1', 310, took.fence)])).body.results[0].status).toBe('applied');
    expect(await hubOrder(a, 'O1')).toMatchObject({ paid_fen: 310 });
    // The change of holder was published: a pulls that b syncs shop-1 now.
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: a.token });
    const row = pulled.body.rows.find((r: { table: string; key: string[] }) => r.table === 'sync_leases' && r.key[0] === 'shop-1');
    expect(row.image).toMatchObject({ station_id: b.id, station_name: '二号打包台', fence: took.fence });
  });

  it('a release hands the shop on with a higher fence; only the holder releases; a person’s shop scope bounds what a station takes', async () => {
    const current = (await take(b, ['shop-1'])).body.results[0];
    expect((await call(app, 'POST', '/v1/leases/release', { token: a.token, body: { shopIds: ['shop-1'] } })).body.released).toEqual([]);
    expect((await call(app, 'POST', '/v1/leases/release', { token: b.token, body: { shopIds: ['shop-1'] } })).body.released).toEqual(['shop-1']);
    const listed = (await call(app, 'GET', '/v1/leases', { token: a.token })).body.leases.find((l: { shopId: string }) => l.shopId === 'shop-1');
    expect(listed).toMatchObject({ holder: null, fence: current.fence });
    expect((await take(a, ['shop-1'])).body.results[0]).toMatchObject({ status: 'held', fence: current.fence + 1 });
    const scoped = await station('kefu', 'service', '客服电脑', ['shop-9']);
    const r = await take(scoped, ['shop-9', 'shop-1']);
    expect(r.body.results).toEqual([
      expect.objectContaining({ shopId: 'shop-9', status: 'held', fence: 1 }),
      { shopId: 'shop-1', status: 'SHOP_OUT_OF_SCOPE' },
    ]);
    // A person's session is no station: it cannot hold a lease.
    expect((await call(app, 'POST', '/v1/leases/take', { token: owner, body: { shopIds: ['shop-1'] } })).status).toBe(403);
    expect((await call(app, 'POST', '/v1/leases/take', { token: a.token, body: { shopIds: [] } })).status).toBe(400);
  });
});
