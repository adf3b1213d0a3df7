// A failure kept on a row (a push-back's, a print job's) the way a refusal crosses the API: the code,
// the stable reason with its details, and — for what the sync backoff classified — the kind. The
// renderer words it like any refusal (src/api/error-words.ts); the message stays English, for logs.
import { isReason, type Reason } from './reasons.ts';
import { ERROR_CODES, type ErrorCode } from './result.ts';
import { SYNC_ERROR_KINDS, type SyncErrorKind } from './sync-errors.ts';

export interface StoredError {
  /** null on a row written before errors were stored with their code. */
  code: ErrorCode | null;
  /** How the backoff classified a thrown error; null for a refusal the platform answered. */
  kind: SyncErrorKind | null;
  reason: Reason | null;
  /** The reason's details (the values its words interpolate). */
  details: Record<string, unknown> | null;
  /** English and redacted. */
  message: string;
}

/** Reads the stored columns back; null when there is no error. Unknown codes, kinds and reasons read as null. */
export function storedErrorOf(
  message: string | null,
  code: string | null,
  kind: string | null,
  reason: string | null,
  details: string | null,
): StoredError | null {
  if (message === null) return null;
  let parsed: unknown = null;
  if (details !== null) {
    try {
      parsed = JSON.parse(details);
    } catch {
      parsed = null;
    }
  }
  return {
    code: (ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as ErrorCode) : null,
    kind: (SYNC_ERROR_KINDS as readonly string[]).includes(kind ?? '') ? (kind as SyncErrorKind) : null,
    reason: isReason(reason) ? reason : null,
    details: typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null,
    message,
  };
}
