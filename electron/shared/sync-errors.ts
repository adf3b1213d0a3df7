// A failed sync round as stored and shown: classified once, where it happened (the scheduler's
// classifyError), never re-guessed from its text afterwards.
import type { ErrorCode } from './result.ts';

export const SYNC_ERROR_KINDS = [
  /** Only the seller re-authorising fixes it; the shop is paused meanwhile. */
  'auth',
  /** The platform asked us to slow down. */
  'throttled',
  /** Transient (5xx, network, timeouts) or unknown: retried with backoff. */
  'retryable',
  /** Our request is wrong (bad signature, bad params): repeating it soon only hammers the platform. */
  'fatal',
] as const;
export type SyncErrorKind = (typeof SYNC_ERROR_KINDS)[number];

export interface SyncError {
  /** The contract's code; INTERNAL for an error that was not an AppError (a driver's, the disk's). */
  code: ErrorCode;
  kind: SyncErrorKind;
  /** English and redacted: for the tooltip, logs and the CLI. */
  message: string;
}

/** Reads the stored columns back; null when the round succeeded (no message). */
export function syncErrorOf(message: string | null, code: string | null, kind: string | null): SyncError | null {
  if (message === null) return null;
  return {
    code: (code ?? 'INTERNAL') as ErrorCode,
    kind: (SYNC_ERROR_KINDS as readonly string[]).includes(kind ?? '') ? (kind as SyncErrorKind) : 'retryable',
    message,
  };
}
