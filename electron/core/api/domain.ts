// What a core domain's API handlers get from createHandlers (handlers.ts): the station's database,
// events, clock and scheduler, and a way to build the command context for the caller.
import type { Actor } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import type { Station } from '../station/station.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { CoreContext } from './command.ts';
import type { EventBus } from './events.ts';
import type { HybridClock } from './hlc.ts';

export interface HandlerDeps {
  db: Db;
  events: EventBus;
  clock: HybridClock;
  now: () => number;
  /** The sync engine; syncShop only where a round can be waited for (createCore's engine). */
  scheduler: Pick<SyncEngine, 'status' | 'syncNow'> & Partial<Pick<SyncEngine, 'syncShop'>>;
  /** The push-back outbox, when this station has one (createCore's): sync.run sends due pushes first. */
  pushes?: { flush(): Promise<{ sent: number }> } | undefined;
  /** Encrypts shops' secrets; without one (a :memory: station) 'shops.add' fails with INVALID_STATE. */
  secretCipher?: SecretCipher | undefined;
  /** The station's in-memory state (scan sessions, authorisations in flight); a fresh one when not given. */
  station?: Station | undefined;
  /** The core's one context builder (createCore's contextFor); built from the fields above when not given. */
  contextFor?: ((actor: Actor) => CoreContext) | undefined;
}

/** HandlerDeps plus the caller's command context, built in one place (createHandlers). */
export interface DomainDeps extends HandlerDeps {
  ctx: (actor: Actor) => CoreContext;
  station: Station;
}
