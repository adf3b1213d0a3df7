// The message protocol between the Electron main process and the core host (utility process).
// Requests carry ids so many calls can be in flight; answers are Results, never exceptions.
import type { EventName } from '../../shared/contract.ts';
import type { ApiError, Result } from '../../shared/result.ts';

/** What main tells the host to open; paths are resolved by main (it knows dev vs packaged). */
export interface HostInit {
  dbFile: string;
  /** Electron-ABI better_sqlite3.node; absent means "use node_modules' build". */
  nativeBinding?: string;
  migrationsFolder?: string;
  /** The bundled label faces and their glyph seeds (resources/fonts; packaged: process.resourcesPath/fonts). */
  fontsDir?: string;
  demo: boolean;
  sync: boolean;
  /**
   * Base64 of the 32-byte data key main unwrapped with safeStorage (electron/main/secret-key.ts):
   * shops' secrets are encrypted with it ('os-keychain'). Absent: the local key file beside the
   * database. Sent only in this message, never on argv or in the environment.
   */
  osKeychainKey?: string;
}

export type MainToHost =
  | { type: 'init'; options: HostInit }
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'shutdown' };

export type HostToMain =
  | { type: 'ready' }
  /** The core could not start (NATIVE_ABI_MISMATCH, DB_NEWER_THAN_APP, ...); the host stays up to answer calls with it. */
  | { type: 'fatal'; error: ApiError }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'closed' };

/** The two operations the host needs from its channel: Electron's parentPort or a worker_threads port in tests. */
export interface Endpoint<In, Out> {
  onMessage(listener: (message: In) => void): void;
  postMessage(message: Out): void;
}
