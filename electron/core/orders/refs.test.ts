// The reads the CLI names things with, through dispatch: orders by id or platform number
// (orders.resolveRefs), ids back to numbers (orders.numbers), the station's users (station.users)
// and the shops with their last pull (shops.connections).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopConnection, StationUser } from '../../shared/contract.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from './ingest.ts';

let f: Fixture;
beforeEach(() => {
  f = openFixture(3);
});
afterEach(() => f.close());

async function value<T>(name: string, input: unknown, actor = f.owner): Promise<T> {
  const r = await f.call(name, input, actor);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

describe('orders.resolveRefs', () => {
  it('finds an order by its id or by its platform number, and nothing for an unknown ref', async () => {
    const id = f.idOf(1);
    const no2 = platformOrder(2).platformOrderId;
    const refs = await value<{ ref: string; ids: string[] }[]>('orders.resolveRefs', { refs: [id, no2, 'NO-SUCH-ORDER'] });
    expect(refs).toEqual([
      { ref: id, ids: [id] },
      { ref: no2, ids: [f.idOf(2)] },
      { ref: 'NO-SUCH-ORDER', ids: [] },
    ]);
  });

  it('names both orders when two shops share a platform number, so the caller can ask for the id', async () => {
    const no = platformOrder(1).platformOrderId;
    f.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '二店', 'taobao', 'active', ?)").run(T0);
    const twin = platformOrder(1);
    ingestOrders(f.db, { shopId: 'shop-2', platform: 'taobao', orders: [{ order: twin, raw: twin }] }, T0 + 86_400_000);
    const twinId = f.db.$client.prepare("SELECT id FROM orders WHERE shop_id = 'shop-2'").pluck().get() as string;
    const [hit] = await value<{ ref: string; ids: string[] }[]>('orders.resolveRefs', { refs: [no] });
    expect(new Set(hit?.ids)).toEqual(new Set([f.idOf(1), twinId]));
  });
});

describe('orders.numbers', () => {
  it("gives each order's platform number and leaves out ids with no order", async () => {
    const rows = await value<{ id: string; platformOrderId: string }[]>('orders.numbers', { ids: [f.idOf(3), 'gone'] }, f.as('packer'));
    expect(rows).toEqual([{ id: f.idOf(3), platformOrderId: platformOrder(3).platformOrderId }]);
  });
});

describe('station.users', () => {
  it('lists the users oldest first with their stored roles, for managers only', async () => {
    f.as('packer', '小王');
    const users = await value<StationUser[]>('station.users', {});
    expect(users[0]).toMatchObject({ id: f.owner.userId, name: '店主', role: 'owner' });
    expect(users.find((u) => u.name === '小王')).toMatchObject({ role: 'packer' });
    const refused = await f.call('station.users', {}, f.as('packer', '小王'));
    expect(refused.ok ? 'ok' : refused.error.code).toBe('FORBIDDEN');
  });
});

describe('shops.connections', () => {
  it("lists every shop with its last pull and its error as one line, code first when it was classified", async () => {
    f.db.$client
      .prepare("INSERT INTO sync_cursors (shop_id, cursor_ms, last_success_at, last_error, last_error_code) VALUES (?, 0, ?, 'token expired', 'AUTH_EXPIRED')")
      .run(f.shopId, T0 + 5);
    const shops = await value<ShopConnection[]>('shops.connections', {});
    expect(shops).toEqual([{ id: f.shopId, name: '杭州女装旗舰店', platform: 'taobao', state: 'active', lastSuccessAt: T0 + 5, lastError: 'AUTH_EXPIRED: token expired' }]);
  });
});
