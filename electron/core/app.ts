// The core, assembled: database, API handlers, events, and (for demo teams) the sync scheduler.
// Every transport — Electron IPC, the web host, the CLI, tests — talks to one of these.
import os from 'node:os';
import type { Actor, ApiEvents, EventName } from '../shared/contract.ts';
import type { Result } from '../shared/result.ts';
import { dispatch } from './api/dispatch.ts';
import { EventBus } from './api/events.ts';
import { createHandlers } from './api/handlers.ts';
import { HybridClock } from './api/hlc.ts';
import { openDatabase, type Db, type OpenOptions } from './db/open.ts';
import { ensureSearchIndex } from './orders/search.ts';
import { defaultActor } from './session.ts';
import { SyncScheduler } from './sync/scheduler.ts';
import { ensureDemoTeam } from './platforms/sandbox/demo-team.ts';
import { createLocalKeyCipher, keyFileFor, type SecretCipher } from './shops/secrets.ts';

export interface CoreOptions extends OpenOptions {
  /** SQLite file; ':memory:' for throwaway tests. */
  dbFile: string;
  /** Create a demo team of sandbox shops when the database has no shops (default false). */
  demo?: boolean;
  /** Run the per-shop sync scheduler (default: true when demo is on). */
  sync?: boolean;
  /** Wall clock, injectable for tests. */
  now?: () => number;
  /**
   * Encrypts shops' secrets (the Electron host passes a safeStorage-backed one). Default for a file
   * database: AES-256-GCM with the key in `<db>.key` (see shops/secrets.ts); ':memory:' gets none.
   */
  secretCipher?: SecretCipher;
}

export interface Core {
  readonly db: Db;
  /** The cipher for shops' secrets, when there is one (CLI `shops add`, the scheduler). */
  readonly secretCipher: SecretCipher | undefined;
  /** The sync scheduler (running only when sync is on; syncShop works either way). */
  readonly scheduler: SyncScheduler;
  readonly events: EventBus;
  readonly defaultActor: Actor;
  call(name: string, input: unknown, actor?: Actor): Promise<Result<unknown>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const db = openDatabase(options.dbFile, options);
  // A database upgraded from before the search index existed gets its documents built once.
  ensureSearchIndex(db);
  const events = new EventBus();
  const now = options.now ?? Date.now;
  const clock = new HybridClock(os.hostname().replace(/[^A-Za-z0-9]/g, '').slice(0, 12) || 'station', now);
  if (options.demo) ensureDemoTeam(db, now());
  const secretCipher = options.secretCipher ?? (options.dbFile === ':memory:' ? undefined : createLocalKeyCipher(keyFileFor(options.dbFile)));
  const scheduler = new SyncScheduler({ db, events, now, ...(secretCipher ? { secretCipher } : {}) });
  if (options.sync ?? options.demo ?? false) scheduler.start();
  const handlers = createHandlers({ db, events, clock, now, scheduler, secretCipher });
  const actor = defaultActor(db);
  return {
    db,
    secretCipher,
    scheduler,
    events,
    defaultActor: actor,
    call: (name, input, who) => dispatch(handlers, name, input, who ?? actor),
    on: (event, listener) => events.on(event, listener),
    close: async () => {
      await scheduler.stop();
      db.$client.close();
    },
  };
}
