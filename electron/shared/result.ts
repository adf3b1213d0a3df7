// How results cross every boundary (IPC, HTTP, in-process): values, never exceptions.
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNKNOWN_METHOD',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'INVALID_STATE',
  'UNAUTHENTICATED',
  'NATIVE_ABI_MISMATCH',
  'DB_NEWER_THAN_APP',
  /** The station database fails SQLite's checks (or is not a database): restore a backup. */
  'DB_DAMAGED',
  /** The station database or its folder cannot be written (permissions, a read-only disk). */
  'DB_READ_ONLY',
  /** The disk holding the station database has no room left. */
  'DISK_FULL',
  'SHOP_AUTH_EXPIRED',
  'PLATFORM_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  code: ErrorCode;
  /** A stable key from electron/shared/reasons.ts when the thrower named one; the renderer words it. */
  reason?: string;
  /** English and technical: for logs, the CLI, and the screen when a reason has no words. */
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown inside the core; turned into `{ ok: false, error }` at the API boundary. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** See electron/shared/reasons.ts (reasonError builds these with typed details). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** An AppError as it crosses a boundary (a worker reply, the API): code, reason, message, details. */
export function apiErrorOf(err: AppError): ApiError {
  return { code: err.code, ...(err.reason ? { reason: err.reason } : {}), message: err.message, details: err.details };
}

/** The other way round: a reply's error thrown again on this side, its reason kept. */
export function appErrorOf(error: ApiError): AppError {
  return new AppError(error.code, error.message, error.details, error.reason);
}
