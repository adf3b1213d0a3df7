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

  it('a printer with history, a taken tag name and a refused role name their reasons with typed details', async () => {
    f = openFixture();
    const added = await f.call('printers.add', { name: 'P1', uri: 'tcp://127.0.0.1:9', lang: 'tspl' });
    if (!added.ok) throw new Error(added.error.message);
    const printerId = (added.value as { id: string }).id;
    expect((await f.call('printers.testPrint', { id: printerId })).ok).toBe(true);
    expect(await f.call('printers.remove', { id: printerId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'printer.has_history', details: { name: 'P1', jobs: 1 }, message: expect.stringMatching(/^Printer "P1" has 1 print jobs/) },
    });
    expect((await f.call('tags.create', { name: '加急' })).ok).toBe(true);
    expect(await f.call('tags.create', { name: '加急' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', reason: 'tag.name_taken', details: { name: '加急' } } });
    // A role the method does not allow is told so by reason, with the role to word.
    expect(await f.call('printers.remove', { id: printerId }, f.as('finance'))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'method.not_allowed', details: { role: 'finance', method: 'printers.remove' } },
    });
  });

  it('core messages are English and the reason carries what the screen words: a label printer has no folder, unknown orders', async () => {
    f = openFixture();
    const added = await f.call('printers.add', { name: '标签机', uri: 'tcp://127.0.0.1:9', lang: 'tspl' });
    if (!added.ok) throw new Error(added.error.message);
    const missing = '01900000-0000-7000-8000-000000000002';
    const output = await f.call('printers.output', { id: (added.value as { id: string }).id });
    expect(output).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', reason: 'printer.not_folder', details: { name: '标签机' } } });
    const picks = await f.call('pickList.render', { ids: [missing], format: 'pdf' });
    expect(picks).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'order.some_missing', details: { count: 1, sample: missing } } });
    for (const r of [output, picks]) if (!r.ok) expect(r.error.message.replace('标签机', '')).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('every reason travels under a real code, and reasonError takes the code from the registry', () => {
    for (const r of REASON_NAMES) expect(ERROR_CODES, r).toContain(REASONS[r]);
    expect(isReason('reprint.limit_reached')).toBe(true);
    expect(isReason('reprint.nope')).toBe(false);
    expect(reasonError('reprint.limit_reached', { reprints: 2, limit: 2 }, 'x')).toMatchObject({ code: 'FORBIDDEN', reason: 'reprint.limit_reached', details: { reprints: 2, limit: 2 } });
  });
});
