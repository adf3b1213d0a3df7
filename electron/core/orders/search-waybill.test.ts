// A scanned parcel finds its order in the workbench search: the waybill of any of the order's
// packages, or the one it shipped with (here, or reported by the platform), whole — looked up through
// the partial waybill indexes, never by reading the tables — on every plan the search may take.
import { afterEach, describe, expect, it } from 'vitest';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { buildOrderWhere, searchPlanFor } from './query.ts';
import { waybillSeqs, waybillTerm } from './search.ts';

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

interface Listed {
  rows: { platformOrderId: string }[];
  total: number | null;
}

async function search(fx: Fixture, q: string, filter: Record<string, unknown> = {}): Promise<string[]> {
  const r = await fx.call('orders.list', { filter: { ...filter, q }, limit: 50 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as Listed).rows.map((o) => o.platformOrderId).sort();
}

function addPackage(fx: Fixture, orderId: string, seq: number, waybill: string): void {
  fx.db.$client
    .prepare("INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, created_at) VALUES (?, ?, ?, 'SF', ?, 'printed', 0)")
    .run(`pkg-${orderId}-${seq}`, orderId, seq, waybill);
}

describe('searching by waybill', () => {
  it('finds the order of any of its packages, and the one shipped with a waybill, by the whole number', async () => {
    const fx = (f = openFixture(6));
    addPackage(fx, fx.idOf(3), 1, 'SF1400000000001');
    addPackage(fx, fx.idOf(3), 2, 'SF1400000000002');
    // Shipped here with a typed waybill (no package), and one the platform reports shipped elsewhere.
    const shipped = await fx.call('orders.ship', { items: [{ id: fx.idOf(2), carrierCode: 'YTO', waybillNo: 'YT7300000000001' }] });
    expect(shipped.ok).toBe(true);
    fx.db.$client.prepare("UPDATE orders SET waybill_no = 'JT0000000000555' WHERE id = ?").run(fx.idOf(5));

    expect(await search(fx, 'SF1400000000002')).toEqual([platformOrder(3).platformOrderId]);
    expect(await search(fx, ' SF1400000000001 ')).toEqual([platformOrder(3).platformOrderId]);
    expect(await search(fx, 'YT7300000000001')).toEqual([platformOrder(2).platformOrderId]);
    expect(await search(fx, 'JT0000000000555')).toEqual([platformOrder(5).platformOrderId]);
    // With the other filters as usual, and the total counted from the same matches.
    expect(await search(fx, 'SF1400000000002', { queue: 'all', shopIds: [fx.shopId] })).toEqual([platformOrder(3).platformOrderId]);
    expect(await search(fx, 'SF1400000000002', { shopIds: ['shop-x'] })).toEqual([]);
    const listed = await fx.call('orders.list', { filter: { q: 'SF1400000000002' }, limit: 1 });
    expect((listed.ok && (listed.value as Listed).total) || null).toBe(1);
    // A waybill is searched whole: a fragment or another number finds nothing; order numbers still work.
    expect(await search(fx, 'SF14000000000')).toEqual([]);
    expect(await search(fx, 'SF1400000000009')).toEqual([]);
    expect(await search(fx, platformOrder(4).platformOrderId)).toEqual([platformOrder(4).platformOrderId]);
  });

  it('matches on the plan that filters an ordered index too, and reads the waybill indexes only', () => {
    const fx = (f = openFixture(3));
    addPackage(fx, fx.idOf(1), 1, 'ZTO73100000001');
    const filter = { q: 'ZTO73100000001' };
    expect(searchPlanFor(fx.db, filter)).toMatchObject({ plan: 'drive', seqs: [expect.any(Number)] });
    for (const plan of ['filter', 'auto'] as const) {
      const w = buildOrderWhere(filter, plan);
      expect(fx.db.$client.prepare(`SELECT o.id FROM orders o WHERE ${w.sql}`).pluck().all(...w.params)).toEqual([fx.idOf(1)]);
    }
    expect(waybillTerm('ZTO73100000001')).toBe('ZTO73100000001');
    expect(waybillTerm('张伟')).toBeNull();
    expect(waybillTerm('SF1 SF2')).toBeNull();
    expect(waybillTerm('1234567')).toBeNull();
    expect(waybillSeqs(fx.db, 'ZTO73100000001')).toHaveLength(1);
    const plan = (fx.db.$client
      .prepare(
        `EXPLAIN QUERY PLAN SELECT seq FROM orders WHERE waybill_no = ?
         UNION SELECT o.seq FROM packages p JOIN orders o ON o.id = p.order_id WHERE p.waybill_no = ?`,
      )
      .all('x', 'x') as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/orders USING (COVERING )?INDEX orders_waybill_idx/);
    expect(plan.join('\n')).toMatch(/p USING INDEX packages_waybill_idx/);
    expect(plan.filter((d) => /^SCAN (orders|p|o)\b/.test(d))).toEqual([]);
  });
});
