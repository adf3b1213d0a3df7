// Kuaishou push-backs and receiver decryption through the real adapter against the loopback Kuaishou
// gateway over HTTP. The shared push contract (goods.deliver outcomes with another waybill read back
// through open.order.detail, refusals, faults, expired token, note + flag) runs from
// ../push-contract.ts with Kuaishou's values; this file keeps what is Kuaishou's own: POST-only write
// APIs, decrypt.batch batching, partial failure, and the size and rate limits.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/result.ts';
import { classifyError, markedRetryable } from '../../sync/backoff.ts';
import type { PlatformAdapter } from '../contract.ts';
import { describePushContract, pushOrders, PUSH_NOW as NOW, type PushPlatform } from '../../../testkit/platforms/push-contract.suite.ts';
import { pullAll, rejection, useLoopbackShop } from '../../../testkit/platforms/test-adapter.ts';
import { createKuaishouAdapter, ksCall } from './adapter.ts';
import { KS_ERR } from './errors.ts';
import { asSingleSkuOrder } from '../../../sandbox/platforms/kuaishou/server-order.ts';
import { DECRYPT_BATCH } from './pushback.ts';
import { DECRYPT_CALLS_PER_SECOND } from '../../../sandbox/platforms/kuaishou/server-actions.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/kuaishou/server.ts';

const MIN = 60_000;
const APP = { appKey: 'ks660000000000000001', appSecret: 'ks-sign-s3cret', accessToken: 'tok-123' };
const KUAISHOU: PushPlatform<PlatformServer> = {
  platform: 'kuaishou',
  shopName: '快手店',
  app: APP,
  startServer: startPlatformServer,
  createAdapter: createKuaishouAdapter,
  listed: asSingleSkuOrder, // Kuaishou orders are 一单一品
};
const orders = (count: number) => pushOrders(KUAISHOU, count);
/** Every order the push fixtures hold, pulled and mapped (receiver ciphers included). */
const allPulled = (adapter: PlatformAdapter) => pullAll(adapter, { fromMs: NOW - 51 * MIN, toMs: NOW - 22 * MIN });
const CALL = { appKey: APP.appKey, signSecret: APP.appSecret, accessToken: APP.accessToken, signMethod: 'HMAC_SHA256' as const };

describePushContract({
  ...KUAISHOU,
  label: 'kuaishou push',
  ship: {
    api: 'open.seller.order.goods.deliver',
    shipment: { expressCode: 4, expressNo: 'ZT7812345678901' },
    shippedPlatformStatus: '40',
    // The same waybill again is idempotent success at Kuaishou.
    resendSame: () => ({ kind: 'confirmed' }),
    refusals: {
      closed: /订单已关闭.*ORDER_STATUS_CLOSED/,
      refund: { afterSale: 'in_progress', reason: /退款.*ORDER_REFUNDING/ },
      badWaybill: /快递单号格式错误.*EXPRESS_NO_INVALID/,
      unknownOrder: { id: '123456789', reason: /ORDER_NOT_EXIST/ },
    },
  },
  memo: { api: 'open.seller.order.note.add', pullShowsFlag: true, maxChars: 500 },
});

describe('kuaishou push: write APIs', () => {
  const setup = useLoopbackShop(KUAISHOU, NOW);

  it('the write APIs are POST only, as docs/platforms/kuaishou.md#gateway-and-common-parameters says', async () => {
    const { srv } = await setup(orders(1));
    const err = await rejection(ksCall({ gateway: srv.url, ...CALL }, 'open.seller.order.goods.deliver', { orderId: 1, expressNo: 'ZT1111111111', expressCode: 4 }, NOW, 'GET'));
    expect((err.details as { code: number }).code).toBe(KS_ERR.badParams);
  });
});

describe('kuaishou open.order.decrypt.batch', () => {
  const setup = useLoopbackShop(KUAISHOU, NOW);

  it('decrypts many orders in ≤100-item batches, paced under the rate limit, returning the plaintext receivers', async () => {
    const list = orders(70); // 70 orders × 3 ciphers = 3 calls of ≤33 orders
    const { srv, adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const started = Date.now();
    const got = await adapter.decryptReceivers(stored.map((o) => ({ platformOrderId: o.platformOrderId, cipher: o.receiver.cipher! })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 250 - 20); // paced: 3 calls, 2 waits
    expect(got.size).toBe(70);
    for (const o of srv.orders) expect(got.get(o.platformOrderId)).toEqual({ name: o.receiver.name, phone: o.receiver.phone, address: o.receiver.address });
  });

  it('partial failure: orders whose cipher does not decrypt are left out, the rest come back', async () => {
    const list = orders(4);
    const { adapter } = await setup(list);
    const stored = await allPulled(adapter);
    const requests = stored.map((o, i) => {
      const c = JSON.parse(o.receiver.cipher!) as Record<string, string>;
      return { platformOrderId: o.platformOrderId, cipher: i === 2 ? JSON.stringify({ ...c, address: 'Zm9yZ2Vk' }) : o.receiver.cipher! };
    });
    requests.push({ platformOrderId: '42', cipher: 'not json' });
    const got = await adapter.decryptReceivers(requests);
    expect([...got.keys()].sort()).toEqual(stored.filter((_, i) => i !== 2).map((o) => o.platformOrderId).sort());
  });

  it('the server refuses over 100 items and throttles calls over its rate; the adapter surfaces throttling as retryable', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const s = { gateway: srv.url, ...CALL };
    const item = { bizId: list[0]!.platformOrderId, encryptedData: 'x' };
    const tooMany = await rejection(ksCall(s, DECRYPT_BATCH, { batchDecryptList: Array.from({ length: 101 }, () => item) }, NOW, 'POST'));
    expect((tooMany.details as { code: number }).code).toBe(KS_ERR.badParams);
    await new Promise((r) => setTimeout(r, 1100));
    const results = await Promise.allSettled(Array.from({ length: DECRYPT_CALLS_PER_SECOND + 1 }, () => ksCall(s, DECRYPT_BATCH, { batchDecryptList: [item] }, NOW, 'POST')));
    const throttled = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as AppError);
    expect(throttled).toHaveLength(1);
    expect(classifyError(throttled[0]).kind).toBe('throttled');
    srv.setFault('throttled');
    expect(markedRetryable(await rejection(adapter.decryptReceivers([{ platformOrderId: list[0]!.platformOrderId, cipher: '{"name":"a","phone":"b","address":"c"}' }])))).toBe(true);
  });
});
