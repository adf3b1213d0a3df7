import { describe, expect, it } from 'vitest';
import type { PrintBatchView, PrintJobView, PrinterView, PrintPrecheck } from '../../../../electron/shared/contract.ts';
import { defaultPrinterId, printersForLabels, printStage, stageFraction, summarizePrecheck } from './print-labels.ts';

const printer = (name: string, documents: PrinterView['documents'], paused = false): PrinterView => ({ id: name, name, uri: 'tcp://h:9100', lang: 'tspl', dpi: 203, documents, settings: {}, paused, createdAt: 0, held: { failed: 0, uncertain: 0 } });

describe('printersForLabels', () => {
  it('offers the printers assigned to 面单 first, unpaused before paused', () => {
    const list = [printer('A4', ['packing_slip']), printer('Z面单', ['waybill'], true), printer('B面单', ['waybill', 'pick_list']), printer('C', [])];
    expect(printersForLabels(list).map((p) => p.name)).toEqual(['B面单', 'Z面单', 'A4', 'C']);
    expect(defaultPrinterId(list)).toBe('B面单');
  });
  it('falls back to any printer, and to none', () => {
    expect(defaultPrinterId([printer('only', ['pick_list'])])).toBe('only');
    expect(defaultPrinterId([printer('p', ['waybill'], true)])).toBe('p');
    expect(defaultPrinterId([])).toBeNull();
  });
});

describe('summarizePrecheck', () => {
  const check = (id: string, problems: PrintPrecheck['problems'] = [], mergeCandidates: string[] = []): PrintPrecheck => ({ id, ok: problems.length === 0, problems, mergeCandidates, hasWaybill: false });
  it('counts ok orders, lists problems per order and each merge group once', () => {
    const s = summarizePrecheck([check('a', [], ['b']), check('b', [], ['a']), check('c', ['held', 'refund_requested']), check('d'), check('e', ['address_incomplete'], ['f', 'g']), check('g', [], ['e', 'f'])]);
    expect(s.ok).toBe(4);
    expect(s.printable).toEqual(['a', 'b', 'd', 'g']);
    expect(s.problems).toEqual([
      { id: 'c', problems: ['held', 'refund_requested'] },
      { id: 'e', problems: ['address_incomplete'] },
    ]);
    expect(s.mergeGroups).toEqual([
      ['a', 'b'],
      ['e', 'f', 'g'],
    ]);
  });
});

describe('printStage', () => {
  const job = (state: PrintJobView['state']) => ({ state }) as PrintJobView;
  const batch = (states: PrintJobView['state'][], finished: boolean, blockedBy: PrintJobView['state'][] = []): PrintBatchView => {
    const counts = { queued: 0, sending: 0, sent: 0, confirmed: 0, failed: 0, uncertain: 0, cancelled: 0 };
    for (const s of states) counts[s] += 1;
    return { batchId: 'B', jobs: states.map(job), counts, finished, blockedBy: blockedBy.map(job) };
  };
  it('follows print.progress while labels are allocated and queued', () => {
    expect(printStage(null, null)).toBeNull();
    expect(printStage({ phase: 'allocate', done: 3, total: 10 }, null)).toEqual({ kind: 'allocating', done: 3, total: 10 });
    expect(printStage({ phase: 'queue', done: 10, total: 10 }, null)).toEqual({ kind: 'queued', count: 10 });
  });
  it('is finished, with every order failed, when print.labels queued nothing (no batch, no progress follows)', () => {
    const failed = [
      { id: 'o1', code: 'claim_held', reason: 'held by 一号打包台' },
      { id: 'o2', code: 'claim_held', reason: 'held by 一号打包台' },
    ];
    expect(printStage(null, null, { queued: 0, failed })).toEqual({ kind: 'finished', printed: 0, failed: 2, uncertain: 0 });
    expect(printStage({ phase: 'allocate', done: 0, total: 2 }, null, { queued: 0, failed })).toMatchObject({ kind: 'finished' });
    // A result that queued labels is followed through its batch as before.
    expect(printStage(null, null, { queued: 1, failed: [] })).toBeNull();
  });
  it('then follows the batch jobs until nothing is left to send', () => {
    expect(printStage(null, batch(['confirmed', 'sent', 'queued', 'sending'], false))).toEqual({ kind: 'printing', done: 2, total: 4 });
    expect(printStage(null, batch(['confirmed', 'failed', 'cancelled'], true))).toEqual({ kind: 'finished', printed: 1, failed: 1, uncertain: 0 });
    // A failed or uncertain label holds the lane: the rest wait for a person, and the stage says so.
    expect(printStage(null, batch(['confirmed', 'uncertain', 'queued', 'queued'], false))).toEqual({ kind: 'held', done: 1, total: 4, waiting: 2, blockedBy: 0 });
    expect(printStage(null, batch(['sent', 'failed', 'queued'], false))).toEqual({ kind: 'held', done: 1, total: 3, waiting: 1, blockedBy: 0 });
    // An earlier batch's uncertain label on the same printer holds this batch from its first label.
    expect(printStage(null, batch(['queued', 'queued'], false, ['uncertain']))).toEqual({ kind: 'held', done: 0, total: 2, waiting: 2, blockedBy: 1 });
    // While a label of the batch is being sent the lane is not held (the blocker was dealt with).
    expect(printStage(null, batch(['sending', 'queued'], false, ['failed']))).toEqual({ kind: 'printing', done: 0, total: 2 });
    // A label that may have reached the printer is counted apart from a failure.
    expect(printStage(null, batch(['confirmed', 'uncertain', 'failed'], false))).toEqual({ kind: 'finished', printed: 1, failed: 1, uncertain: 1 });
    expect(printStage({ phase: 'queue', done: 2, total: 2 }, batch(['confirmed', 'confirmed'], true))).toEqual({ kind: 'finished', printed: 2, failed: 0, uncertain: 0 });
  });
  it('maps stages onto a bar that only moves forward', () => {
    const fr = [
      stageFraction(null),
      stageFraction({ kind: 'allocating', done: 1, total: 4 }),
      stageFraction({ kind: 'allocating', done: 4, total: 4 }),
      stageFraction({ kind: 'queued', count: 4 }),
      stageFraction({ kind: 'printing', done: 2, total: 4 }),
      stageFraction({ kind: 'finished', printed: 4, failed: 0, uncertain: 0 }),
    ];
    expect(fr).toEqual([...fr].sort((a, b) => a - b));
    expect(fr[fr.length - 1]).toBe(1);
  });
});
