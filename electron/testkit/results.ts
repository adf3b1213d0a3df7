// Small helpers the tests share, so each file states what it checks rather than re-declaring how to
// unwrap an answer: a Result that must be ok, the AppError a call must throw, cleanups run after each
// test, waiting for a condition, the error a call rejects with. Tests only.
import { afterEach, expect } from 'vitest';
import { AppError, type Result } from '../shared/result.ts';

/** The value of a Result that must be ok; a failed one fails the test with its code and message. */
export function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** `ok` for a call still in flight (an API call through a fixture or a core). */
export async function okAfter<T>(p: Promise<Result<unknown>>): Promise<T> {
  return ok<T>(await p);
}

/** The AppError `fn` throws; fails the test when it returns or throws anything else. */
export function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an AppError');
}

/** The error of class `type` a promise rejects with; anything else (or no rejection) fails the test. */
export async function rejectedWith<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a rejection with a ${type.name}`);
}

/** The AppError a promise rejects with; anything else (or no rejection) fails the test. */
export const rejection = (p: Promise<unknown>): Promise<AppError> => rejectedWith(p, AppError);

/** A list a test pushes its cleanups onto; after each test they run, the last pushed first. */
export function cleanupsAfterEach(): (() => Promise<void> | void)[] {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}

/** Resolves once `check()` holds, polling every 10 ms; fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
