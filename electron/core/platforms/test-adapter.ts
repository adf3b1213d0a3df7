// Test support for adapter tests against the loopback gateways: what a rejected call threw, and every
// order a window holds, pulled page by page through the adapter the way the sync engine does.
import type { PlatformOrder } from '../../shared/model.ts';
import { AppError } from '../../shared/result.ts';
import type { PlatformAdapter, PullWindow } from './contract.ts';

/** The AppError a promise rejects with; anything else (or no rejection) fails the test. */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** Every order in the window, mapped, across all its pages. */
export async function pullAll(adapter: PlatformAdapter, window: PullWindow): Promise<PlatformOrder[]> {
  const found: PlatformOrder[] = [];
  let token: string | null = null;
  do {
    const page = await adapter.pullPage(window, token);
    found.push(...page.payloads.map((p) => adapter.toOrder(p)));
    token = page.next;
  } while (token !== null);
  return found;
}
