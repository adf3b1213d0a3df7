// The station's HTTP side of the hub contract: every answer is checked against the same zod schemas
// the hub validates with (electron/shared/hub/protocol.ts). A refusal of the whole request arrives
// as HubRequestError with the hub's code (OUT_OF_ORDER carries lastSeq); a network failure as
// HubUnreachable, so the scheduler can tell "offline, try later" from "the hub said no".
import type { z } from 'zod';
import {
  HUB_PATHS,
  hubError,
  joinResponse,
  loginResponse,
  pullResponse,
  pushResponse,
  teamResponse,
  type HubError,
  type JoinRequest,
  type JoinResponse,
  type LoginRequest,
  type LoginResponse,
  type PullQuery,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type TeamResponse,
} from '../../shared/hub/protocol.ts';

export class HubRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: HubError,
  ) {
    super(`hub answered ${status} ${body.code}: ${body.message}`);
  }
  get code(): string {
    return this.body.code;
  }
}

export class HubUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    super(`the hub at ${url} cannot be reached: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

export type FetchLike = typeof fetch;

export interface HubTransport {
  join(body: JoinRequest): Promise<JoinResponse>;
  push(body: PushRequest): Promise<PushResponse>;
  pull(query: Partial<PullQuery>): Promise<PullResponse>;
}

/** One request to the hub, its answer checked against the contract's schema. */
export async function hubRequest<S extends z.ZodType>(
  base: string,
  token: string | null,
  fetchImpl: FetchLike,
  timeoutMs: number,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetchImpl(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new HubUnreachable(base, err);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    throw new HubRequestError(res.status, { code: 'INTERNAL', message: `the hub answered something that is not JSON (${res.status})` });
  }
  if (!res.ok) {
    const e = hubError.safeParse(parsed);
    throw new HubRequestError(res.status, e.success ? e.data : { code: 'INTERNAL', message: `the hub answered ${res.status}` });
  }
  const r = schema.safeParse(parsed);
  if (!r.success) throw new HubRequestError(res.status, { code: 'INTERNAL', message: `the hub's answer to ${path} does not match the contract: ${r.error.message}` });
  return r.data;
}

/** A transport for the hub at `url`, authenticated by `token` (none for join). */
export function httpTransport(url: string, token: string | null, fetchImpl: FetchLike = fetch): HubTransport {
  const base = url.replace(/\/+$/, '');
  const call = <S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, body?: unknown) => hubRequest(base, token, fetchImpl, 60_000, method, path, schema, body);
  return {
    join: (body) => call('POST', HUB_PATHS.join, joinResponse, body),
    push: (body) => call('POST', HUB_PATHS.push, pushResponse, body),
    pull: (q) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
      return call('GET', `${HUB_PATHS.pull}?${params}`, pullResponse);
    },
  };
}

/**
 * The station's questions about people (a person signing in here, the team's people for the
 * picker), with a short timeout: someone is waiting at the screen, and an unreachable hub means
 * "check offline", not a minute's wait.
 */
export function identityTransport(url: string, token: string, fetchImpl: FetchLike = fetch, timeoutMs = 8000) {
  const base = url.replace(/\/+$/, '');
  return {
    login: (body: LoginRequest): Promise<LoginResponse> => hubRequest(base, token, fetchImpl, timeoutMs, 'POST', HUB_PATHS.login, loginResponse, body),
    team: (): Promise<TeamResponse> => hubRequest(base, token, fetchImpl, timeoutMs, 'GET', HUB_PATHS.team, teamResponse),
  };
}
