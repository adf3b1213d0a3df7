// How many wrong sign-ins the hub takes before it stops checking for a while: per person (the
// station's own rule, mirrored: 5 wrong in a row lock that person for 60 s) and per address (many
// wrong sign-ins from one address, whatever names it tries, lock that address). The counts live in
// the database (`login_attempts`), so every hub process over it counts the same tries; each change
// is one upsert, so two processes counting at once lose no try.
import type { Queryable } from '../db/engine.ts';
import { HubFailure } from './errors.ts';

/** Wrong sign-ins in a row that lock a person, as at a station (electron/core/hub/identity-local.ts). */
export const USER_MAX_FAILURES = 5;
/** Wrong sign-ins from one address within ADDRESS_WINDOW_MS that lock the address. */
export const ADDRESS_MAX_FAILURES = 30;
export const ADDRESS_WINDOW_MS = 10 * 60_000;
/** How long a lock lasts: long enough to stop guessing, short enough for a person who mistyped. */
export const LOCK_MS = 60_000;

export interface LoginKeys {
  /** `user:<team id>:<name>`: the name as given (an unknown name is counted too, so it tells nothing). */
  user: string | null;
  /** `ip:<address>`, when the request's address is known. */
  address: string | null;
}

export const userKey = (teamId: string, name: string): string => `user:${teamId}:${name}`;
export const addressKey = (ip: string): string => `ip:${ip}`;

/** Refuses (SIGN_IN_LOCKED, with retryAfterMs) while the person or the address is locked. */
export async function assertNotLocked(q: Queryable, keys: LoginKeys, now: number): Promise<void> {
  const list = [keys.user, keys.address].filter((k): k is string => k !== null);
  if (list.length === 0) return;
  const r = await q.query<{ key: string; locked_until: number }>('SELECT key, locked_until FROM login_attempts WHERE key = ANY($1::text[]) AND locked_until > $2', [list, now]);
  if (r.rows.length === 0) return;
  const until = Math.max(...r.rows.map((x) => Number(x.locked_until)));
  const retryAfterMs = until - now;
  const who = r.rows.some((x) => x.key === keys.user) ? 'this person' : 'this address';
  throw new HubFailure('SIGN_IN_LOCKED', `too many wrong sign-ins for ${who}: try again in ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs });
}

/**
 * Counts one wrong sign-in. A person's count runs until a good sign-in (or their lock ran out); an
 * address's within a window. Reaching the limit locks for LOCK_MS and starts the count again.
 */
export async function countFailure(q: Queryable, keys: LoginKeys, now: number): Promise<void> {
  const rows: [string, number, number][] = [];
  if (keys.user !== null) rows.push([keys.user, USER_MAX_FAILURES, Number.MAX_SAFE_INTEGER]);
  if (keys.address !== null) rows.push([keys.address, ADDRESS_MAX_FAILURES, ADDRESS_WINDOW_MS]);
  for (const [key, max, window] of rows) {
    // A count whose window passed or whose lock ran out starts again at 1.
    await q.query(
      `WITH v AS (SELECT $1::text AS key, $2::bigint AS now, $3::int AS max, $4::bigint AS win, $5::bigint AS lock)
       INSERT INTO login_attempts AS a (key, failures, first_at, locked_until)
         SELECT v.key, 1, v.now, CASE WHEN 1 >= v.max THEN v.now + v.lock ELSE NULL END FROM v
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN a.first_at < (SELECT now - win FROM v) OR a.locked_until <= (SELECT now FROM v) THEN 1 ELSE a.failures + 1 END,
         first_at = CASE WHEN a.first_at < (SELECT now - win FROM v) OR a.locked_until <= (SELECT now FROM v) THEN (SELECT now FROM v) ELSE a.first_at END,
         locked_until = CASE
           WHEN (CASE WHEN a.first_at < (SELECT now - win FROM v) OR a.locked_until <= (SELECT now FROM v) THEN 1 ELSE a.failures + 1 END) >= (SELECT max FROM v)
             THEN (SELECT now + lock FROM v)
           WHEN a.locked_until <= (SELECT now FROM v) THEN NULL
           ELSE a.locked_until END`,
      [key, now, max, window, LOCK_MS],
    );
  }
}

/** A good sign-in clears the person's count (an address's keeps running: it may be guessing others). */
export async function clearFailures(q: Queryable, keys: LoginKeys): Promise<void> {
  if (keys.user !== null) await q.query('DELETE FROM login_attempts WHERE key = $1', [keys.user]);
}
