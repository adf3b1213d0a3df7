// The 打印面单 dialog's decisions without React: which printers to offer first, the pre-check
// summarised (ok count, problems per order, merge groups), and the progress line from the core's
// print.progress events and the batch's job counts.
import type { PrintBatchView, PrinterView, PrintLabelsResult, PrintPrecheck, PrintProblem } from '../../../../electron/shared/contract.ts';

/** Printers assigned to 面单 first (unpaused before paused), then the rest; by name within each. */
export function printersForLabels(printers: readonly PrinterView[]): PrinterView[] {
  const rank = (p: PrinterView) => (p.documents.includes('waybill') ? 0 : 2) + (p.paused ? 1 : 0);
  return [...printers].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The printer chosen when the dialog opens: the first waybill printer that is not paused, else the first one. */
export function defaultPrinterId(printers: readonly PrinterView[]): string | null {
  const sorted = printersForLabels(printers);
  return (sorted.find((p) => p.documents.includes('waybill') && !p.paused) ?? sorted[0])?.id ?? null;
}

export interface PrecheckSummary {
  ok: number;
  /** Orders that may not print, with every reason, in selection order. */
  problems: { id: string; problems: PrintProblem[] }[];
  /** Orders that could be merged, each group once (an order with its candidates), in selection order. */
  mergeGroups: string[][];
  /** Orders that will print: ok ones (all of them when problems are not skipped — the core refuses then). */
  printable: string[];
}

export function summarizePrecheck(checks: readonly PrintPrecheck[]): PrecheckSummary {
  const problems = checks.filter((c) => !c.ok).map((c) => ({ id: c.id, problems: [...c.problems] }));
  const seen = new Set<string>();
  const mergeGroups: string[][] = [];
  for (const c of checks) {
    if (c.mergeCandidates.length === 0 || seen.has(c.id)) continue;
    const group = [c.id, ...c.mergeCandidates.filter((m) => m !== c.id)];
    const fresh = group.filter((id) => !seen.has(id));
    for (const id of group) seen.add(id);
    if (fresh.length > 1) mergeGroups.push(fresh);
  }
  const printable = checks.filter((c) => c.ok).map((c) => c.id);
  return { ok: printable.length, problems, mergeGroups, printable };
}

export type PrintStage =
  | { kind: 'allocating'; done: number; total: number }
  | { kind: 'queued'; count: number }
  | { kind: 'printing'; done: number; total: number }
  /**
   * A failed or uncertain label holds the printer's lane: `waiting` labels queue behind it until a
   * person acts. `blockedBy`: how many of the holding jobs are not this batch's (an earlier batch's
   * label, a pick list, a test page).
   */
  | { kind: 'held'; done: number; total: number; waiting: number; blockedBy: number }
  /** failed: nothing reached the printer (retryable); uncertain: it may have (the packer answers). */
  | { kind: 'finished'; printed: number; failed: number; uncertain: number };

/**
 * Where a batch is, from the last print.progress event (while print.labels runs) and then the
 * batch's jobs: allocating n/N → queued → printing (sent or confirmed of all) → finished, or held
 * when a failed or uncertain label — the batch's own or one before it on the printer — stops the rest.
 */
export function printStage(
  progress: { phase: 'allocate' | 'queue'; done: number; total: number } | null,
  batch: PrintBatchView | null,
  result: Pick<PrintLabelsResult, 'queued' | 'failed'> | null = null,
): PrintStage | null {
  // print.labels answered and queued nothing (every order failed: held by another station, refused,
  // …): there is no batch to follow and no progress will come; the result is the end.
  if (result && result.queued === 0) return { kind: 'finished', printed: 0, failed: result.failed.length, uncertain: 0 };
  if (batch) {
    const total = batch.jobs.filter((j) => j.state !== 'cancelled').length;
    const printed = batch.counts.sent + batch.counts.confirmed;
    const { failed, uncertain } = batch.counts;
    if (batch.finished || printed + failed + uncertain >= total) return { kind: 'finished', printed, failed, uncertain };
    const blockedBy = batch.blockedBy.length;
    if (failed + uncertain + blockedBy > 0 && batch.counts.sending === 0) return { kind: 'held', done: printed, total, waiting: batch.counts.queued, blockedBy };
    return { kind: 'printing', done: printed, total };
  }
  if (!progress) return null;
  if (progress.phase === 'allocate') return { kind: 'allocating', done: progress.done, total: progress.total };
  return { kind: 'queued', count: progress.done };
}

/** A fraction 0..1 for the progress bar. */
export function stageFraction(stage: PrintStage | null): number {
  if (!stage) return 0;
  switch (stage.kind) {
    case 'allocating':
      return stage.total ? (stage.done / stage.total) * 0.5 : 0;
    case 'queued':
      return 0.5;
    case 'printing':
    case 'held':
      return stage.total ? 0.5 + (stage.done / stage.total) * 0.5 : 0.5;
    case 'finished':
      return 1;
  }
}
