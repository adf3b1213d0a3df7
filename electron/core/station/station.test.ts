// The station's in-memory state belongs to the core that made it: two handler sets — even over one
// database connection — keep their own scan counts and authorisations, and a core's state is its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PackingScanItemResult } from '../../shared/contract.ts';
import { createCore } from '../app.ts';
import { dispatch } from '../api/dispatch.ts';
import { EventBus } from '../api/events.ts';
import { createHandlers } from '../api/handlers.ts';
import { openFixture, platformOrder, tempDbFile, type Fixture } from '../../testkit/api-fixtures.ts';
import { addWaybillAccount } from '../waybills/accounts.ts';
import { allocateWaybills } from '../waybills/allocate.ts';
import { ensurePackages } from '../waybills/packages.ts';
import { addNumberRange } from '../waybills/pool.ts';
import { createStationClock } from './clock.ts';
import { Station } from './station.ts';

let fx: Fixture;
beforeEach(() => {
  fx = openFixture(0);
});
afterEach(() => fx.close());

/** One printed order with a package and a waybill number. */
async function printedPackage(): Promise<{ packageId: string; waybillNo: string }> {
  const accountId = addWaybillAccount(fx.ctx(), { name: '中通自有', carrierCode: 'ZTO', kind: 'pool', shopIds: [fx.shopId] }).id;
  addNumberRange(fx.ctx(), accountId, { prefix: 'ZT', start: 1, end: 5, width: 10 });
  const [orderId] = fx.addOrders([platformOrder(1)]);
  const [pkg] = ensurePackages(fx.ctx(), [orderId!]).packages;
  const alloc = await allocateWaybills(fx.ctx(), [pkg!.packageId], accountId);
  fx.db.$client.prepare("UPDATE packages SET printed_at = 1, state = 'printed' WHERE id = ?").run(pkg!.packageId);
  fx.db.$client.prepare("UPDATE orders SET stage = 'printed' WHERE id = ?").run(orderId);
  return { packageId: pkg!.packageId, waybillNo: alloc.allocated[0]!.waybillNo };
}

describe('Station', () => {
  it('keeps scan counts per station, not per database', async () => {
    const { packageId, waybillNo } = await printedPackage();
    const other = createHandlers({ db: fx.db, events: new EventBus(), clock: createStationClock(fx.db), now: Date.now, scheduler: { status: () => [], syncNow: () => [] }, station: new Station() });
    const scanIn = async (call: (name: string, input: unknown) => ReturnType<typeof fx.call>) => {
      const found = await call('packing.scanWaybill', { code: waybillNo });
      expect(found.ok).toBe(true);
      const r = await call('packing.scanItem', { packageId, code: 'NZ-2301-BK-M' });
      if (!r.ok) throw new Error(r.error.message);
      return (r.value as PackingScanItemResult).scan.lines.find((l) => l.lineNo === 1)?.scanned;
    };
    expect(await scanIn((n, i) => fx.call(n, i))).toBe(1);
    // The second station over the same connection starts from nothing; the first keeps its count.
    expect(await scanIn((n, i) => dispatch(other, n, i, fx.owner))).toBe(1);
    expect(await scanIn((n, i) => fx.call(n, i))).toBe(2);
  });

  it('gives each core its own station, which closing ends', async () => {
    const tmp = tempDbFile();
    const a = await createCore({ dbFile: tmp.file });
    const b = await createCore({ dbFile: tmp.file });
    try {
      expect(a.station).not.toBe(b.station);
      a.station.scanSessions.add('pkg-1', 1);
      expect(b.station.scanSessions.scanned('pkg-1', 1)).toBe(0);
      expect(a.station.existingAuthorizer()).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
      tmp.cleanup();
    }
  });
});
