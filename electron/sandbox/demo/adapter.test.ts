// The sandbox adapter behaves like a platform: enforces its limits, pages a window completely, and in
// test mode sends a few malformed payloads that fail to map with readable reasons.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { AdapterPayloadError, type PlatformAdapter, type ShopRecord } from '../../core/platforms/contract.ts';
import { adapterFor } from '../../core/platforms/registry.ts';
import { SandboxAdapter } from './adapter.ts';
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
