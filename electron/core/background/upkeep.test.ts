// The background upkeep on a real migrated SQLite file: waybill numbers are pre-fetched for printable
// orders only when the station asked for it, and a round with nothing to do writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFixture, platformOrder, type Fixture } from '../../testkit/api-fixtures.ts';
import { updateStationSettings } from '../station/settings.ts';
import { addWaybillAccount } from '../waybills/accounts.ts';
import { addNumberRange } from '../waybills/pool.ts';
import { runUpkeep } from './upkeep.ts';

let fx: Fixture;
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(() => fx.close());

const numbered = () => (fx.db.$client.prepare('SELECT count(*) AS n FROM packages WHERE waybill_no IS NOT NULL').get() as { n: number }).n;

describe('runUpkeep', () => {
  it('pre-fetches numbers for printable orders only on a station that turned it on', async () => {
    const ids = fx.addOrders([1, 2, 3].map((n) => platformOrder(n)));
    const stage = fx.db.$client.prepare("UPDATE orders SET stage = 'awaiting_print' WHERE id = ?");
    for (const id of ids) stage.run(id);
    const account = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] });
    addNumberRange(fx.ctx(), account.id, { prefix: 'ZT', start: 1, end: 10, width: 10 });
    const deps = { db: fx.db, events: fx.events, now: () => Date.now() };

    const off = await runUpkeep(deps, { prefetch: true });
    expect(off.prefetched).toBeUndefined();
    expect(numbered()).toBe(0);

    updateStationSettings(fx.ctx(), { prefetchWaybills: true });
    const on = await runUpkeep(deps, { prefetch: true });
    expect(on.prefetched).toMatchObject({ orders: 3, allocated: 3 });
    expect(numbered()).toBe(3);
    // Again: every printable order has its number, nothing is allocated twice.
    const again = await runUpkeep(deps, { prefetch: true });
    expect(again.prefetched).toMatchObject({ orders: 0, allocated: 0 });
    expect(numbered()).toBe(3);
  });
});
