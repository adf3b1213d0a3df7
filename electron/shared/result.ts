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
  ) {
    super(message);
    this.name = 'AppError';
  }
}
