// Background upkeep beside sync and the outbox: while online, pre-fetch waybill numbers for printable
// orders (when the station asks for it) so a station can print through an outage, and read
// logistics traces of shipped parcels. Both only talk to platforms and write through the core's
// own functions; a failed round is logged and tried again on the next tick.
import type { Actor } from '../../shared/contract.ts';
import type { EventBus } from '../api/events.ts';
import type { HybridClock } from '../api/hlc.ts';
import { createStationClock } from '../station/clock.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { readStationSettings } from '../station/settings.ts';
import { pollTraces } from '../tracking/poller.ts';
import { ALERTS_EVERY_MS, evaluateAlertsRound } from '../stock/alerts.ts';
import { prefetchWaybills } from '../waybills/prefetch.ts';
import { periodic } from './periodic.ts';
import { SYSTEM_ACTOR_NAMES } from '../../shared/hub/system-actors.ts';

export interface UpkeepDeps {
  db: Db;
  events: EventBus;
  now: () => number;
  secretCipher?: SecretCipher | undefined;
  /** The station's clock (station/clock.ts); a station clock on this connection when not given. */
  clock?: HybridClock | undefined;
}

/** Who allocates numbers in the background: the station itself, named in the audit log. */
const UPKEEP_ACTOR: Actor = { userId: 'upkeep', name: SYSTEM_ACTOR_NAMES.upkeep, role: 'owner' };
const PREFETCH_EVERY_MS = 10 * 60_000;
const TRACE_EVERY_MS = 30 * 60_000;
/** A parcel whose trace was read this recently is not asked again. */
const TRACE_STALE_MS = 4 * 3600_000;

/** One round of each job; exported for tests and for a "do it now" from the host. */
export async function runUpkeep(deps: UpkeepDeps, which: { prefetch?: boolean; traces?: boolean; alerts?: boolean } = { prefetch: true, traces: true }) {
  const out: {
    prefetched?: Awaited<ReturnType<typeof prefetchWaybills>>;
    traces?: Awaited<ReturnType<typeof pollTraces>>;
    alerts?: ReturnType<typeof evaluateAlertsRound>;
  } = {};
  if (which.prefetch && readStationSettings(deps.db).prefetchWaybills) {
    const ctx = { db: deps.db, events: deps.events, now: deps.now, actor: UPKEEP_ACTOR, clock: deps.clock ?? createStationClock(deps.db, deps.now) };
    out.prefetched = await prefetchWaybills({ ...ctx, ...(deps.secretCipher ? { secretCipher: deps.secretCipher } : {}) });
  }
  if (which.traces) out.traces = await pollTraces(deps, { olderThanMs: TRACE_STALE_MS });
  // Stock alerts from committed stock: offline too (nothing here talks to a platform).
  if (which.alerts) out.alerts = evaluateAlertsRound(deps.db, deps.events, deps.now());
  return out;
}

/** Start the timers (never keeping the process alive); returns stop(), which waits for a round in flight. */
export function startUpkeep(deps: UpkeepDeps): { stop(): Promise<void> } {
  let inFlight: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = (which: { prefetch?: boolean; traces?: boolean; alerts?: boolean }) => () => {
    if (busy) return;
    busy = true;
    inFlight = runUpkeep(deps, which)
      .catch((err: unknown) => console.error('[upkeep] round failed', err))
      .finally(() => {
        busy = false;
      });
  };
  // One guard for both loops: a trace round does not start while a pre-fetch round runs, or the reverse.
  const loops = [
    periodic(tick({ prefetch: true }), { everyMs: PREFETCH_EVERY_MS }),
    periodic(tick({ traces: true }), { everyMs: TRACE_EVERY_MS }),
    periodic(tick({ alerts: true }), { everyMs: ALERTS_EVERY_MS, immediately: true }),
  ];
  for (const loop of loops) loop.start();
  return {
    stop: async () => {
      for (const loop of loops) loop.stop();
      await inFlight;
    },
  };
}
