// The hub's periodic sweep: sign-in sessions that expired, join codes used or expired more than
// KEEP_CODES_MS ago (kept that long so an owner still sees why a code failed), and sign-in counts
// that no longer lock anything. Each is one idempotent DELETE … WHERE, so several hub processes
// over one database may sweep at the same time: a row is deleted once, the others delete nothing.
import type { Engine, Queryable } from '../db/engine.ts';
import { ADDRESS_WINDOW_MS } from './login-limit.ts';

/** How long a used or expired join code is kept. */
export const KEEP_CODES_MS = 7 * 24 * 60 * 60 * 1000;
/** How often a hub process sweeps (and once when it starts). */
export const SWEEP_EVERY_MS = 60 * 60 * 1000;

export interface SweepResult {
  sessions: number;
  joinCodes: number;
  loginAttempts: number;
}

export async function sweep(q: Queryable, now = Date.now()): Promise<SweepResult> {
  const sessions = await q.query('DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1', [now]);
  const codes = await q.query('DELETE FROM join_codes WHERE (used_at IS NOT NULL AND used_at < $1) OR expires_at < $1 RETURNING 1', [now - KEEP_CODES_MS]);
  // A count goes once it locks nothing and began longer than an address's window ago (a person's
  // few wrong tries that long ago no longer count toward a lock).
  const attempts = await q.query('DELETE FROM login_attempts WHERE (locked_until IS NULL OR locked_until <= $1) AND first_at < $2 RETURNING 1', [now, now - ADDRESS_WINDOW_MS]);
  return { sessions: sessions.rows.length, joinCodes: codes.rows.length, loginAttempts: attempts.rows.length };
}

/**
 * Sweeps now and every `everyMs` until stopped (the stop waits for a sweep under way, so the
 * database can close after it); a failed sweep is logged and tried again next time.
 */
export function startSweeps(engine: Engine, everyMs = SWEEP_EVERY_MS, log: (msg: string) => void = (m) => console.error(m)): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const run = () => {
    if (running) return;
    running = sweep(engine)
      .catch((err: unknown) => log(`[hub] housekeeping sweep failed: ${(err as Error).message}`))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
