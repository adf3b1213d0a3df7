// Per-shop sync resilience as pure functions (no timers, no clock of its own): how long to wait
// before trying a failed call or round again (exponential backoff with full jitter, never sooner
// than a throttled platform's retryAfterMs), and a per-shop circuit breaker that rests a shop after
// repeated failed rounds. The scheduler keeps the state and the clock; this module only decides.
import { AppError } from '../../shared/result.ts';
import type { SyncErrorKind } from '../../shared/sync-errors.ts';

export interface BackoffPolicy {
  /** First retry waits up to this long; each further failure doubles it. */
  baseMs: number;
  /** No backoff wait exceeds this (except a platform's own retryAfterMs). */
  capMs: number;
}

export interface CircuitPolicy extends BackoffPolicy {
  /** Consecutive failed rounds that open the shop's circuit. */
  failuresToOpen: number;
  /** How long an open circuit keeps scheduled rounds away from the shop. */
  coolDownMs: number;
}

/** Between rounds: starts near the default schedule and tops out at the cool-down. */
export const DEFAULT_ROUND_POLICY: CircuitPolicy = { baseMs: 15_000, capMs: 10 * 60_000, failuresToOpen: 5, coolDownMs: 10 * 60_000 };

export interface InRoundPolicy extends BackoffPolicy {
  /** Retries of one page before the round fails. */
  retries: number;
  /** A wait longer than this (a throttle ban) is not slept in place: the round fails and the round backoff takes over. */
  maxWaitMs: number;
}

/** Within a round: a short pause rides out a blip (a 502, a dropped connection) without losing the round. */
export const DEFAULT_IN_ROUND_POLICY: InRoundPolicy = { baseMs: 250, capMs: 2_000, retries: 2, maxWaitMs: 5_000 };

/** Declared with the stored sync error (it is a column of sync_cursors and sync_runs). */
export type FailureKind = SyncErrorKind;

export interface Failure {
  kind: FailureKind;
  /** The platform's own "try again after" (throttle bans), when it said. */
  retryAfterMs?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Reads the details the adapters attach to AppError('PLATFORM_ERROR', msg, { retryable, throttled, retryAfterMs? }). */
export function classifyError(err: unknown): Failure {
  if (err instanceof AppError) {
    if (err.code === 'SHOP_AUTH_EXPIRED') return { kind: 'auth' };
    if (err.code === 'PLATFORM_ERROR' && isRecord(err.details)) {
      const d = err.details;
      const retryAfter = typeof d.retryAfterMs === 'number' && Number.isFinite(d.retryAfterMs) && d.retryAfterMs > 0 ? { retryAfterMs: d.retryAfterMs } : {};
      if (d.throttled === true) return { kind: 'throttled', ...retryAfter };
      if (d.retryable === true) return { kind: 'retryable', ...retryAfter };
      if (d.retryable === false) return { kind: 'fatal' };
    }
  }
  // Unknown failures (a thrown Error from a driver, a PLATFORM_ERROR without details) back off
  // exponentially like transient ones: we cannot tell they are permanent.
  return { kind: 'retryable' };
}

/** Whether the adapter itself said so (details.retryable / throttled): only then is a page retried in place. */
export function markedRetryable(err: unknown): boolean {
  return err instanceof AppError && err.code === 'PLATFORM_ERROR' && isRecord(err.details) && (err.details.retryable === true || err.details.throttled === true);
}

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base·2^attempt)]. `random` returns [0, 1). */
export function fullJitterMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next try after `attempt` earlier consecutive failures (0 for the first).
 * Fatal errors go straight to the cap; a platform's retryAfterMs is a floor, never shortened.
 */
export function retryDelayMs(attempt: number, failure: Failure, policy: BackoffPolicy, random: () => number): number {
  const backoff = failure.kind === 'fatal' ? policy.capMs : fullJitterMs(attempt, policy, random);
  return Math.max(backoff, failure.retryAfterMs ?? 0);
}

/** The wait before retrying a failed page in place, or null when the round should fail instead. */
export function inRoundRetryDelayMs(retryIndex: number, failure: Failure, policy: InRoundPolicy, random: () => number): number | null {
  if (retryIndex >= policy.retries) return null;
  if (failure.kind !== 'retryable' && failure.kind !== 'throttled') return null;
  const delay = retryDelayMs(retryIndex, failure, policy, random);
  return delay > policy.maxWaitMs ? null : delay;
}

export interface ShopHealth {
  consecutiveFailures: number;
  /** Scheduled rounds leave the shop alone before this (epoch ms); null when it may go at once. */
  nextAttemptAt: number | null;
  /** The circuit is open until this (epoch ms); null when closed. */
  circuitOpenUntil: number | null;
}

export const HEALTHY: ShopHealth = Object.freeze({ consecutiveFailures: 0, nextAttemptAt: null, circuitOpenUntil: null });

/** A successful round closes the circuit and forgets the failures. */
export const afterSuccess = (): ShopHealth => ({ ...HEALTHY });

/**
 * The shop's health after a failed round at `now`. Once the failures reach the threshold the
 * circuit (re)opens for the cool-down — so a failed half-open probe rests the shop again.
 */
export function afterFailure(health: ShopHealth, failure: Failure, now: number, policy: CircuitPolicy, random: () => number): ShopHealth {
  const consecutiveFailures = health.consecutiveFailures + 1;
  const delay = retryDelayMs(consecutiveFailures - 1, failure, policy, random);
  const open = consecutiveFailures >= policy.failuresToOpen;
  const circuitOpenUntil = open ? now + policy.coolDownMs : null;
  return { consecutiveFailures, nextAttemptAt: Math.max(now + delay, circuitOpenUntil ?? 0), circuitOpenUntil };
}

/** Whether a scheduled round may try the shop at `now` (manual syncs always may: a half-open probe). */
export function scheduledAttemptAllowed(health: ShopHealth, now: number): boolean {
  if (health.circuitOpenUntil !== null && now < health.circuitOpenUntil) return false;
  return health.nextAttemptAt === null || now >= health.nextAttemptAt;
}
