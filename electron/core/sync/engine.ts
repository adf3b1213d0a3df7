// What the API handlers, the CLI and the app need from a sync engine. Two provide it: the in-process
// SyncScheduler (scheduler.ts) and the host's handle on the background worker, which runs a
// scheduler in its own thread (background/worker-host.ts).
import type { ShopSyncState } from '../../shared/contract.ts';
import type { RunWarnings } from './sync-log.ts';

export interface SyncEngine {
  /** Begin the per-shop schedule. */
  start(): void;
  /** Stop scheduling and wait for running pulls to end. */
  stop(): Promise<void>;
  /** Start one shop or every active shop now; the ids asked to start (not already syncing). */
  syncNow(shopId?: string): string[];
  /** Sync one shop to now (joins a running sync); never rejects, errors come back in the result. */
  syncShop(shopId: string): Promise<ShopSyncResult>;
  status(): ShopSyncState[];
}

export interface ShopSyncResult {
  /** Payloads received (including quarantined ones). */
  pulled: number;
  /** Orders inserted or updated. */
  changed: number;
  quarantined: number;
  /** Orders kept although the adapter could not read all of them (also stored in the sync log). */
  warnings?: RunWarnings;
  /** Set when the sync stopped on an error (also recorded on the shop's cursor). */
  error?: string;
  /** Set when this station did not pull the shop: another station of the team holds its sync lease, or the hub is out of reach and the shop is not held here. */
  leftTo?: { reason: 'held_elsewhere' | 'out_of_scope' | 'offline_not_held' | 'no_authorisation'; stationName: string | null };
}
