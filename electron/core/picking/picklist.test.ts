// Pick-list aggregation and packing-slip data against a real SQLite database: the same outer code is
// summed across orders and shops, gifts and bundles stay apart, locations sort as people read them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { ingestInto, order, setupDb } from '../../testkit/ingest-fixtures.ts';
import { buildPackingSlips } from './packing-slip.ts';
import { pickFixture } from '../../testkit/picking-fixtures.ts';
import { buildPickList, comparePickLines, type PickLine } from './picklist.ts';

const AT = Date.UTC(2026, 10, 23, 10, 5);

describe('buildPickList', () => {
  it('sums one outer code across orders and shops, keeps gifts and bundles apart, sorts by location then code', () => {
    const { db, ids } = pickFixture();
    const list = buildPickList(db, ids, AT);
    expect(list.lines.map((l) => [l.location, l.outerSkuCode, l.kind, l.quantity, l.orderCount])).toEqual([
      // A-02-2 before A-02-10: numeric runs compare by value.
      ['A-02-2', 'TZ-100', 'bundle', 3, 1],
      // 2 + 1 + 4 of the T-shirt from three orders in two shops; the free one is its own line.
      ['A-02-10', 'NZ-2301-BK-M', 'normal', 7, 3],
      ['A-02-10', 'NZ-2301-BK-M', 'gift', 1, 1],
      ['B-01-01', 'B-SKU', 'normal', 5, 1],
      // No 储位: last; a line without an outer code after the coded ones.
      [null, 'GIFT-BAG', 'gift', 1, 1],
      [null, null, 'normal', 1, 1],
    ]);
    // Two shops titled the T-shirt differently; the title most lines used wins.
    expect(list.lines[1]).toMatchObject({ title: '女装纯棉T恤', skuName: '黑色;M' });
    expect([list.orderCount, list.totalQuantity, list.generatedAt]).toEqual([3, 18, AT]);
  });

  it('counts an order given twice once, and refuses ids that do not exist', () => {
    const { db, ids } = pickFixture();
    const list = buildPickList(db, [ids[0], ids[0], ids[1]], AT);
    expect(list.orderCount).toBe(2);
    expect(list.lines.find((l) => l.outerSkuCode === 'NZ-2301-BK-M' && l.kind === 'normal')?.quantity).toBe(3);
    let err: unknown;
    try {
      buildPickList(db, [ids[0], 'nope-1', 'nope-2'], AT);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_FOUND');
    expect((err as AppError).message).toContain('nope-1');
  });

  it('property: per (code, kind) the quantity is the sum over the orders, and the lines are in pick order', () => {
    const codes = ['A-1', 'A-2', 'A-10', 'B-1', 'C-3'];
    const locations: Record<string, string | null> = { 'A-1': 'K-1-2', 'A-2': 'K-1-10', 'A-10': 'J-9', 'B-1': null, 'C-3': 'K-1-2' };
    const line = fc.record({ code: fc.constantFrom(...codes), quantity: fc.integer({ min: 1, max: 9 }), gift: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.array(line, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), (orders) => {
        const db = setupDb();
        const c = db.$client;
        for (const code of codes) c.prepare("INSERT INTO skus (id, product_id, outer_sku_code, name, price_fen, location) VALUES (?, 'p1', ?, ?, 100, ?)").run(`s-${code}`, code, code, locations[code]);
        ingestInto(
          db,
          'shop-a',
          orders.map((lines, n) =>
            order(n + 1, {
              items: lines.map((l, i) => ({ ...order(1).items[0]!, platformItemId: `L${i}`, outerSkuCode: l.code, title: l.code, skuName: null, quantity: l.quantity, isGift: l.gift })),
            }),
          ),
          0,
        );
        const ids = c.prepare('SELECT id FROM orders').pluck().all() as string[];
        const list = buildPickList(db, ids, 0);
        const expected = new Map<string, { q: number; orders: Set<number> }>();
        orders.forEach((lines, n) =>
          lines.forEach((l) => {
            const k = `${l.code}|${l.gift ? 'gift' : 'normal'}`;
            const e = expected.get(k) ?? { q: 0, orders: new Set<number>() };
            e.q += l.quantity;
            e.orders.add(n);
            expected.set(k, e);
          }),
        );
        expect(new Map(list.lines.map((l) => [`${l.outerSkuCode}|${l.kind}`, { q: l.quantity, orders: l.orderCount }]))).toEqual(
          new Map([...expected].map(([k, e]) => [k, { q: e.q, orders: e.orders.size }])),
        );
        for (const l of list.lines) expect(l.location).toBe(locations[l.outerSkuCode as string]);
        for (let i = 1; i < list.lines.length; i++) expect(comparePickLines(list.lines[i - 1] as PickLine, list.lines[i] as PickLine)).toBeLessThan(0);
        expect(list.totalQuantity).toBe(orders.flat().reduce((s, l) => s + l.quantity, 0));
        db.$client.close();
      }),
      { numRuns: 40 },
    );
  });
});

describe('buildPackingSlips', () => {
  it('one slip per order in the order given, receiver as stored, lines with kinds, totals in fen', () => {
    const { db, ids } = pickFixture();
    const slips = buildPackingSlips(db, [ids[2], ids[0]]);
    expect(slips.map((s) => s.platformOrderId)).toEqual(['3000000000000003', '3000000000000001']);
    const [third] = slips;
    expect(third).toMatchObject({
      shopName: '甲店',
      buyerNick: 'tb_镕镕',
      receiver: { name: '王*', phone: '139****8888', address: '广东省深圳市南山区粤海街道科技园南区1栋' },
      sellerMemo: '已备注：加急',
      goodsFen: 13996,
      shippingFen: 1000,
      discountFen: 500,
      paidFen: 14496,
      waybillNo: null,
    });
    expect(third?.items.map((i) => [i.title, i.outerSkuCode, i.quantity, i.paidFen, i.kind])).toEqual([
      ['女装纯棉T恤', 'NZ-2301-BK-M', 4, 7996, 'normal'],
      ['手工皂', null, 1, 1500, 'normal'],
      ['棉袜', 'B-SKU', 5, 4500, 'normal'],
    ]);
    expect(slips[1]?.items.map((i) => i.kind)).toEqual(['normal', 'gift']);
  });

  it("shows the first allocated package's waybill when the order has none of its own", () => {
    const { db, ids } = pickFixture();
    db.$client
      .prepare(`INSERT INTO packages (id, order_id, seq, carrier_code, waybill_no, state, created_at) VALUES ('p1', ?, 1, 'ZTO', '73100000000001', 'allocated', 0)`)
      .run(ids[1]);
    const [slip] = buildPackingSlips(db, [ids[1]]);
    expect([slip?.carrierCode, slip?.waybillNo]).toEqual(['ZTO', '73100000000001']);
  });
});
