// sync.run, the round `shopfleet sync` waits for: due push-backs go out before any pull, each shop's
// result comes back (a platform's failure as that shop's error, not a failed call), and a handler
// set without a sync engine refuses rather than pretending to have pulled.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopRunResult } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { openFixture, T0, type Fixture } from '../../testkit/api-fixtures.ts';
import { dispatch } from '../api/dispatch.ts';
import { createHandlers } from '../api/handlers.ts';
import type { PlatformAdapter, PushOutcome, PushRequest } from '../platforms/contract.ts';
import { createStationClock } from '../station/clock.ts';
import { Outbox } from './outbox.ts';
import { SyncScheduler } from './scheduler.ts';

const NOW = T0 + 2 * 86_400_000;

/** A platform that records what reached it, in order; its pulls find nothing new or fail as told. */
function recordingAdapter(log: string[], pullError?: AppError): PlatformAdapter {
  return {
    platform: 'taobao',
    limits: { maxWindowMs: 7 * 86_400_000, pageSize: 100, lagMs: 0, overlapMs: 0, horizonMs: 90 * 86_400_000 },
    pullPage: async () => {
      log.push('pull');
      if (pullError) throw pullError;
      return { payloads: [], next: null };
    },
    toOrder: () => {
      throw new Error('no payloads are served');
    },
    push: async (request: PushRequest): Promise<PushOutcome> => {
      log.push(`push:${request.kind}`);
      return { kind: 'confirmed' };
    },
    decryptReceivers: async () => new Map(),
    listProducts: () => Promise.reject(new Error('not used')),
    writeStock: () => Promise.reject(new Error('not used')),
  };
}

let f: Fixture;
beforeEach(() => {
  f = openFixture(2);
});
afterEach(() => f.close());

function engineHandlers(adapter: PlatformAdapter) {
  const now = () => NOW;
  const scheduler = new SyncScheduler({ db: f.db, events: f.events, now, sleep: async () => {}, adapterFor: () => adapter });
  const pushes = new Outbox({ db: f.db, events: f.events, now, random: () => 0.5, adapterFor: () => adapter });
  return createHandlers({ db: f.db, events: f.events, clock: createStationClock(f.db, now), now, scheduler, pushes });
}

describe('sync.run', () => {
  it('sends the due push-backs before the shop is pulled, and returns each shop with what it pulled', async () => {
    const memo = await f.call('orders.setFlag', { ids: [f.idOf(1)], flag: 2, memo: '周五后发' });
    expect(memo.ok, JSON.stringify(memo)).toBe(true);
    const log: string[] = [];
    const r = await dispatch(engineHandlers(recordingAdapter(log)), 'sync.run', { shopIds: [f.shopId] }, f.owner);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const round = (r.ok ? r.value : null) as { pushesSent: number; results: ShopRunResult[] };
    expect(round.pushesSent).toBe(1);
    expect(round.results).toEqual([{ shopId: f.shopId, pulled: 0, changed: 0, quarantined: 0, warnings: { orders: 0, samples: [] } }]);
    expect(log[0]).toBe('push:memo');
    expect(log.slice(1).length).toBeGreaterThan(0);
    expect(new Set(log.slice(1))).toEqual(new Set(['pull']));
  });

  it("answers a shop's failed pull as that shop's error, not a failed call", async () => {
    const log: string[] = [];
    const refused = new AppError('PLATFORM_ERROR', 'taobao: HTTP 502', { code: 'HTTP_502', retryable: false, throttled: false });
    const r = await dispatch(engineHandlers(recordingAdapter(log, refused)), 'sync.run', { shopIds: [f.shopId] }, f.owner);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const round = (r.ok ? r.value : null) as { pushesSent: number; results: ShopRunResult[] };
    expect(round.pushesSent).toBe(0);
    expect(round.results).toHaveLength(1);
    expect(round.results[0]?.error).toMatch(/HTTP 502/);
  });

  it('refuses on a handler set that has no sync engine to wait for', async () => {
    const r = await f.call('sync.run', { shopIds: [f.shopId] });
    expect(r.ok ? 'ok' : r.error.code).toBe('INVALID_STATE');
  });
});
