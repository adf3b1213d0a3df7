// Stable reasons beside the coarse error codes: what exactly went wrong, as a key the renderer turns
// into the user's language (src/i18n/reasons.*.ts) with the details filled in. The code says how a
// caller should react (NOT_FOUND, INVALID_STATE, ...); the reason says what to tell a person. The
// message stays English and technical, for logs and the CLI. A reason, once shipped, is never
// renamed: translations, tests and scripts key on it.
import { AppError, type ErrorCode } from './result.ts';

/** Every reason with the details it always carries (plain values: they are interpolated into words). */
export interface ReasonDetails {
  'print_job.not_found': { jobId: string };
  /** Only a failed job is retried. */
  'print_job.not_failed': { jobId: string; state: string };
  'print_job.not_cancellable': { jobId: string; state: string };
  'print_job.not_uncertain': { jobId: string; state: string };
  /** Only a printed (sent/confirmed) or cancelled job is reprinted. */
  'print_job.not_reprintable': { jobId: string; state: string };
  /** Another station or window changed the job between reading and writing it. */
  'print_job.changed': { jobId: string };
  'printer.not_found': { printerId: string };
  'printer.name_taken': { name: string };
  'reprint.reason_required': { minLength: number };
  'reprint.limit_reached': { reprints: number; limit: number };
  'reprint.not_allowed': { role: string };
  'order.not_found': { id: string };
  'shop.not_found': { shopId: string };
  /** The refresh token was refused: only the seller re-authorising helps. `reason`: the refresh's own error. */
  'shop.auth_expired': { shopId: string; reason: string };
  'shop.no_app_key': { shopId: string };
  'shop.no_app_secret': { shopId: string };
  /** Timed out, or the callback's state matched no authorisation in flight (shopId when the caller named one). */
  'shop.authorize_expired': { shopId?: string };
  'waybill_account.not_found': { accountId: string };
}

export type Reason = keyof ReasonDetails;

/** The coarse code each reason travels under (callers that only know codes keep working). */
export const REASONS = {
  'print_job.not_found': 'NOT_FOUND',
  'print_job.not_failed': 'INVALID_STATE',
  'print_job.not_cancellable': 'INVALID_STATE',
  'print_job.not_uncertain': 'INVALID_STATE',
  'print_job.not_reprintable': 'INVALID_STATE',
  'print_job.changed': 'CONFLICT',
  'printer.not_found': 'NOT_FOUND',
  'printer.name_taken': 'CONFLICT',
  'reprint.reason_required': 'VALIDATION_FAILED',
  'reprint.limit_reached': 'FORBIDDEN',
  'reprint.not_allowed': 'FORBIDDEN',
  'order.not_found': 'NOT_FOUND',
  'shop.not_found': 'NOT_FOUND',
  'shop.auth_expired': 'SHOP_AUTH_EXPIRED',
  'shop.no_app_key': 'INVALID_STATE',
  'shop.no_app_secret': 'INVALID_STATE',
  'shop.authorize_expired': 'INVALID_STATE',
  'waybill_account.not_found': 'NOT_FOUND',
} as const satisfies { [R in Reason]: ErrorCode };

export const REASON_NAMES = Object.keys(REASONS) as Reason[];

export function isReason(v: unknown): v is Reason {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(REASONS, v);
}

/** An AppError that names its reason: the code comes from the registry, the details are typed by it. */
export function reasonError<R extends Reason>(reason: R, details: ReasonDetails[R], message: string): AppError {
  return new AppError(REASONS[reason], message, details, reason);
}
