// JD push-backs through the real adapter against the loopback JOS gateway over HTTP. The shared push
// contract (shipment outcomes with the waybill read back through enGet, refusals inside the result
// object, faults, expired token, remark + flag) runs from ../push-contract.ts with JD's values; this
// file keeps what is JD's own: carriers without a JD id, the remark of an unknown order, and the clear
// refusal to decrypt (JD decrypts with its TDE SDK, not an API).
import { describe, expect, it } from 'vitest';
import { describePushContract, memo, pushOrders, ship, PUSH_NOW as NOW, type PushPlatform } from '../../../testkit/platforms/push-contract.suite.ts';
import { rejection, useLoopbackShop } from '../../../testkit/platforms/test-adapter.ts';
import { createJdAdapter } from './adapter.ts';
import { startPlatformServer, type PlatformServer } from '../../../sandbox/platforms/jd/server.ts';

const APP = { appKey: 'jd-app-1', appSecret: 'jd-s3cret', accessToken: 'tok-jd-123' };
const JD: PushPlatform<PlatformServer> = { platform: 'jd', shopName: '京东店', app: APP, startServer: startPlatformServer, createAdapter: createJdAdapter };
const orders = (count: number) => pushOrders(JD, count);

describePushContract({
  ...JD,
  label: 'jd push',
  ship: {
    api: 'jingdong.pop.order.shipment',
    // ZTO is JD carrier id 1499.
    shipment: { logiCoprId: '1499', logiNo: 'ZT7812345678901' },
    shippedPlatformStatus: 'WAIT_GOODS_RECEIVE_CONFIRM',
    resendSame: (waybillNo) => ({ kind: 'already_shipped', waybillNo }),
    refusals: {
      closed: /订单已取消.*order\.canceled/,
      refund: { afterSale: 'requested', reason: /锁定.*order\.locked/ },
      badWaybill: /运单号不符合规则/,
      unknownOrder: { id: '30000000001', reason: /order\.not\.exist/ },
    },
  },
  memo: { api: 'jingdong.pop.order.modifyVenderRemark', pullShowsFlag: false, maxChars: 500 },
});

describe('jd push: JD particulars', () => {
  const setup = useLoopbackShop(JD, NOW);

  it('a carrier without a JD carrier id (JTSD) is rejected naming it, and nothing ships', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    const j = await adapter.push(ship(list[0]!.platformOrderId, 'JT0001234567', 'JTSD'));
    expect(j.kind === 'rejected' && j.reason).toMatch(/JTSD/);
    expect(srv.orders.every((o) => o.status !== 'shipped')).toBe(true);
  });

  it('a remark for an unknown order is rejected by JD', async () => {
    const { adapter } = await setup(orders(1));
    const u = await adapter.push(memo('30000000001', 'x', 2));
    expect(u.kind === 'rejected' && u.reason).toMatch(/订单不存在/);
  });
});

describe('jd receivers', () => {
  const setup = useLoopbackShop(JD, NOW);

  it('are not decrypted: INVALID_STATE saying JD prints through its own waybill flow, with no call made', async () => {
    const list = orders(1);
    const { srv, adapter } = await setup(list);
    srv.setFault('http5xx'); // any call would fail differently
    const stored = JSON.stringify({ fullname: 'x', mobile: 'y', telephone: 'y', fullAddress: 'z' });
    const err = await rejection(adapter.decryptReceivers([{ platformOrderId: list[0]!.platformOrderId, cipher: stored }]));
    expect(err.code).toBe('INVALID_STATE');
    expect(err.message).toMatch(/TDE/);
    // The person reads the reason's words (京东自己的面单/打印流程), not the English message.
    expect(err.reason).toBe('order.jd_receiver_encrypted');
  });
});
