// The TOP error_response as the loopback gateway raises it (docs/platforms/taobao.md#errors): one class shared by the
// gateway's order APIs (server.ts) and its push-back/decrypt APIs (server-push.ts).

/**
 * A TOP error_response. Codes 7/15/27 are from docs/platforms/taobao.md#errors; the other numbers follow the
 * TOP public code table [UNVERIFIED beyond docs/platforms/taobao.md#errors].
 */
export class TopError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(msg);
  }
}

/** code 15 + isv.invalid-parameter:<name>: our request named a bad value. */
export const invalidParam = (name: string, subMsg: string): TopError => new TopError(15, 'Remote service error', `isv.invalid-parameter:${name}`, subMsg);

/** code 40 + isv.missing-parameter:<name>. */
export const missingParam = (name: string): TopError => new TopError(40, 'Missing Required Arguments', `isv.missing-parameter:${name}`, `${name} is required`);
