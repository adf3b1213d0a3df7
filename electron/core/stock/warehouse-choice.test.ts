// Warehouse choice rules on their own: region first, then a warehouse that fills the whole order,
// then priority, then code; a split by line only where the platform allows it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseWarehouses, servesProvince, type WarehouseOption } from './warehouse-choice.ts';

const W = (id: string, regions: string[] = [], priority = 0): WarehouseOption => ({ id, code: id, regions, priority });
const stockOf = (table: Record<string, Record<string, number>>) => (sku: string, wh: string) => table[wh]?.[sku] ?? 0;
const line = (lineNo: number, ...c: [string, number][]) => ({ lineNo, components: c.map(([skuId, quantity]) => ({ skuId, quantity })) });

describe('servesProvince', () => {
  it('matches 浙江 to 浙江省 and 上海 to 上海市, not a different province', () => {
    expect(servesProvince(['浙江'], '浙江省')).toBe(true);
    expect(servesProvince(['上海市'], '上海')).toBe(true);
    expect(servesProvince(['广西'], '广西壮族自治区')).toBe(true);
    expect(servesProvince(['江苏'], '浙江省')).toBe(false);
    expect(servesProvince([], '浙江省')).toBe(false);
  });
});

describe('chooseWarehouses', () => {
  const base = { province: '浙江省', split: false };

  it('prefers the region warehouse when it can fill the order, even over a higher priority', () => {
    const c = chooseWarehouses({ ...base, lines: [line(1, ['A', 2])], warehouses: [W('BJ', ['北京'], 9), W('HZ', ['浙江'], 0)], available: stockOf({ BJ: { A: 5 }, HZ: { A: 2 } }) });
    expect(c).toEqual({ ok: true, lines: new Map([[1, 'HZ']]) });
  });

  it('a region warehouse that cannot fill the order loses to one that can', () => {
    const c = chooseWarehouses({ ...base, lines: [line(1, ['A', 3])], warehouses: [W('BJ', ['北京']), W('HZ', ['浙江'])], available: stockOf({ BJ: { A: 5 }, HZ: { A: 2 } }) });
    expect(c).toEqual({ ok: true, lines: new Map([[1, 'BJ']]) });
  });

  it('then priority, then code', () => {
    const stock = stockOf({ X: { A: 1 }, Y: { A: 1 }, Z: { A: 1 } });
    expect(chooseWarehouses({ ...base, lines: [line(1, ['A', 1])], warehouses: [W('X', [], 1), W('Y', [], 5), W('Z', [], 5)], available: stock })).toEqual({ ok: true, lines: new Map([[1, 'Y']]) });
  });

  it('refuses as insufficient when all warehouses together have too few, naming the SKUs', () => {
    const c = chooseWarehouses({ ...base, split: true, lines: [line(1, ['A', 3], ['B', 1])], warehouses: [W('X'), W('Y')], available: stockOf({ X: { A: 1, B: 1 }, Y: { A: 1 } }) });
    expect(c).toEqual({ ok: false, reason: 'insufficient', shortSkus: ['A'] });
  });

  it('splits by line only when the platform allows it', () => {
    const lines = [line(1, ['A', 2]), line(2, ['B', 2])];
    const warehouses = [W('X'), W('Y')];
    const available = stockOf({ X: { A: 2 }, Y: { B: 2 } });
    expect(chooseWarehouses({ ...base, split: false, lines, warehouses, available })).toEqual({ ok: false, reason: 'no_single_warehouse', shortSkus: [] });
    expect(chooseWarehouses({ ...base, split: true, lines, warehouses, available })).toEqual({
      ok: true,
      lines: new Map([
        [1, 'X'],
        [2, 'Y'],
      ]),
    });
  });

  it('a line whose components sit in different warehouses cannot be split further', () => {
    const c = chooseWarehouses({ ...base, split: true, lines: [line(1, ['A', 1], ['B', 1])], warehouses: [W('X'), W('Y')], available: stockOf({ X: { A: 1 }, Y: { B: 1 } }) });
    expect(c).toEqual({ ok: false, reason: 'no_single_warehouse', shortSkus: [] });
  });

  it('counts what earlier lines of the same order took from a warehouse', () => {
    const c = chooseWarehouses({ ...base, split: true, lines: [line(1, ['A', 2]), line(2, ['A', 2])], warehouses: [W('X', [], 9), W('Y')], available: stockOf({ X: { A: 3 }, Y: { A: 2 } }) });
    expect(c).toEqual({
      ok: true,
      lines: new Map([
        [1, 'X'],
        [2, 'Y'],
      ]),
    });
  });
});

describe('the whole-order choice against the rule written as a sort', () => {
  // The rule as stated: rank every warehouse (region, then fills, then priority, then code) and take
  // the first that fills. The chooser keeps the best in one pass; any order of warehouses, any ties.
  const reference = (warehouses: WarehouseOption[], province: string, need: number, free: Record<string, number>): string | null => {
    const ranked = warehouses
      .map((w) => ({ w, region: servesProvince(w.regions, province), fill: (free[w.id] ?? 0) >= need }))
      .sort((a, b) => Number(b.region) - Number(a.region) || Number(b.fill) - Number(a.fill) || b.w.priority - a.w.priority || (a.w.code < b.w.code ? -1 : a.w.code > b.w.code ? 1 : 0));
    return ranked.find((r) => r.fill)?.w.id ?? null;
  };
  it('picks the same warehouse', () => {
    const wh = fc.record({ code: fc.constantFrom('A', 'B', 'C', 'D', 'E'), region: fc.boolean(), priority: fc.integer({ min: 0, max: 2 }), free: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(fc.uniqueArray(wh, { selector: (w) => w.code, minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 4 }), (list, need) => {
        const warehouses = list.map((w) => W(w.code, w.region ? ['浙江'] : ['北京'], w.priority));
        const free = Object.fromEntries(list.map((w) => [w.code, w.free]));
        const c = chooseWarehouses({ province: '浙江省', split: false, lines: [line(1, ['S', need])], warehouses, available: (_sku, id) => free[id] ?? 0 });
        const want = reference(warehouses, '浙江省', need, free);
        if (c.ok) expect(c.lines.get(1)).toBe(want);
        else expect(want).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
