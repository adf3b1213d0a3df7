// The demo team as the core sees it: an injected part, never an import. The simulated platforms, the
// demo team and its loopback gateways live in electron/sandbox/ (docs/architecture.md#the-demo-is-injected);
// a host that carries the demo (the desktop app, the web host, the CLI) hands createCore a provider,
// and the core only calls through this interface — so the boundary lint can forbid core → sandbox.
import type { Platform } from '../shared/model.ts';
import type { Db } from './db/open.ts';
import type { AdapterFactory } from './platforms/contract.ts';
import type { SecretCipher } from './shops/secrets.ts';
import type { WorkerEntry } from './background/worker-host.ts';

export interface DemoProvider {
  /** Platforms only the demo has (the in-process 'sandbox' platform): registered in every thread that syncs. */
  readonly adapters: ReadonlyArray<readonly [Platform, AdapterFactory]>;
  /** The background worker's entry that registers the same adapters in its thread before it runs. */
  workerEntry(): WorkerEntry;
  /**
   * Sets up the demo on a station without shops: the team (real-platform shops on loopback gateways
   * when there is a cipher to keep their secrets, in-process sandbox shops otherwise), and the kit
   * (folder printer, waybill pools, station settings) the team needs for a packing day.
   */
  ensureDemo(db: Db, now: number, options: { secretCipher?: SecretCipher; labelsDir?: string }): void;
  /** Starts the demo shops' loopback gateways (new ports each start) and points the shops at them. */
  startGateways(options: { db: Db; now: () => number; secretCipher: SecretCipher | undefined }): Promise<{ close(): Promise<void> }>;
}
