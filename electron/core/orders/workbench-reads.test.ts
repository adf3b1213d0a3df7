// Reads behind the workbench's per-shop counts, the 快递/面单号 column and the selection kept after
// a batch action: each checked against a brute-force answer over the same orders.
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderFilter, OrderRow } from '../../shared/contract.ts';
import { openFixture, platformOrder, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { ingestOrders } from './ingest.ts';
import { okAfter } from '../../testkit/results.ts';

let fx: Fixture;
afterEach(() => fx?.close());

async function allRows(f: Fixture, filter: OrderFilter): Promise<OrderRow[]> {
  return (await okAfter<{ rows: OrderRow[] }>(f.call('orders.list', { filter, limit: 1000 }))).rows;
}

/** Two shops: 30 orders in shop-1, 12 in shop-2; some held, some with a buyer message. */
async function twoShops(): Promise<Fixture> {
  const f = openFixture(30);
  f.db.$client.prepare("INSERT INTO shops (id, name, platform, state, created_at) VALUES ('shop-2', '拼多多百货店', 'pdd', 'active', ?)").run(T0);
  const second = Array.from({ length: 12 }, (_, i) =>
    platformOrder(100 + i, { platformOrderId: `PDD-${i}`, buyerMessage: i % 3 === 0 ? '周末送' : null, paidAt: T0 + i * 3_600_000 }),
  );
  ingestOrders(f.db, { shopId: 'shop-2', platform: 'pdd', orders: second.map((order) => ({ order, raw: order })) }, T0 + 1000);
  const shop2 = (await allRows(f, { shopIds: ['shop-2'] })).map((r) => r.id);
  await okAfter(f.call('orders.hold', { ids: [f.idOf(1), f.idOf(2), f.idOf(3), shop2[0]!], reason: '等待核实' }));
  return f;
}

function bruteByShop(rows: OrderRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.shopId] = (out[r.shopId] ?? 0) + 1;
  return out;
}

describe('orders per shop', () => {
  it('agrees with counting the listed rows, on the counts table path and the scan path', async () => {
    fx = await twoShops();
    const filters: OrderFilter[] = [
      {},
      { queue: 'pending_review' },
      { queue: 'held' },
      { platforms: ['pdd'] },
      // Not answerable from order_counts: these scan orders.
      { hasBuyerMessage: true },
      { queue: 'pending_review', paidFrom: T0 + 3 * 3_600_000 },
      { q: '张伟' },
    ];
    for (const filter of filters) {
      const counts = await okAfter<Record<string, number>>(fx.call('orders.shopCounts', { filter }));
      expect(counts, JSON.stringify(filter)).toEqual(bruteByShop(await allRows(fx, filter)));
    }
    expect(await okAfter(fx.call('orders.shopCounts', { filter: { queue: 'held' } }))).toEqual({ 'shop-1': 3, 'shop-2': 1 });
  });
});

describe('waybill numbers on the rows', () => {
  it('shows every parcel with a number, not a cancelled one, and the shipped number when no parcel has it', async () => {
    fx = openFixture(3);
    const [a, b, c] = [fx.idOf(1), fx.idOf(2), fx.idOf(3)];
    const pkg = fx.db.$client.prepare(
      'INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    pkg.run('k1', a, 1, 'ZTO', '75312345678901', 'printed', T0);
    pkg.run('k2', a, 2, 'ZTO', '75312345678902', 'allocated', T0);
    pkg.run('k3', a, 3, 'YTO', 'YT9999', 'cancelled', T0);
    pkg.run('k4', b, 1, 'SF', null, 'new', T0);
    // c was shipped from the platform's back office: only the order knows its number.
    fx.db.$client.prepare("UPDATE orders SET carrier_code = 'JTSD', waybill_no = 'JT0001' WHERE id = ?").run(c);
    // a's shipped number is its first parcel's: shown once.
    fx.db.$client.prepare("UPDATE orders SET carrier_code = 'ZTO', waybill_no = '75312345678901' WHERE id = ?").run(a);
    const rows = new Map((await allRows(fx, {})).map((r) => [r.id, r.waybills]));
    expect(rows.get(a)).toEqual([
      { carrierCode: 'ZTO', waybillNo: '75312345678901' },
      { carrierCode: 'ZTO', waybillNo: '75312345678902' },
    ]);
    expect(rows.get(b)).toEqual([]);
    expect(rows.get(c)).toEqual([{ carrierCode: 'JTSD', waybillNo: 'JT0001' }]);
    // The drawer's order reads the same rows.
    const detail = await okAfter<OrderRow>(fx.call('orders.get', { id: a }));
    expect(detail.waybills).toHaveLength(2);
  });
});

describe('orders.ids within', () => {
  it('keeps only the given orders the filter still matches, in the order given', async () => {
    fx = await twoShops();
    const pending = (await allRows(fx, { queue: 'pending_review' })).map((r) => r.id);
    const picked = [fx.idOf(5), fx.idOf(6), fx.idOf(7), fx.idOf(8)];
    for (const id of picked) expect(pending).toContain(id);
    await okAfter(fx.call('orders.hold', { ids: [fx.idOf(6), fx.idOf(8)], reason: '缺货' }));
    const res = await okAfter<{ ids: string[]; truncated: boolean }>(
      fx.call('orders.ids', { filter: { queue: 'pending_review' }, within: [...picked, 'no-such-order'] }),
    );
    expect(res).toEqual({ ids: [fx.idOf(5), fx.idOf(7)], truncated: false });
    // A long selection (past one statement's chunk) answers the same as the list.
    const many = [...pending, ...pending.map((id) => `${id}-gone`), ...Array.from({ length: 1200 }, (_, i) => `x${i}`)];
    const still = await okAfter<{ ids: string[] }>(fx.call('orders.ids', { filter: { queue: 'pending_review' }, within: many }));
    expect(new Set(still.ids)).toEqual(new Set((await allRows(fx, { queue: 'pending_review' })).map((r) => r.id)));
  });
});
