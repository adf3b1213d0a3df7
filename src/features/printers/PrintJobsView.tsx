// The print jobs view: recent jobs grouped by batch, filtered by state and printer. Failed jobs can
// be retried or cancelled; an uncertain one (a crash caught it mid-send) waits for the operator's
// explicit 已打印 / 重打; a delivered one can be reprinted with a reason.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANE_HOLDING_STATES, PRINT_JOB_STATES, type PrintJobState, type PrintJobView } from '../../../electron/shared/contract.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatTime } from '../../i18n/format.ts';
import { useQuery } from '../../api/use-query.ts';
import { callJobAction, type DirectJobAction } from './job-action.ts';
import { groupByBatch, JOB_ACTION_KEYS, jobActions, jobErrorWords, JOB_STATE_TONE, type JobAction } from './job-words.ts';
import { usePrintingView } from './printing-view-store.ts';
import { ReprintDialog } from './ReprintDialog.tsx';

const DONE_KEYS: Record<DirectJobAction, string> = {
  retry: 'printJobs.retried',
  cancel: 'printJobs.cancelled',
  resolvePrinted: 'printJobs.resolvedPrinted',
  resolveReprint: 'printJobs.resolvedReprint',
};

export function PrintJobsView() {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const batchId = usePrintingView((s) => s.batchId);
  const state = usePrintingView((s) => s.state);
  const printerId = usePrintingView((s) => s.printerId);
  const narrow = usePrintingView((s) => s.narrow);
  const { data: printers } = useQuery('printers.list', {});
  const { data: jobs, reload } = useQuery('printJobs.list', {
    limit: 1000,
    ...(state === 'held' ? { states: [...LANE_HOLDING_STATES] } : state ? { states: [state] } : {}),
    ...(printerId ? { printerId } : {}),
    ...(batchId ? { batchId } : {}),
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [reprinting, setReprinting] = useState<PrintJobView | null>(null);
  const mayAct = useCan('printJobs.retry');
  const mayReprint = useCan('printJobs.reprint');

  const act = async (job: PrintJobView, action: DirectJobAction) => {
    setBusy(job.id);
    try {
      await callJobAction(job.id, action);
      toast({ kind: 'success', text: t(DONE_KEYS[action]) });
      reload();
    } catch (err) {
      report(err, `printJobs.${action}`);
    } finally {
      setBusy(null);
    }
  };

  const groups = jobs ? groupByBatch(jobs) : [];

  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        <select data-testid="jobs-filter-state" value={state} onChange={(e) => narrow({ state: e.target.value as PrintJobState | '' | 'held' })}>
          <option value="">{t('printJobs.filterAll')}</option>
          <option value="held">{t('printJobs.filterHeld')}</option>
          {PRINT_JOB_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`jobState.${s}`)}
            </option>
          ))}
        </select>
        <select data-testid="jobs-filter-printer" value={printerId} onChange={(e) => narrow({ printerId: e.target.value })}>
          <option value="">{t('printJobs.filterPrinter')}</option>
          {printers?.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        {batchId && (
          <span className="small" data-testid="jobs-batch-filter">
            {t('printJobs.batch')} <span className="mono">{batchId.slice(-8)}</span>{' '}
            <button type="button" className="link" onClick={() => narrow({ batchId: null })}>
              {t('filter.clearThis')}
            </button>
          </span>
        )}
      </div>
      <div className="shops-table-wrap">
        {jobs === null && <div className="muted">{t('printJobs.loading')}</div>}
        {jobs?.length === 0 && (
          <div className="muted" data-testid="jobs-empty">
            {t('printJobs.empty')}
          </div>
        )}
        {groups.map((g) => (
          <section key={g.batchId ?? 'none'} className="job-batch" data-testid="job-batch" data-batch-id={g.batchId ?? ''}>
            <header className="job-batch-head">
              <span className="strong">{g.batchId ? `${t('printJobs.batch')} ${g.batchId.slice(-8)}` : t('printJobs.noBatch')}</span>
              <span className="muted small">{t('printJobs.batchHeading', { time: formatTime(g.firstAt), count: g.jobs.length })}</span>
              <span className="chip-line">
                {PRINT_JOB_STATES.filter((s) => g.counts[s]).map((s) => (
                  <Badge key={s} tone={JOB_STATE_TONE[s]} testId={`batch-count-${s}`}>
                    {t(`jobState.${s}`)} {g.counts[s]}
                  </Badge>
                ))}
              </span>
            </header>
            <table className="shops-table">
              <thead>
                <tr>
                  <th>{t('printJobs.seq')}</th>
                  <th>{t('printJobs.order')}</th>
                  <th>{t('printJobs.waybill')}</th>
                  <th>{t('printJobs.doc')}</th>
                  <th>{t('printJobs.printer')}</th>
                  <th>{t('printJobs.state')}</th>
                  <th className="right">{t('printJobs.attempts')}</th>
                  <th>{t('printJobs.error')}</th>
                  <th>{t('printJobs.createdAt')}</th>
                  <th>{t('printJobs.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {g.jobs.map((j) => (
                  <JobRow key={j.id} job={j} busy={busy === j.id} mayAct={mayAct} mayReprint={mayReprint} onAct={(a) => (a === 'reprint' ? setReprinting(j) : void act(j, a))} />
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      {reprinting && (
        <ReprintDialog
          job={reprinting}
          onClose={() => setReprinting(null)}
          onDone={() => {
            toast({ kind: 'success', text: t('printJobs.reprinted') });
            reload();
          }}
        />
      )}
    </div>
  );
}

function JobRow({ job, busy, mayAct, mayReprint, onAct }: { job: PrintJobView; busy: boolean; mayAct: boolean; mayReprint: boolean; onAct(a: JobAction): void }) {
  const { t } = useTranslation();
  const actions = jobActions(job.state).filter((a) => (a === 'reprint' ? mayReprint && job.docType !== 'test' : mayAct));
  return (
    <>
      <tr data-testid="job-row" data-job-id={job.id} data-state={job.state} data-order-id={job.orderId ?? ''} data-reprint={job.reprintOf ? 'true' : 'false'}>
        <td className="mono">{job.seq !== null ? `${job.seq}/${job.total ?? '?'}` : '—'}</td>
        <td className="mono" data-testid="job-order">
          {job.platformOrderId ?? '—'}
        </td>
        <td className="mono" data-testid="job-waybill">
          {job.waybillNo ?? '—'}
        </td>
        <td>
          {t(`printJobs.doc_${job.docType}`)}
          {job.reprintCount !== null && (
            <>
              {' '}
              <Badge tone="warning" testId="job-reprint-mark">
                {t('printJobs.reprintMark', { count: job.reprintCount })}
              </Badge>
            </>
          )}
        </td>
        <td>{job.printerName}</td>
        <td>
          <Badge tone={JOB_STATE_TONE[job.state]} testId="job-state">
            {t(`jobState.${job.state}`)}
          </Badge>
        </td>
        <td className="right">{job.attempts}</td>
        <td className="job-error small">
          {job.lastError && (
            <span className="warn" data-testid="job-error" data-reason={job.lastErrorWhy?.reason ?? undefined} title={job.lastError}>
              {jobErrorWords(t, job)}
            </span>
          )}
          {job.reprintReason && <div className="muted">{t('printJobs.reprintOf', { reason: job.reprintReason })}</div>}
        </td>
        <td className="time small">{formatTime(job.createdAt, true)}</td>
        <td>
          <div className="shop-actions">
            {actions.map((a) => (
              <button key={a} type="button" className={a === 'resolvePrinted' || a === 'retry' ? 'primary' : ''} data-testid={`job-${a}`} disabled={busy} onClick={() => onAct(a)}>
                {t(JOB_ACTION_KEYS[a])}
              </button>
            ))}
          </div>
        </td>
      </tr>
      {job.state === 'uncertain' && (
        <tr className="job-uncertain-row">
          <td colSpan={10} className="warn small" data-testid="job-uncertain-explain">
            {t('printJobs.uncertainExplain')}
          </td>
        </tr>
      )}
    </>
  );
}
