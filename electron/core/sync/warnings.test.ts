// Orders kept with warnings, end to end on a real SQLite file: the Kuaishou adapter maps literal
// payloads (one with an unlisted refund code and an unreadable picture field), the scheduler lands
// them, stores the count and the first messages in sync_runs, keeps the raw payload, flags the
// unknown after-sale, and 'sync.log' shows it; the samples stay bounded however many orders warn.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncRunView } from '../../shared/contract.ts';
import { abnormalBit } from '../../shared/model.ts';
import { openFixture, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';
import { createKuaishouAdapter, KS_LIMITS } from '../platforms/kuaishou/adapter.ts';
import { SyncScheduler } from './scheduler.ts';
import { MAX_WARNING_SAMPLES } from './sync-log.ts';

const NOW = T0 + 3 * 86_400_000;

function ksPayload(oid: number, extra: { refunds?: unknown[]; picture?: unknown } = {}) {
  return {
    orderBaseInfo: { oid, status: 30, createTime: NOW - 3_600_000, payTime: NOW - 3_500_000, updateTime: NOW - 3_000_000, totalFee: 8080, expressFee: 600, discountFee: 500, buyerNick: '快手用户' },
    orderItemInfo: { itemId: 20001234, skuId: 30005678, skuNick: 'KS-MUG-01', itemTitle: '陶瓷马克杯', num: 2, price: 3990, itemPicUrl: extra.picture ?? '' },
    orderAddress: { consignee: '李*', mobile: '139****0001', province: '广东省', city: '深圳市', district: '南山区', town: '', address: '科技园****' },
    orderRefundList: extra.refunds ?? [],
  };
}

let f: Fixture;
beforeEach(() => {
  f = openFixture();
  f.db.$client.prepare(`UPDATE shops SET platform = 'kuaishou', state = 'active', settings = ? WHERE id = ?`).run(JSON.stringify({ appKey: 'ks', appSecret: 's', accessToken: 't', backfillDays: 1 }), f.shopId);
});
afterEach(() => f.close());

/** The real Kuaishou mapping over a page of literal payloads instead of the network. */
function literalAdapter(shop: ShopRecord, payloads: unknown[]): PlatformAdapter {
  const real = createKuaishouAdapter(shop, { now: () => NOW });
  let served = false;
  return {
    platform: 'kuaishou',
    limits: { ...KS_LIMITS, maxWindowMs: 2 * 86_400_000 },
    pullPage: async () => {
      const page = { payloads: served ? [] : payloads, next: null };
      served = true;
      return page;
    },
    toOrder: (p, warn) => real.toOrder(p, warn),
    push: real.push.bind(real),
    decryptReceivers: real.decryptReceivers.bind(real),
    listProducts: real.listProducts.bind(real),
    writeStock: real.writeStock.bind(real),
  };
}

function schedulerFor(payloads: unknown[]): SyncScheduler {
  return new SyncScheduler({ db: f.db, events: f.events, now: () => NOW, sleep: async () => {}, adapterFor: (shop) => literalAdapter(shop, payloads) });
}

describe('orders kept with warnings', () => {
  it('are stored with their raw payload, counted in the sync log with their messages, and shown by sync.log', async () => {
    const warned = ksPayload(2511200000000001, { refunds: [{ refundId: 9, refundStatus: 99, refundFee: 8080 }], picture: { url: 'x' } });
    const scheduler = schedulerFor([warned, ksPayload(2511200000000002), ksPayload(2511200000000003, { refunds: [{ refundId: 10, refundStatus: 40 }] })]);
    const result = await scheduler.syncShop(f.shopId);
    expect(result).toMatchObject({ pulled: 3, changed: 3, quarantined: 0 });
    expect(result.warnings?.orders).toBe(1);

    const order = f.db.$client
      .prepare(`SELECT o.after_sale, o.abnormal_flags, p.payload FROM orders o JOIN order_payloads p ON p.order_id = o.id WHERE o.platform_order_id = ?`)
      .get('2511200000000001') as { after_sale: string; abnormal_flags: number; payload: string };
    expect(order.after_sale).toBe('unknown');
    // An unknown after-sale stops the parcel like an open request (the 异常 tab's 退款 reason, printing refused).
    expect(order.abnormal_flags & abnormalBit('refund_requested')).not.toBe(0);
    expect(JSON.parse(order.payload)).toEqual(warned);
    const returned = f.db.$client.prepare(`SELECT after_sale FROM orders WHERE platform_order_id = '2511200000000003'`).get() as { after_sale: string };
    expect(returned.after_sale).toBe('in_progress');

    const r = await f.call('sync.log', { shopId: f.shopId });
    expect(r.ok).toBe(true);
    const [run] = (r.ok ? r.value : []) as SyncRunView[];
    expect(run).toMatchObject({ pulled: 3, changed: 3, quarantined: 0, warnings: 1, error: null });
    expect(run!.warningSamples).toHaveLength(1);
    expect(run!.warningSamples[0]).toMatch(/^order 2511200000000001: orderItemInfo\.itemPicUrl not readable .*; ignored, kept raw; orderRefundList\[0\]\.refundStatus 99 is not in the documented table; after-sale state unknown, kept raw$/);
    expect(f.db.$client.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(0);
  });

  it('keeps the count exact and the stored messages bounded when every order warns', async () => {
    const many = Array.from({ length: MAX_WARNING_SAMPLES + 15 }, (_, i) => ksPayload(2511210000000000 + i, { refunds: [{ refundId: i, refundStatus: 77 }] }));
    await schedulerFor(many).syncShop(f.shopId);
    const row = f.db.$client.prepare('SELECT warnings, warning_samples FROM sync_runs WHERE shop_id = ?').get(f.shopId) as { warnings: number; warning_samples: string };
    expect(row.warnings).toBe(MAX_WARNING_SAMPLES + 15);
    const samples = JSON.parse(row.warning_samples) as string[];
    expect(samples).toHaveLength(MAX_WARNING_SAMPLES);
    expect(samples[0]).toBe('order 2511210000000000: orderRefundList[0].refundStatus 77 is not in the documented table; after-sale state unknown, kept raw');
  });

  it('stores no warnings for a clean run', async () => {
    await schedulerFor([ksPayload(2511220000000001)]).syncShop(f.shopId);
    const r = await f.call('sync.log', { shopId: f.shopId });
    const [run] = (r.ok ? r.value : []) as SyncRunView[];
    expect(run).toMatchObject({ warnings: 0, warningSamples: [] });
  });
});
