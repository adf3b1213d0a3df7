// Print jobs in the operator's terms, without React: the badge tone of each state, which actions a
// job in that state offers (the same rules the core enforces in queue-commands.ts), how reprint reasons are
// checked before they are sent, how much reprint allowance is left, and jobs grouped by batch.
import type { TFunction } from 'i18next';
import { PRINT_JOB_STATES, type PrintJobState, type PrintJobView } from '../../../electron/shared/contract.ts';
import { describeStoredError } from '../../api/error-words.ts';
import type { Tone } from '../../components/Badge.tsx';

export const JOB_STATES = PRINT_JOB_STATES;
export type JobStateName = PrintJobState;

export const JOB_STATE_TONE: Record<JobStateName, Tone> = {
  queued: 'neutral',
  sending: 'info',
  sent: 'accent',
  confirmed: 'success',
  failed: 'danger',
  uncertain: 'warning',
  cancelled: 'muted',
};

export type JobAction = 'retry' | 'cancel' | 'resolvePrinted' | 'resolveReprint' | 'reprint';

/** The button words (i18n keys) of each action, wherever jobs are acted on (打印任务, the print dialog). */
export const JOB_ACTION_KEYS: Record<JobAction, string> = {
  retry: 'printJobs.retry',
  cancel: 'printJobs.cancel',
  resolvePrinted: 'printJobs.printed',
  resolveReprint: 'printJobs.printAgain',
  reprint: 'printJobs.reprint',
};

/**
 * What a job in this state offers. A failed job: retry or cancel. An uncertain one (a crash caught
 * it mid-send): the operator says whether the label came out — never an automatic resend. A queued
 * one may still be cancelled. A delivered or cancelled one may be reprinted, with a reason.
 */
export function jobActions(state: JobStateName): JobAction[] {
  switch (state) {
    case 'failed':
      return ['retry', 'cancel'];
    case 'uncertain':
      return ['resolvePrinted', 'resolveReprint'];
    case 'queued':
      return ['cancel'];
    case 'sent':
    case 'confirmed':
      return ['reprint'];
    case 'cancelled':
      // The only way a cancelled label prints again (batch.ts refuses to queue it anew).
      return ['reprint'];
    case 'sending':
      return [];
  }
}

/** The core's rule (queue-commands.ts reprint): a reason of at least 2 characters, at most 200. */
export const REPRINT_REASON_MIN = 2;
export const REPRINT_REASON_MAX = 200;

export type ReasonProblem = 'required' | 'too_short' | 'too_long' | null;

/** What is wrong with a reprint reason as typed, or null when it may be sent. */
export function reprintReasonProblem(text: string): ReasonProblem {
  const reason = text.trim();
  if (reason.length === 0) return 'required';
  if (reason.length < REPRINT_REASON_MIN) return 'too_short';
  if (reason.length > REPRINT_REASON_MAX) return 'too_long';
  return null;
}

/**
 * Reprints the caller may still make of one package on their own: null = no limit (owner,
 * operator), 0 = refused. `limit` is the role's limit as the core reports it (null = unlimited).
 */
export function reprintsLeft(limit: number | null, done: number): number | null {
  if (limit === null) return null;
  return Math.max(0, limit - done);
}

export interface BatchGroup<J> {
  /** null: jobs outside any batch (test pages, single reprints). */
  batchId: string | null;
  jobs: J[];
  counts: Partial<Record<JobStateName, number>>;
  /** When the batch's first job was queued (for the heading). */
  firstAt: number;
}

/** Jobs grouped by batch, newest batch first; jobs inside a batch keep their print order (seq, then queue order). */
export function groupByBatch<J extends { batchId: string | null; state: JobStateName; seq: number | null; createdAt: number }>(jobs: readonly J[]): BatchGroup<J>[] {
  const groups = new Map<string | null, BatchGroup<J>>();
  jobs.forEach((job) => {
    let g = groups.get(job.batchId);
    if (!g) groups.set(job.batchId, (g = { batchId: job.batchId, jobs: [], counts: {}, firstAt: job.createdAt }));
    g.jobs.push(job);
    g.counts[job.state] = (g.counts[job.state] ?? 0) + 1;
    g.firstAt = Math.min(g.firstAt, job.createdAt);
  });
  const order = (j: J, i: number) => [j.seq ?? Number.MAX_SAFE_INTEGER, j.createdAt, i] as const;
  for (const g of groups.values()) {
    const indexed = g.jobs.map((j, i) => [j, order(j, i)] as const);
    indexed.sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1] || a[1][2] - b[1][2]);
    g.jobs = indexed.map(([j]) => j);
  }
  return [...groups.values()].sort((a, b) => b.firstAt - a.firstAt);
}

/** Reprints made so far of the package (or, for a job without one, of the same original) among these jobs. */
export function reprintsDone(jobs: readonly { id: string; packageId: string | null; reprintOf: string | null }[], job: { id: string; packageId: string | null; reprintOf: string | null }): number {
  const root = job.reprintOf ?? job.id;
  return jobs.filter((j) => j.reprintOf !== null && (job.packageId ? j.packageId === job.packageId : j.reprintOf === root)).length;
}

/**
 * A job's last failure in the user's language: its stored reason's words (which failure, sent or not,
 * check whether it printed) with the technical detail beneath; a job failed before failures kept
 * their reason shows its stored text.
 */
export function jobErrorWords(t: TFunction, job: Pick<PrintJobView, 'lastError' | 'lastErrorWhy'>): string | null {
  if (job.lastErrorWhy === null) return job.lastError;
  const words = describeStoredError(t, job.lastErrorWhy);
  return [words.text, ...words.lines].join(' — ');
}
