// The error a failed API call throws in the renderer: carries the contract's error code so the UI
// can show a translated message instead of the core's English text.
import { ERROR_CODES, type ApiError, type ErrorCode } from '../../electron/shared/result.ts';

export class ApiCallError extends Error {
  readonly code: ErrorCode;
  /** The stable reason (electron/shared/reasons.ts) when the core named one; error-words.ts words it. */
  readonly reason: string | null;
  readonly details: unknown;
  readonly method: string;

  constructor(method: string, error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.method = method;
    this.code = (ERROR_CODES as readonly string[]).includes(error.code) ? error.code : 'INTERNAL';
    this.reason = typeof error.reason === 'string' ? error.reason : null;
    this.details = error.details;
  }
}

/** Anything thrown (transport failure, bug) as an ApiCallError, so the toast has one shape. */
export function toApiCallError(method: string, err: unknown): ApiCallError {
  if (err instanceof ApiCallError) return err;
  return new ApiCallError(method, { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}
