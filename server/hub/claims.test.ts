// Claims and the hub's cross-station alerts through the HTTP contract, on PGlite and (when the
// cluster is there) a real PostgreSQL: two stations claiming the same orders get one holder per
// order, expiry hands an order over, a lead hands a wave to another station, ship ends the claim, a
// second waybill for one package and a ledger below zero raise alerts that reach stations by pull.
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

describe.each(TEST_ENGINES)('claims on $name', (te) => {
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

  async function station(user: string, role: string, name: string): Promise<Station> {
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user, role } });
    expect(inv.status).toBe(200);
    const j = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name } });
    expect(j.status).toBe(200);
    return { id: j.body.stationId, token: j.body.token, seq: 0 };
  }
  function op(s: Station, name: string, ms: number, effects: PushOp['effects']): PushOp {
    s.seq += 1;
    return { seq: s.seq, id: `${s.id}-${s.seq}`, name, hlc: hlc(ms, s.id), actor: 'boss', args: {}, effects };
  }
  const pushOps = (s: Station, ops: PushOp[]) => call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops } });
  const take = (s: Station, orderIds: string[], extra: Record<string, unknown> = {}) => call(app, 'POST', '/v1/claims/take', { token: s.token, body: { orderIds, ...extra } });
  const order = (id: string, status = 'awaiting_shipment') => ({ table: 'orders', key: [id], columns: { id, shop_id: 'shop-1', status, platform_updated_at: status === 'shipped' ? 2 : 1 } });

  let a: Station;
  let b: Station;
  let lead: Station;

  it('two stations claiming the same orders at once: one holder per order, the other told who', async () => {
    a = await station('xiaoli', 'packer', '一号打包台');
    b = await station('xiaowang', 'packer', '二号打包台');
    lead = await station('lead', 'operator', '组长电脑');
    expect((await pushOps(a, [op(a, 'sync.ingest', 1000, ['O1', 'O2', 'O3', 'O4'].map((id) => order(id)))])).body.results[0].status).toBe('applied');
    const [ra, rb] = await Promise.all([take(a, ['O1', 'O2', 'O3']), take(b, ['O3', 'O2', 'O4'])]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    const holderOf = new Map<string, string>();
    for (const [s, r] of [[a, ra], [b, rb]] as const) {
      for (const x of r.body.results) if (x.status === 'held') {
        expect(holderOf.has(x.orderId)).toBe(false);
        holderOf.set(x.orderId, s.id);
      }
    }
    expect([...holderOf.keys()].sort()).toEqual(['O1', 'O2', 'O3', 'O4']);
    // The loser of each contested order is told the winner's station and person.
    for (const [s, r] of [[a, ra], [b, rb]] as const) {
      for (const x of r.body.results.filter((y: { status: string }) => y.status === 'CLAIM_HELD_BY_OTHER')) {
        const winner = holderOf.get(x.orderId);
        expect(winner).not.toBe(s.id);
        expect(x.holder).toMatchObject({ stationId: winner, stationName: winner === a.id ? '一号打包台' : '二号打包台', userName: winner === a.id ? 'xiaoli' : 'xiaowang' });
      }
    }
    // Asking again for what one already holds renews it; the other is still refused.
    const again = await take(a, ['O1']);
    expect(again.body.results[0]).toMatchObject({ orderId: 'O1', status: 'held', version: 1 });
    expect((await take(b, ['O1'])).body.results[0]).toMatchObject({ status: 'CLAIM_HELD_BY_OTHER', holder: { stationName: '一号打包台', userName: 'xiaoli' } });
    // Claims reach stations by pull as hub-owned rows of the order's shop.
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: b.token });
    const claimRow = pulled.body.rows.find((r: { table: string; key: string[] }) => r.table === 'claims' && r.key[0] === 'O1');
    expect(claimRow.image).toMatchObject({ order_id: 'O1', station_id: a.id, station_name: '一号打包台', user_name: 'xiaoli' });
  });

  it('a released or expired claim can be taken by another station; a lead hands a wave to a station', async () => {
    expect((await call(app, 'POST', '/v1/claims/release', { token: b.token, body: { orderIds: ['O1'] } })).body.released).toEqual([]);
    const r = await call(app, 'POST', '/v1/claims/release', { token: a.token, body: { orderIds: ['O1'] } });
    expect(r.body.released).toEqual(['O1']);
    expect((await take(b, ['O1'])).body.results[0]).toMatchObject({ status: 'held', version: 2 });
    // A short claim that runs out is anyone's.
    expect((await take(a, ['O5'], { ttlMs: 1000 })).body.results[0].status).toBe('held');
    expect((await take(b, ['O5'])).body.results[0].status).toBe('CLAIM_HELD_BY_OTHER');
    await new Promise((res) => setTimeout(res, 1100));
    expect((await take(b, ['O5'])).body.results[0]).toMatchObject({ status: 'held', version: 2 });
    // A packer may not hand orders to another station; an operator may.
    expect((await take(a, ['O6'], { forStationId: b.id })).status).toBe(403);
    const wave = await take(lead, ['O6', 'O7'], { forStationId: b.id });
    expect(wave.body).toMatchObject({ stationId: b.id, results: [{ orderId: 'O6', status: 'held' }, { orderId: 'O7', status: 'held' }] });
    expect((await take(a, ['O6'])).body.results[0]).toMatchObject({ status: 'CLAIM_HELD_BY_OTHER', holder: { stationId: b.id, userName: 'xiaowang' } });
  });

  it('merging the ship of an order ends its claim', async () => {
    const held = (await call(app, 'POST', '/v1/claims/read', { token: a.token, body: { orderIds: ['O6', 'O7'] } })).body.claims;
    expect(held.map((c: { orderId: string }) => c.orderId).sort()).toEqual(['O6', 'O7']);
    await pushOps(a, [op(a, 'sync.ingest', 2000, [order('O6'), order('O7')])]);
    const shipped = await pushOps(b, [op(b, 'orders.ship', 3000, [order('O6', 'shipped')])]);
    expect(shipped.body.results[0].status).toBe('applied');
    const after = (await call(app, 'POST', '/v1/claims/read', { token: a.token, body: { orderIds: ['O6', 'O7'] } })).body.claims;
    expect(after.map((c: { orderId: string }) => c.orderId)).toEqual(['O7']);
    expect((await take(a, ['O6'])).body.results[0].status).toBe('held');
  });

  it('a second waybill for one package raises DUPLICATE_WAYBILL, seen by every station', async () => {
    const pkg = (waybill: string) => ({ table: 'packages', key: ['P1'], columns: { id: 'P1', order_id: 'O2', seq: 1, waybill_no: waybill, state: 'allocated' } });
    expect((await pushOps(a, [op(a, 'print.labels', 4000, [pkg('YD0001')])])).body.results[0].status).toBe('applied');
    // Sending the same number again is no conflict.
    await pushOps(a, [op(a, 'print.labels', 4100, [pkg('YD0001')])]);
    expect((await call(app, 'GET', '/v1/alerts', { token: b.token })).body.alerts).toEqual([]);
    await pushOps(b, [op(b, 'print.labels', 4200, [pkg('YD0002')])]);
    const alerts = (await call(app, 'GET', '/v1/alerts', { token: a.token })).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'DUPLICATE_WAYBILL', subject: 'P1', details: { orderId: 'O2', waybills: ['YD0001', 'YD0002'], station: '二号打包台' }, resolvedAt: null });
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: a.token });
    expect(pulled.body.rows.some((r: { table: string; image: { kind?: string } }) => r.table === 'hub_alerts' && r.image?.kind === 'DUPLICATE_WAYBILL')).toBe(true);
  });

  it('two stations selling the same stock offline: the hub ledger below zero raises OVERSOLD, a receipt resolves it', async () => {
    const mv = (id: string, delta: number, actor: string) => ({
      table: 'stock_movements',
      key: [id],
      columns: { id, sku_id: 'sku-1', warehouse_id: 'wh-1', delta, reason: delta > 0 ? 'receive' : 'ship', actor, at: 1 },
    });
    await pushOps(lead, [op(lead, 'stock.receive', 5000, [mv('m1', 3, 'lead')])]);
    await pushOps(a, [op(a, 'orders.ship', 5100, [mv('m2', -2, 'xiaoli')])]);
    let oversold = (await call(app, 'GET', '/v1/alerts', { token: a.token })).body.alerts.filter((x: { kind: string }) => x.kind === 'OVERSOLD');
    expect(oversold).toEqual([]);
    await pushOps(b, [op(b, 'orders.ship', 5200, [mv('m3', -2, 'xiaowang')])]);
    oversold = (await call(app, 'GET', '/v1/alerts', { token: a.token })).body.alerts.filter((x: { kind: string }) => x.kind === 'OVERSOLD');
    expect(oversold).toHaveLength(1);
    expect(oversold[0]).toMatchObject({ subject: 'sku-1|wh-1', details: { skuId: 'sku-1', warehouseId: 'wh-1', onHand: -1 }, resolvedAt: null });
    expect([...oversold[0].details.actors].sort()).toEqual(['xiaoli', 'xiaowang', 'lead'].sort());
    await pushOps(lead, [op(lead, 'stock.receive', 5300, [mv('m4', 5, 'lead')])]);
    oversold = (await call(app, 'GET', '/v1/alerts', { token: a.token })).body.alerts.filter((x: { kind: string }) => x.kind === 'OVERSOLD');
    expect(oversold[0].resolvedAt).not.toBeNull();
  });
});
