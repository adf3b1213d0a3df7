// The background worker's wire format (host ⇄ worker thread messages, its start-up data) and the
// small request router the worker answers with. Its services (sync with the push-back outbox and
// upkeep, the print queue) register under their own name and are called as (service, method).
import type { EventName } from '../../shared/contract.ts';
import { AppError, apiErrorOf, type ApiError } from '../../shared/result.ts';
import type { CipherSpec } from '../shops/secrets.ts';

/**
 * How the worker opens shops' secrets. A worker cannot receive the host's cipher object (functions
 * do not cross threads), so it rebuilds one from the cipher's spec (shops/secrets.ts): the key file
 * beside a plain-Node station, or the raw key a host unwrapped (Electron: safeStorage in main).
 * 'none': adapters see settings as stored.
 */
export type WorkerCipherSpec = CipherSpec | { kind: 'none' };

/** Scheduler knobs that are plain data (clocks and adapters stay in the host for inline tests). */
export interface WorkerSchedulerOptions {
  intervalMs?: number;
  tickMs?: number;
  maxConcurrent?: number;
  backfillMs?: number;
}

export interface BackgroundWorkerData {
  dbFile: string;
  /** better-sqlite3's .node for this runtime (the Electron host passes its ABI build). */
  nativeBinding?: string;
  cipher: WorkerCipherSpec;
  scheduler?: WorkerSchedulerOptions;
  /** Run the print queue in this thread from its start (worker.ts 'print' service). */
  print?: boolean;
}

export interface WorkerRequest {
  type: 'request';
  id: number;
  service: string;
  method: string;
  args: unknown[];
}

export type WorkerReply = { type: 'reply'; id: number; ok: true; value: unknown } | { type: 'reply'; id: number; ok: false; error: ApiError };

export type WorkerToHost =
  | WorkerReply
  /** An EventBus event raised in the worker, for the host's bus (and so the renderer). */
  | { type: 'event'; event: EventName; payload: unknown }
  /** The shops the scheduler is running or has queued, whenever that set changes. */
  | { type: 'syncing'; shopIds: string[] };

export type HostToWorker = WorkerRequest;

// Methods take their own typed args; the wire between threads is untyped.
export type ServiceMethods = Record<string, (...args: any[]) => unknown>;

const toApiError = (err: unknown): ApiError =>
  err instanceof AppError ? apiErrorOf(err) : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };

/** Routes a request to service.method and turns its value or throw into a reply. */
export class MessageRouter {
  private readonly services = new Map<string, ServiceMethods>();

  register(name: string, methods: ServiceMethods): void {
    if (this.services.has(name)) throw new Error(`worker service "${name}" is registered twice`);
    this.services.set(name, methods);
  }

  async handle(request: WorkerRequest): Promise<WorkerReply> {
    const method = this.services.get(request.service)?.[request.method];
    if (!method) return { type: 'reply', id: request.id, ok: false, error: { code: 'NOT_FOUND', message: `the background worker has no ${request.service}.${request.method}` } };
    try {
      return { type: 'reply', id: request.id, ok: true, value: await method(...request.args) };
    } catch (err) {
      return { type: 'reply', id: request.id, ok: false, error: toApiError(err) };
    }
  }
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  const v = value as Partial<WorkerRequest> | null;
  return typeof v === 'object' && v !== null && v.type === 'request' && typeof v.id === 'number' && typeof v.service === 'string' && typeof v.method === 'string' && Array.isArray(v.args);
}
