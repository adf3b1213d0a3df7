// A refusal that names its reason crosses dispatch whole: code, reason, English message and the
// details the renderer fills into its words (src/api/error-words.test.ts reads this same shape).
import { afterEach, describe, expect, it } from 'vitest';
import { REASONS, REASON_NAMES, isReason, reasonError } from '../../shared/reasons.ts';
import { ERROR_CODES } from '../../shared/result.ts';
import { openFixture, type Fixture } from '../../testkit/api-fixtures.ts';

let f: Fixture;
afterEach(() => f?.close());

describe('reasons across the API', () => {
  it('a print job cancelled twice comes back with its reason, state and an English message', async () => {
    f = openFixture();
    const added = await f.call('printers.add', { name: 'P1', uri: 'tcp://127.0.0.1:9', lang: 'tspl' });
    if (!added.ok) throw new Error(added.error.message);
    const test = await f.call('printers.testPrint', { id: (added.value as { id: string }).id });
    if (!test.ok) throw new Error(test.error.message);
    const jobId = (test.value as { id: string }).id;
    const first = await f.call('printJobs.cancel', { id: jobId });
    expect(first.ok).toBe(true);
    const again = await f.call('printJobs.cancel', { id: jobId });
    expect(again).toEqual({
      ok: false,
      error: { code: 'INVALID_STATE', reason: 'print_job.not_cancellable', message: `Print job ${jobId} is cancelled and cannot be cancelled`, details: { jobId, state: 'cancelled' } },
    });
    // The wire shape survives JSON (the HTTP host and the IPC bridge both serialise it).
    expect(JSON.parse(JSON.stringify(again))).toEqual(again);
  });

  it('an unknown job is NOT_FOUND with the print_job.not_found reason', async () => {
    f = openFixture();
    const missing = '01900000-0000-7000-8000-000000000000';
    const r = await f.call('printJobs.retry', { id: missing });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'print_job.not_found', details: { jobId: missing } } });
  });

  it('an unknown order or shop names its reason, so the screen can say which', async () => {
    f = openFixture();
    const missing = '01900000-0000-7000-8000-000000000001';
    expect(await f.call('orders.get', { id: missing })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'order.not_found', details: { id: missing } } });
    expect(await f.call('shops.update', { id: 'no-such-shop', name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', reason: 'shop.not_found', details: { shopId: 'no-such-shop' } },
    });
  });

  it('every reason travels under a real code, and reasonError takes the code from the registry', () => {
    for (const r of REASON_NAMES) expect(ERROR_CODES, r).toContain(REASONS[r]);
    expect(isReason('reprint.limit_reached')).toBe(true);
    expect(isReason('reprint.nope')).toBe(false);
    expect(reasonError('reprint.limit_reached', { reprints: 2, limit: 2 }, 'x')).toMatchObject({ code: 'FORBIDDEN', reason: 'reprint.limit_reached', details: { reprints: 2, limit: 2 } });
  });
});
