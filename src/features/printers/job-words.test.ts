import { describe, expect, it } from 'vitest';
import { REPRINT_ALLOWANCE } from '../../../electron/shared/reprint-limits.ts';
import { groupByBatch, jobActions, JOB_STATE_TONE, JOB_STATES, reprintReasonProblem, reprintsDone, reprintsLeft } from './job-words.ts';

describe('jobActions', () => {
  it('offers retry and cancel for a failed job, and never a silent resend for an uncertain one', () => {
    expect(jobActions('failed')).toEqual(['retry', 'cancel']);
    expect(jobActions('uncertain')).toEqual(['resolvePrinted', 'resolveReprint']);
    expect(jobActions('uncertain')).not.toContain('retry');
  });
  it('offers a reprint once the label was delivered or cancelled, and nothing while it is in flight', () => {
    expect(jobActions('sent')).toEqual(['reprint']);
    expect(jobActions('confirmed')).toEqual(['reprint']);
    expect(jobActions('queued')).toEqual(['cancel']);
    expect(jobActions('sending')).toEqual([]);
    expect(jobActions('cancelled')).toEqual(['reprint']);
  });
  it('gives every state a tone', () => {
    for (const s of JOB_STATES) expect(JOB_STATE_TONE[s], s).toBeTruthy();
    expect(JOB_STATE_TONE.failed).toBe('danger');
    expect(JOB_STATE_TONE.uncertain).toBe('warning');
  });
});

describe('reprintReasonProblem', () => {
  it('requires a reason of 2 to 200 characters, ignoring surrounding spaces', () => {
    expect(reprintReasonProblem('')).toBe('required');
    expect(reprintReasonProblem('   ')).toBe('required');
    expect(reprintReasonProblem(' 坏 ')).toBe('too_short');
    expect(reprintReasonProblem('面单损坏')).toBeNull();
    expect(reprintReasonProblem('  ab  ')).toBeNull();
    expect(reprintReasonProblem('x'.repeat(200))).toBeNull();
    expect(reprintReasonProblem('x'.repeat(201))).toBe('too_long');
  });
});

describe('reprint allowance', () => {
  it('is unlimited for owner and operator, counts down for packer and service, and is zero for finance', () => {
    expect(reprintsLeft(REPRINT_ALLOWANCE.owner, 9)).toBeNull();
    expect(reprintsLeft(REPRINT_ALLOWANCE.operator, 0)).toBeNull();
    expect(reprintsLeft(REPRINT_ALLOWANCE.packer, 0)).toBe(2);
    expect(reprintsLeft(REPRINT_ALLOWANCE.packer, 1)).toBe(1);
    expect(reprintsLeft(REPRINT_ALLOWANCE.service, 2)).toBe(0);
    expect(reprintsLeft(REPRINT_ALLOWANCE.service, 5)).toBe(0);
    expect(reprintsLeft(REPRINT_ALLOWANCE.finance, 0)).toBe(0);
  });
  it('counts the reprints of the same package (or, without one, of the same original)', () => {
    const jobs = [
      { id: 'a', packageId: 'p1', reprintOf: null },
      { id: 'b', packageId: 'p1', reprintOf: 'a' },
      { id: 'c', packageId: 'p1', reprintOf: 'a' },
      { id: 'd', packageId: 'p2', reprintOf: null },
      { id: 't', packageId: null, reprintOf: null },
      { id: 'u', packageId: null, reprintOf: 't' },
    ];
    expect(reprintsDone(jobs, jobs[0]!)).toBe(2);
    expect(reprintsDone(jobs, jobs[1]!)).toBe(2);
    expect(reprintsDone(jobs, jobs[3]!)).toBe(0);
    expect(reprintsDone(jobs, jobs[4]!)).toBe(1);
  });
});

describe('groupByBatch', () => {
  const job = (id: string, batchId: string | null, seq: number | null, createdAt: number, state: (typeof JOB_STATES)[number] = 'queued') => ({ id, batchId, seq, createdAt, state });
  it('groups newest batch first and keeps print order (seq) inside a batch, a reprint after its original', () => {
    const groups = groupByBatch([
      job('b2', 'B', 2, 100, 'sent'),
      job('a1', 'A', 1, 10, 'confirmed'),
      job('b1', 'B', 1, 100, 'failed'),
      job('b1r', 'B', 1, 300, 'queued'),
      job('t', null, null, 50, 'confirmed'),
    ]);
    expect(groups.map((g) => g.batchId)).toEqual(['B', null, 'A']);
    expect(groups[0]!.jobs.map((j) => j.id)).toEqual(['b1', 'b1r', 'b2']);
    expect(groups[0]!.counts).toEqual({ failed: 1, queued: 1, sent: 1 });
    expect(groups[0]!.firstAt).toBe(100);
  });
  it('returns no groups for no jobs', () => {
    expect(groupByBatch([])).toEqual([]);
  });
});
