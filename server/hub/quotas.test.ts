// Stock quotas through the HTTP contract, on PGlite and (when the cluster is there) a real
// PostgreSQL: an owner or operator sets each station's offline quota of a SKU (a packer may not,
// a bad body is a 400, a station of another team is not found), stations pull them as hub-owned
// rows, a removal travels as a deletion, and a push whose ship movements take more of a SKU than
// the station's quota raises QUOTA_EXCEEDED — across the ops of one push, per warehouse or over all.
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

describe.each(TEST_ENGINES)('stock quotas on $name', (te) => {
  let engine: Engine;
  let app: FastifyInstance;
  let hub: TeamHub;
  let owner: string;
  let a: Station;
  let b: Station;

  beforeAll(async () => {
    hub = await openTeamHub(te);
    ({ engine, app } = hub);
    owner = hub.owner;
    a = await station('xiaoli', 'packer', '一号打包台');
    b = await station('xiaowang', 'packer', '二号打包台');
  });
  afterAll(() => hub.close());

  async function station(user: string, role: string, name: string): Promise<Station> {
    const inv = await call(app, 'POST', '/v1/invites', { token: owner, body: { user, role } });
    expect(inv.status).toBe(200);
    const j = await call(app, 'POST', '/v1/join', { body: { code: inv.body.code, name } });
    expect(j.status).toBe(200);
    return { id: j.body.stationId, token: j.body.token, seq: 0 };
  }
  function op(s: Station, ms: number, effects: PushOp['effects']): PushOp {
    s.seq += 1;
    return { seq: s.seq, id: `${s.id}-${s.seq}`, name: 'orders.ship', hlc: hlc(ms, s.id), actor: 'boss', args: {}, effects };
  }
  const ship = (id: string, sku: string, wh: string, units: number) => ({
    table: 'stock_movements',
    key: [id],
    columns: { id, sku_id: sku, warehouse_id: wh, delta: -units, reason: 'ship', actor: 'boss', at: 1 },
  });
  const pushOps = (s: Station, ops: PushOp[]) => call(app, 'POST', '/v1/push', { token: s.token, body: { stationId: s.id, schemaVersion: HUB_SCHEMA_VERSION, ops } });
  const quotaAlerts = async () => (await call(app, 'GET', '/v1/alerts', { token: owner })).body.alerts.filter((x: { kind: string }) => x.kind === 'QUOTA_EXCEEDED');

  it('an owner sets quotas; a packer may not; a bad body or another team’s station is refused', async () => {
    const set = await call(app, 'POST', '/v1/quotas', {
      token: owner,
      body: { quotas: [{ stationId: a.id, skuId: 'sku-hot', quantity: 5 }, { stationId: b.id, skuId: 'sku-hot', warehouseId: 'wh-1', quantity: 2 }] },
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ set: 2, removed: 0 });
    expect((await call(app, 'POST', '/v1/quotas', { token: a.token, body: { quotas: [{ stationId: a.id, skuId: 'sku-hot', quantity: 50 }] } })).status).toBe(403);
    expect((await call(app, 'POST', '/v1/quotas', { token: owner, body: { quotas: [{ stationId: a.id, skuId: 'sku-hot', quantity: -1 }] } })).status).toBe(400);
    expect((await call(app, 'POST', '/v1/quotas', { token: owner, body: { quotas: [] } })).status).toBe(400);
    expect((await call(app, 'POST', '/v1/quotas', { token: owner, body: { quotas: [{ stationId: 'not-ours', skuId: 'sku-hot', quantity: 1 }] } })).status).toBe(404);
    const listed = await call(app, 'GET', '/v1/quotas', { token: a.token });
    expect(listed.body.quotas).toEqual([
      expect.objectContaining({ stationId: a.id, stationName: '一号打包台', skuId: 'sku-hot', warehouseId: '', quantity: 5, setBy: 'boss' }),
      expect.objectContaining({ stationId: b.id, stationName: '二号打包台', skuId: 'sku-hot', warehouseId: 'wh-1', quantity: 2 }),
    ]);
    // Every station pulls every quota (team group), as hub-owned rows keyed by station, SKU and warehouse.
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: b.token });
    const rows = pulled.body.rows.filter((r: { table: string }) => r.table === 'stock_quotas');
    expect(rows.map((r: { key: unknown[]; image: { quantity: number } }) => [r.key, r.image.quantity])).toEqual(
      expect.arrayContaining([
        [[a.id, 'sku-hot', ''], 5],
        [[b.id, 'sku-hot', 'wh-1'], 2],
      ]),
    );
  });

  it('sales within the quota raise nothing; one push selling past it raises QUOTA_EXCEEDED with what was sold', async () => {
    expect((await pushOps(a, [op(a, 1000, [ship('m1', 'sku-hot', 'wh-1', 3)]), op(a, 1001, [ship('m2', 'sku-hot', 'wh-2', 2)])])).status).toBe(200);
    expect(await quotaAlerts()).toEqual([]);
    // Station B's quota is for warehouse wh-1 only: units from wh-2 do not count against it.
    await pushOps(b, [op(b, 1100, [ship('m3', 'sku-hot', 'wh-2', 9)])]);
    expect(await quotaAlerts()).toEqual([]);
    const r = await pushOps(b, [op(b, 1200, [ship('m4', 'sku-hot', 'wh-1', 2)]), op(b, 1201, [ship('m5', 'sku-hot', 'wh-1', 1)])]);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
    const alerts = await quotaAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      subject: `${b.id}|sku-hot|wh-1`,
      details: { stationId: b.id, stationName: '二号打包台', skuId: 'sku-hot', warehouseId: 'wh-1', quota: 2, sold: 3 },
      resolvedAt: null,
    });
    const pulled = await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: a.token });
    expect(pulled.body.rows.some((x: { table: string; image: { kind?: string } | null }) => x.table === 'hub_alerts' && x.image?.kind === 'QUOTA_EXCEEDED')).toBe(true);
  });

  it('a removed quota travels as a deletion and no longer limits the station', async () => {
    const before = (await call(app, 'GET', '/v1/pull?cursor=0&limit=1000', { token: a.token })).body.cursor;
    const r = await call(app, 'POST', '/v1/quotas', { token: owner, body: { quotas: [{ stationId: a.id, skuId: 'sku-hot', quantity: null }] } });
    expect(r.body).toEqual({ set: 0, removed: 1 });
    const pulled = await call(app, 'GET', `/v1/pull?cursor=${before}&limit=1000`, { token: a.token });
    expect(pulled.body.rows.filter((x: { table: string }) => x.table === 'stock_quotas')).toEqual([expect.objectContaining({ key: [a.id, 'sku-hot', ''], image: null })]);
    await pushOps(a, [op(a, 1300, [ship('m6', 'sku-hot', 'wh-1', 40)])]);
    expect((await quotaAlerts()).filter((x: { subject: string }) => x.subject.startsWith(a.id))).toEqual([]);
  });
});
