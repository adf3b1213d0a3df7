// 批量发货 (orders.shipPrinted) on a real migrated SQLite file: each order ships with the waybill
// already on its package, through orders.ship, so the outbox gets one frozen ship push per order.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../shared/contract.ts';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { addWaybillAccount } from '../waybills/accounts.ts';
import { allocateWaybills } from '../waybills/allocate.ts';
import { ensurePackages } from '../waybills/packages.ts';
import { addNumberRange } from '../waybills/pool.ts';

let fx: Fixture;
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(() => fx.close());

describe('orders.shipPrinted', () => {
  it('ships orders with their packages’ waybills and skips those without one as no_waybill', async () => {
    const [withWaybill, without] = fx.addOrders([platformOrder(1), platformOrder(2)]) as [string, string];
    const account = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const pkg = ensurePackages(fx.ctx(), [withWaybill]).packages[0]!;
    const alloc = await allocateWaybills(fx.ctx(), [pkg.packageId], account.id);
    const waybillNo = alloc.allocated[0]!.waybillNo;

    const r = (await fx.call('orders.shipPrinted', { ids: [withWaybill, without] }, fx.as('packer'))) as { ok: true; value: BatchResult };
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ changed: 1, skipped: [{ id: without, reason: 'no_waybill' }] });
    expect(fx.db.$client.prepare('SELECT stage, carrier_code AS carrier, waybill_no AS waybill FROM orders WHERE id = ?').get(withWaybill)).toEqual({
      stage: 'shipped',
      carrier: 'ZTO',
      waybill: waybillNo,
    });
    const pushes = fx.db.$client.prepare("SELECT payload FROM pushes WHERE kind = 'ship' AND order_id = ?").all(withWaybill) as { payload: string }[];
    expect(pushes.map((p) => JSON.parse(p.payload))).toEqual([{ kind: 'ship', carrierCode: 'ZTO', waybillNo }]);
    // Again: already shipped with this waybill — nothing new, no second push.
    const again = (await fx.call('orders.shipPrinted', { ids: [withWaybill] })) as { ok: true; value: BatchResult };
    expect(again.value.changed).toBe(0);
    expect(fx.db.$client.prepare("SELECT count(*) AS n FROM pushes WHERE kind = 'ship'").get()).toEqual({ n: 1 });
  });

  it('is refused to finance by the core', async () => {
    const [id] = fx.addOrders([platformOrder(1)]) as [string];
    const r = await fx.call('orders.shipPrinted', { ids: [id] }, fx.as('finance'));
    expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
  });
});
