// A transport-level refusal of a whole request, answered with its HTTP status and the contract's
// error body (electron/shared/hub/protocol.ts hubError). One op's business refusal is never this:
// it is a result.
import type { HubError, HubErrorCode } from '../../electron/shared/hub/protocol.ts';

const STATUS: Record<HubErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  TOKEN_REVOKED: 401,
  SESSION_EXPIRED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  JOIN_CODE_INVALID: 400,
  JOIN_CODE_USED: 400,
  JOIN_CODE_EXPIRED: 400,
  CONFLICT: 409,
  OUT_OF_ORDER: 409,
  STATION_TOO_OLD: 426,
  SIGN_IN_LOCKED: 429,
  INTERNAL: 500,
};

export class HubFailure extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly extra: Omit<HubError, 'code' | 'message'> = {},
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
  body(): HubError {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** A business refusal of one op: recorded as its result, never a transport error. */
export class OpRefusal extends Error {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}
