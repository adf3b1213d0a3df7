// Douyin push-backs and receiver decryption through the real adapter against the loopback doudian
// server over HTTP. The shared push contract (ship outcomes, refusals, faults, expired token, memo +
// star) runs from ../push-contract.ts with doudian's values; this file keeps what is doudian's own:
// the 60-character remark counted in code points, batchDecrypt batching, partial failure and the
// server's batch-size and rate limits.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import type { PlatformAdapter } from '../contract.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import { describePushContract, memo, pushOrders, PUSH_NOW as NOW, type PushPlatform } from '../../../testkit/platforms/push-contract.suite.ts';
import { pullAll, rejection, useLoopbackShop } from '../../../testkit/platforms/test-adapter.ts';
import { createDouyinAdapter, doudianCall } from './adapter.ts';
import { DOUDIAN_ERR } from './errors.ts';
import { BATCH_DECRYPT } from './pushback.ts';
import { DECRYPT_CALLS_PER_SECOND } from '../../../sandbox/platforms/douyin/server-actions.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/douyin/server.ts';

const MIN = 60_000;
const APP = { appKey: '7000000000000000001', appSecret: 'dd-s3cret', accessToken: 'tok-dd-123' };
const DOUYIN: PushPlatform<PlatformServer> = { platform: 'douyin', shopName: '抖店', app: APP, startServer: startPlatformServer, createAdapter: createDouyinAdapter };
const orders = (count: number) => pushOrders(DOUYIN, count);
/** Every order the push fixtures hold, pulled and mapped (receiver ciphers included). */
const allPulled = (adapter: PlatformAdapter) => pullAll(adapter, { fromMs: NOW - 51 * MIN, toMs: NOW - 22 * MIN });

describePushContract({
  ...DOUYIN,
  label: 'doudian push',
  ship: {
    api: 'order.logisticsAdd',
    shipment: { companyCode: 'zhongtong', trackingNo: 'ZT7812345678901' },
    shippedPlatformStatus: '3',
    resendSame: (waybillNo) => ({ kind: 'already_shipped', waybillNo }),
    refusals: {
      closed: /订单已取消.*60021/,
      refund: { afterSale: 'requested', reason: /有退款申请需要处理.*60040/ },
      badWaybill: /物流单号不符合规则.*60017/,
      unknownOrder: { id: '6999999999999999999', reason: /60033/ },
    },
  },
  memo: { api: 'order.addOrderRemark', pullShowsFlag: true, maxChars: 60 },
});

describe('doudian push: order.addOrderRemark length', () => {
  const setup = useLoopbackShop(DOUYIN, NOW);

  it('exactly 60 characters (astral ones counted as one) go through', async () => {
    const list = orders(1);
    const { adapter } = await setup(list);
    expect(await adapter.push(memo(list[0]!.platformOrderId, '𠀀'.repeat(60), 2))).toEqual({ kind: 'confirmed' });
  });
});

describe('doudian order.batchDecrypt', () => {
  const setup = useLoopbackShop(DOUYIN, NOW);

  it('decrypts many orders in ≤50-cipher batches, paced under the rate limit, returning the plaintext receivers', async () => {
    const list = orders(70); // 70 orders × 3 ciphers = 5 calls of ≤16 orders
    const { srv, adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const requests = stored.map((o) => ({ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher! }));
    const started = Date.now();
    const got = await adapter.decryptReceivers(requests);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 250 - 20); // paced: 5 calls, 4 waits
    expect(got.size).toBe(70);
    for (const o of srv.orders) expect(got.get(o.platformOrderId)).toEqual({ name: o.receiver.name, phone: o.receiver.phone, address: o.receiver.address });
  });

  it('partial failure (300008): orders whose cipher does not decrypt are left out, the rest come back', async () => {
    const list = orders(4);
    const { adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const requests = stored.map((o, i) => {
      const c = JSON.parse(o.receiver.cipher!) as Record<string, string>;
      return { platformOrderId: o.platformOrderId, cipher: i === 2 ? JSON.stringify({ ...c, phone: '#forged#cipher##' }) : o.receiver.cipher! };
    });
    requests.push({ platformOrderId: 'not-json', cipher: 'not json' });
    const got = await adapter.decryptReceivers(requests);
    expect([...got.keys()].sort()).toEqual(stored.filter((_, i) => i !== 2).map((o) => o.platformOrderId).sort());
  });

  it('the server refuses over 50 cipher_infos and throttles calls over its rate; the adapter surfaces throttling as retryable', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const s = { gateway: srv.url, ...APP };
    const info = { auth_id: list[0]!.platformOrderId, cipher_text: 'x' };
    const tooMany = await rejection(doudianCall(s, BATCH_DECRYPT, { cipher_infos: Array.from({ length: 51 }, () => info) }, NOW));
    expect((tooMany.details as { code: number }).code).toBe(DOUDIAN_ERR.badParam);
    // Back to back, the (DECRYPT_CALLS_PER_SECOND+1)th call within a second is throttled.
    await new Promise((r) => setTimeout(r, 1100));
    const results = await Promise.allSettled(Array.from({ length: DECRYPT_CALLS_PER_SECOND + 1 }, () => doudianCall(s, BATCH_DECRYPT, { cipher_infos: [info] }, NOW)));
    const throttled = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as AppError);
    expect(throttled).toHaveLength(1);
    expect(classifyError(throttled[0]).kind).toBe('throttled');
    srv.setFault('throttled');
    const stored = await rejection(adapter.decryptReceivers([{ platformOrderId: list[0]!.platformOrderId, cipher: '{"name":"a","phone":"b","address":"c"}' }]));
    expect(markedRetryable(stored)).toBe(true);
  });
});
