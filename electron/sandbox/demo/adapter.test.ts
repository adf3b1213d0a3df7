// The sandbox adapter behaves like a platform: enforces its limits, pages a window completely, and in
// test mode sends a few malformed payloads that fail to map with readable reasons.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { AdapterPayloadError, type PlatformAdapter, type ShopRecord } from '../../core/platforms/contract.ts';
import { adapterFor } from '../../core/platforms/registry.ts';
import { SandboxAdapter, worldShopOf } from './adapter.ts';
import { changedOrders, DAY, MINUTE } from './generator.ts';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const settings = { imitates: 'pdd', seed: 99, categories: ['家居'], ordersPerHour: 60, worldStartMs: NOW - 2 * DAY, pageSize: 7 };
const shop = (extra: Record<string, unknown> = {}): ShopRecord => ({
  id: 'shop-1',
  name: '居家好物馆',
  platform: 'sandbox',
  state: 'active',
  settings: JSON.stringify({ ...settings, ...extra }),
});
const ctx = { now: () => NOW };

async function pullAll(adapter: PlatformAdapter, fromMs: number, toMs: number): Promise<unknown[]> {
  const out: unknown[] = [];
  let page: string | null = null;
  let pages = 0;
  do {
    const r = await adapter.pullPage({ fromMs, toMs }, page);
    expect(r.payloads.length).toBeLessThanOrEqual(adapter.limits.pageSize);
    out.push(...r.payloads);
    page = r.next;
    pages += 1;
  } while (page !== null);
  expect(pages).toBe(Math.max(1, Math.ceil(out.length / adapter.limits.pageSize)));
  return out;
}

describe('sandbox adapter', () => {
  it('is what the registry hands out for sandbox shops; a platform without an adapter fails clearly', () => {
    expect(adapterFor(shop(), ctx)).toBeInstanceOf(SandboxAdapter);
    expect(adapterFor({ ...shop(), platform: 'taobao' }, ctx)).not.toBeInstanceOf(SandboxAdapter);
    expect(() => adapterFor({ ...shop(), platform: 'wechat' }, ctx)).toThrow(/no adapter/);
  });

  it('pages through a window and returns every changed order once, mapped back exactly', async () => {
    const adapter = adapterFor(shop(), ctx);
    const from = NOW - 30 * MINUTE;
    const payloads = await pullAll(adapter, from, NOW);
    const world = { id: 'shop-1', seed: 99, imitates: 'pdd' as const, categories: ['家居' as const], ordersPerHour: 60, worldStartMs: NOW - 2 * DAY };
    const expected = changedOrders(world, from, NOW);
    expect(payloads.length).toBe(expected.length);
    expect(payloads.length).toBeGreaterThan(adapter.limits.pageSize);
    expect(payloads.map((p) => adapter.toOrder(p))).toEqual(expected);
  });

  it('refuses what a platform refuses: long windows, the future, beyond the horizon', async () => {
    const adapter = adapterFor(shop(), ctx);
    const expectPlatformError = async (p: Promise<unknown>) => {
      await expect(p).rejects.toBeInstanceOf(AppError);
      await expect(p).rejects.toMatchObject({ code: 'PLATFORM_ERROR' });
    };
    await expectPlatformError(adapter.pullPage({ fromMs: NOW - 31 * MINUTE, toMs: NOW }, null));
    await expectPlatformError(adapter.pullPage({ fromMs: NOW - MINUTE, toMs: NOW + MINUTE }, null));
    await expectPlatformError(adapter.pullPage({ fromMs: NOW - 91 * DAY, toMs: NOW - 91 * DAY + MINUTE }, null));
    await expectPlatformError(adapter.pullPage({ fromMs: NOW, toMs: NOW }, null));
  });

  it('in test mode, sends some malformed payloads that fail with reasons, deterministically', async () => {
    const adapter = adapterFor(shop({ malformedRate: 0.2 }), ctx);
    const payloads = await pullAll(adapter, NOW - 30 * MINUTE, NOW);
    const failures: AdapterPayloadError[] = [];
    let ok = 0;
    for (const p of payloads) {
      try {
        adapter.toOrder(p);
        ok += 1;
      } catch (err) {
        expect(err).toBeInstanceOf(AdapterPayloadError);
        failures.push(err as AdapterPayloadError);
      }
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(ok).toBeGreaterThan(failures.length);
    for (const f of failures) expect(f.reason).toMatch(/payment|status|order|tid/);
    // Some still name their order, so support can find it.
    expect(failures.some((f) => f.platformOrderId !== null)).toBe(true);
    const again = await pullAll(adapterFor(shop({ malformedRate: 0.2 }), ctx), NOW - 30 * MINUTE, NOW);
    expect(again).toEqual(payloads);
  });
});

describe('SandboxAdapter push-backs and decryption', () => {
  it('confirms well-formed pushes (the world cannot remember them) and rejects ones no platform would take', async () => {
    const a = new SandboxAdapter(shop(), ctx);
    expect(await a.push({ kind: 'ship', platformOrderId: 'T1', carrierCode: 'ZTO', waybillNo: '731234567890' })).toEqual({ kind: 'confirmed' });
    expect(await a.push({ kind: 'memo', platformOrderId: 'T1', memo: null, flag: 0 })).toEqual({ kind: 'confirmed' });
    expect((await a.push({ kind: 'ship', platformOrderId: 'T1', carrierCode: 'ZTO', waybillNo: ' ' })).kind).toBe('rejected');
    expect((await a.push({ kind: 'memo', platformOrderId: '', memo: 'x', flag: 1 })).kind).toBe('rejected');
  });

  it('decrypts a cipher to the same full receiver every time, different ciphers to different people, and skips empty ones', async () => {
    const a = new SandboxAdapter(shop(), ctx);
    const first = await a.decryptReceivers([
      { platformOrderId: 'T1', cipher: 'oaid-a' },
      { platformOrderId: 'T2', cipher: 'oaid-b' },
      { platformOrderId: 'T3', cipher: '' },
    ]);
    expect([...first.keys()]).toEqual(['T1', 'T2']);
    expect(first.get('T1')!.phone).toMatch(/^1[35789]\d{9}$/);
    expect(first.get('T1')!.address.length).toBeGreaterThan(5);
    expect(first.get('T1')).not.toEqual(first.get('T2'));
    const again = await new SandboxAdapter(shop(), ctx).decryptReceivers([{ platformOrderId: 'T1', cipher: 'oaid-a' }]);
    expect(again.get('T1')).toEqual(first.get('T1'));
  });
});

describe('sandbox adapter: listing and stock writes', () => {
  async function listing(adapter: PlatformAdapter) {
    const items = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await adapter.listProducts(cursor);
      expect(page.quarantined).toEqual([]);
      items.push(...page.items);
      cursor = page.next;
      pages += 1;
    } while (cursor !== null && pages < 100);
    return { items, pages };
  }

  it('lists, over several pages, every SKU its orders sell, with the ids and 商家编码 the lines carry', async () => {
    const adapter = new SandboxAdapter(shop({ seed: 4242 }), ctx);
    const { items, pages } = await listing(adapter);
    expect(pages).toBeGreaterThan(1);
    const bySku = new Map(items.map((i) => [i.platformSkuId, i]));
    expect(bySku.size).toBe(items.length);
    const orders = changedOrders(worldShopOf(shop({ seed: 4242 })), NOW - DAY, NOW);
    expect(orders.length).toBeGreaterThan(20);
    for (const line of orders.flatMap((o) => o.items)) {
      const listed = bySku.get(line.platformSkuId);
      expect(listed, `line ${line.platformSkuId} ${String(line.outerSkuCode)}`).toBeDefined();
      if (line.outerSkuCode !== null) expect(listed!.outerCode).toBe(line.outerSkuCode);
    }
    // The unlisted catalogue product (no local SKU) is on the platform all the same: it stays unmapped.
    expect(items.some((i) => i.outerCode === 'JJ-3199')).toBe(true);
    // Another shop lists the same products under other ids.
    const other = await listing(new SandboxAdapter({ ...shop({ seed: 7 }), id: 'shop-2' }, ctx));
    expect(other.items.map((i) => i.outerCode)).toEqual(items.map((i) => i.outerCode));
    expect(other.items.some((i) => bySku.has(i.platformSkuId))).toBe(false);
  });

  it('keeps the figures it is told per shop; refuses an unknown SKU, a figure below zero and an oversized batch; applies a keyed delta once', async () => {
    const record = { ...shop({ seed: 31337 }), id: 'shop-writes' };
    const adapter = new SandboxAdapter(record, ctx);
    const [a, b] = (await listing(adapter)).items;
    const at = (x: typeof a) => ({ platformProductId: x!.platformProductId, platformSkuId: x!.platformSkuId });
    expect(await adapter.writeStock([{ ...at(a), mode: 'set', quantity: 7, key: 'k1' }, { ...at(b), mode: 'set', quantity: 0, key: 'k2' }])).toEqual([
      { kind: 'confirmed', key: 'k1', platformStock: 7 },
      { kind: 'confirmed', key: 'k2', platformStock: 0 },
    ]);
    // A new adapter for the same shop (the registry makes one per use) sees what was told.
    const again = new SandboxAdapter(record, ctx);
    const seen = (await listing(again)).items;
    expect(seen.find((i) => i.platformSkuId === a!.platformSkuId)?.platformStock).toBe(7);
    expect(seen.find((i) => i.platformSkuId === b!.platformSkuId)?.platformStock).toBe(0);
    // A shop told nothing still shows its listing's own figure.
    const untouched = (await listing(new SandboxAdapter({ ...record, id: 'shop-untouched' }, ctx))).items;
    expect(untouched.find((i) => i.platformSkuId === a!.platformSkuId)?.platformStock).toBe(200);

    const delta = { ...at(a), mode: 'delta' as const, quantity: -3, key: 'd1' };
    expect(await again.writeStock([delta])).toEqual([{ kind: 'confirmed', key: 'd1', platformStock: 4 }]);
    expect(await again.writeStock([delta])).toEqual([{ kind: 'confirmed', key: 'd1', platformStock: 4 }]);
    const [below] = await again.writeStock([{ ...at(a), mode: 'delta', quantity: -5, key: 'd2' }]);
    expect(below).toMatchObject({ kind: 'refused', key: 'd2', lockedByPromotion: false });
    const [unknown] = await again.writeStock([{ platformProductId: a!.platformProductId, platformSkuId: '1', mode: 'set', quantity: 1, key: 'u' }]);
    expect(unknown).toMatchObject({ kind: 'refused', key: 'u' });
    const many = Array.from({ length: 21 }, (_, i) => ({ ...at(a), mode: 'set' as const, quantity: i, key: `m${i}` }));
    expect(await again.writeStock(many).catch((e: unknown) => e)).toBeInstanceOf(AppError);
    expect((await listing(again)).items.find((i) => i.platformSkuId === a!.platformSkuId)?.platformStock).toBe(4);
  });
});
