// The pure backoff and circuit-breaker rules: growth, cap and jitter bounds (property-based),
// throttle floors, error classification, and the circuit opening, resting and closing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/result.ts';
import { platformError } from '../platforms/gateway.ts';
import {
  afterFailure,
  afterSuccess,
  classifyError,
  DEFAULT_IN_ROUND_POLICY,
  DEFAULT_ROUND_POLICY,
  fullJitterMs,
  HEALTHY,
  inRoundRetryDelayMs,
  markedRetryable,
  retryDelayMs,
  scheduledAttemptAllowed,
  type ShopHealth,
} from './backoff.ts';

const policy = { baseMs: 1000, capMs: 60_000 };
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('fullJitterMs', () => {
  it('stays within [0, min(cap, base·2^attempt)] for any attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), unit, (attempt, r) => {
        const d = fullJitterMs(attempt, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
        expect(Number.isInteger(d)).toBe(true);
      }),
    );
  });

  it('doubles its ceiling per attempt until the cap', () => {
    const top = () => 0.999999;
    expect(fullJitterMs(0, policy, top)).toBe(999);
    expect(fullJitterMs(1, policy, top)).toBe(1999);
    expect(fullJitterMs(3, policy, top)).toBe(7999);
    expect(fullJitterMs(6, policy, top)).toBe(59_999);
    expect(fullJitterMs(40, policy, top)).toBe(59_999);
    expect(fullJitterMs(5, policy, () => 0)).toBe(0);
    expect(fullJitterMs(2, policy, () => 0.5)).toBe(2000);
  });

  it('is monotone in the random draw for a fixed attempt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), unit, unit, (attempt, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(fullJitterMs(attempt, policy, () => lo)).toBeLessThanOrEqual(fullJitterMs(attempt, policy, () => hi));
      }),
    );
  });
});

describe('classifyError', () => {
  it('reads the adapters’ details', () => {
    expect(classifyError(platformError('502', { code: 'HTTP_502', retryable: true, throttled: false }))).toEqual({ kind: 'retryable' });
    expect(classifyError(platformError('ban', { code: 7, retryable: true, throttled: true, retryAfterMs: 30_000 }))).toEqual({ kind: 'throttled', retryAfterMs: 30_000 });
    expect(classifyError(platformError('qps', { code: 70031, retryable: true, throttled: true }))).toEqual({ kind: 'throttled' });
    expect(classifyError(platformError('sign', { code: 25, retryable: false, throttled: false }))).toEqual({ kind: 'fatal' });
    expect(classifyError(new AppError('SHOP_AUTH_EXPIRED', 'expired'))).toEqual({ kind: 'auth' });
    expect(classifyError(new Error('socket hang up'))).toEqual({ kind: 'retryable' });
  });

  it('only treats errors the adapter marked as retryable for in-place retries', () => {
    expect(markedRetryable(platformError('502', { code: 'HTTP_502', retryable: true, throttled: false }))).toBe(true);
    expect(markedRetryable(platformError('sign', { code: 25, retryable: false, throttled: false }))).toBe(false);
    expect(markedRetryable(new AppError('PLATFORM_ERROR', 'no details'))).toBe(false);
    expect(markedRetryable(new Error('socket hang up'))).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('never waits less than a throttled platform’s retryAfterMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), unit, fc.integer({ min: 1, max: 3_600_000 }), (attempt, r, after) => {
        const d = retryDelayMs(attempt, { kind: 'throttled', retryAfterMs: after }, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(after);
        expect(d).toBeLessThanOrEqual(Math.max(after, policy.capMs));
      }),
    );
  });

  it('sends non-retryable errors straight to the cap', () => {
    expect(retryDelayMs(0, { kind: 'fatal' }, policy, () => 0)).toBe(policy.capMs);
  });
});

describe('inRoundRetryDelayMs', () => {
  const p = DEFAULT_IN_ROUND_POLICY;
  it('retries a transient error a few times with short waits, then gives up', () => {
    expect(inRoundRetryDelayMs(0, { kind: 'retryable' }, p, () => 0.5)).toBe(Math.floor(0.5 * p.baseMs));
    expect(inRoundRetryDelayMs(1, { kind: 'retryable' }, p, () => 0.5)).toBe(Math.floor(0.5 * p.baseMs * 2));
    expect(inRoundRetryDelayMs(p.retries, { kind: 'retryable' }, p, () => 0.5)).toBeNull();
  });
  it('does not retry fatal errors in place, nor sleep through a long throttle ban', () => {
    expect(inRoundRetryDelayMs(0, { kind: 'fatal' }, p, () => 0.5)).toBeNull();
    expect(inRoundRetryDelayMs(0, { kind: 'auth' }, p, () => 0.5)).toBeNull();
    expect(inRoundRetryDelayMs(0, { kind: 'throttled', retryAfterMs: p.maxWaitMs + 1 }, p, () => 0)).toBeNull();
    expect(inRoundRetryDelayMs(0, { kind: 'throttled', retryAfterMs: 1500 }, p, () => 0)).toBe(1500);
  });
});

describe('circuit breaker', () => {
  const cp = { ...DEFAULT_ROUND_POLICY, baseMs: 1000, capMs: 60_000, failuresToOpen: 3, coolDownMs: 600_000 };
  const T = 1_000_000;

  it('opens after N consecutive failed rounds, skips scheduled rounds while open, and a success closes it', () => {
    let h: ShopHealth = HEALTHY;
    h = afterFailure(h, { kind: 'retryable' }, T, cp, () => 0.5);
    expect(h).toEqual({ consecutiveFailures: 1, nextAttemptAt: T + 500, circuitOpenUntil: null });
    expect(scheduledAttemptAllowed(h, T + 499)).toBe(false);
    expect(scheduledAttemptAllowed(h, T + 500)).toBe(true);
    h = afterFailure(h, { kind: 'retryable' }, T + 500, cp, () => 0.5);
    expect(h).toEqual({ consecutiveFailures: 2, nextAttemptAt: T + 1500, circuitOpenUntil: null });
    h = afterFailure(h, { kind: 'retryable' }, T + 1500, cp, () => 0.5);
    expect(h.consecutiveFailures).toBe(3);
    expect(h.circuitOpenUntil).toBe(T + 1500 + cp.coolDownMs);
    expect(h.nextAttemptAt).toBe(h.circuitOpenUntil);
    expect(scheduledAttemptAllowed(h, T + 1500 + cp.coolDownMs - 1)).toBe(false);
    expect(scheduledAttemptAllowed(h, T + 1500 + cp.coolDownMs)).toBe(true);
    // A failed half-open probe rests the shop for another cool-down.
    const probeAt = T + 1500 + cp.coolDownMs;
    const reopened = afterFailure(h, { kind: 'retryable' }, probeAt, cp, () => 0.5);
    expect(reopened.circuitOpenUntil).toBe(probeAt + cp.coolDownMs);
    expect(scheduledAttemptAllowed(reopened, probeAt + 1)).toBe(false);
    // A success closes it.
    expect(afterSuccess()).toEqual({ consecutiveFailures: 0, nextAttemptAt: null, circuitOpenUntil: null });
    expect(scheduledAttemptAllowed(afterSuccess(), probeAt)).toBe(true);
  });

  it('keeps nextAttemptAt at or after now + retryAfterMs for throttled rounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), unit, fc.integer({ min: 1, max: 3_600_000 }), (failures, r, after) => {
        const h = afterFailure({ consecutiveFailures: failures, nextAttemptAt: null, circuitOpenUntil: null }, { kind: 'throttled', retryAfterMs: after }, T, cp, () => r);
        expect(h.nextAttemptAt!).toBeGreaterThanOrEqual(T + after);
        expect(scheduledAttemptAllowed(h, T + after - 1)).toBe(false);
      }),
    );
  });
});
