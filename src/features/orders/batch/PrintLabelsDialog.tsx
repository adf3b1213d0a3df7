// 打印面单 from the workbench: pre-check the selected orders (what stops each one, in words; orders
// that could be merged), choose printer, print order, template and whether to skip problem orders,
// then print.labels — progress from print.progress, then the batch's jobs until they are printed —
// and a result that lists each failure with its reason and retries the failed ones. A label that may
// have reached the printer (uncertain: the link broke mid-send, or the printer reported a problem once
// it had it) is never retried: the packer looks at the printer and answers 已打出 or 重打.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LABEL_TEMPLATES,
  PRINT_SORTS,
  readsOf,
  type HubClaimView,
  type LabelTemplate,
  type PrintBatchView,
  type PrintLabelsResult,
  type PrintPrecheck,
  type PrintSort,
  type PrinterView,
  type WaybillAccountInfo,
} from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useDbChanged } from '../../../api/use-db-changed.ts';
import { useNav } from '../../../app/nav-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { Dialog } from '../../../components/Dialog.tsx';
import { callJobAction, type DirectJobAction } from '../../printers/job-action.ts';
import { JOB_ACTION_KEYS, jobActions, jobErrorWords } from '../../printers/job-words.ts';
import { usePrintingView } from '../../printers/printing-view-store.ts';
import { defaultPrinterId, printersForLabels, printStage, stageFraction, summarizePrecheck } from './print-labels.ts';
import { useOrderNumbers } from './use-order-numbers.ts';
import { FolderOutputPanel, isFolderPrinter } from '../../printers/FolderOutputPanel.tsx';
import '../../printers/printing.css';

const SORT_KEYS: Record<PrintSort, string> = { sku: 'printBatch.sort_sku', shop: 'printBatch.sort_shop', paidAt: 'printBatch.sort_paid', province: 'printBatch.sort_province' };

type Phase = 'setup' | 'running' | 'done';

export function PrintLabelsDialog({ ids, onClose }: { ids: string[]; onClose(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const go = useNav((s) => s.go);
  const openPrinting = usePrintingView((s) => s.open);
  const [checks, setChecks] = useState<PrintPrecheck[] | null>(null);
  const [printers, setPrinters] = useState<PrinterView[] | null>(null);
  const [accounts, setAccounts] = useState<WaybillAccountInfo[]>([]);
  const [printerId, setPrinterId] = useState('');
  const [accountId, setAccountId] = useState('');
  const [sortBy, setSortBy] = useState<PrintSort>('paidAt');
  const [template, setTemplate] = useState<LabelTemplate | ''>('');
  const [skipProblems, setSkipProblems] = useState(true);
  const [phase, setPhase] = useState<Phase>('setup');
  const [progress, setProgress] = useState<{ phase: 'allocate' | 'queue'; done: number; total: number } | null>(null);
  const [result, setResult] = useState<PrintLabelsResult | null>(null);
  const [batch, setBatch] = useState<PrintBatchView | null>(null);
  const [claimedElsewhere, setClaimedElsewhere] = useState<HubClaimView[]>([]);

  useEffect(() => {
    let live = true;
    api.call('print.precheck', { ids }).then((c) => live && setChecks(c), (err) => report(err, 'print.precheck'));
    // On a station of a team: orders another station claimed (they will not print here).
    api.call('hub.claims', { ids }).then((c) => live && setClaimedElsewhere(c.filter((x) => !x.mine)), (err) => report(err, 'hub.claims'));
    api.call('printers.list', {}).then(
      (p) => {
        if (!live) return;
        setPrinters(printersForLabels(p));
        setPrinterId((cur) => cur || (defaultPrinterId(p) ?? ''));
      },
      (err) => report(err, 'printers.list'),
    );
    api.call('waybillAccounts.list', {}).then((a) => live && setAccounts(a), (err) => report(err, 'waybillAccounts.list'));
    return () => {
      live = false;
    };
    // The selection is fixed while the dialog is open: checked once.
  }, []);

  // print.labels reports allocation and queueing as it goes; only one batch runs from this dialog.
  useEffect(() => api.on('print.progress', (p) => setProgress({ phase: p.phase, done: p.done, total: p.total })), []);

  const chosenPrinter = printers?.find((p) => p.id === printerId) ?? null;
  // A call that queued nothing made no batch (print.batch would answer not_found).
  const batchId = result && result.queued > 0 ? result.batchId : null;
  // Resolves once the new view is shown: an answer keeps its buttons disabled until then, so a row
  // that was just acted on cannot be acted on again from its stale copy.
  const reloadBatch = useMemo(
    () => (): Promise<void> => (batchId ? api.call('print.batch', { batchId }).then(setBatch, (err) => report(err, 'print.batch')) : Promise.resolve()),
    [batchId, report],
  );
  useEffect(() => {
    void reloadBatch();
  }, [reloadBatch]);
  useDbChanged(batchId ? readsOf('print.batch') : [], reloadBatch, 200);

  const summary = checks ? summarizePrecheck(checks) : null;
  const failedJobs = batch?.jobs.filter((j) => j.state === 'failed') ?? [];
  const uncertainJobs = batch?.jobs.filter((j) => j.state === 'uncertain') ?? [];
  const stage = phase === 'setup' ? null : printStage(progress, batch, result);
  const failedOrders = result?.failed ?? [];
  const numbers = useOrderNumbers([...(summary?.problems.map((p) => p.id) ?? []), ...(summary?.mergeGroups.flat() ?? []), ...failedOrders.map((f) => f.id), ...[...failedJobs, ...uncertainJobs].map((j) => j.orderId ?? '')].filter(Boolean));
  // Without skipping, one problem order refuses the whole batch (the core's rule): nothing would print.
  const mustSkip = !!summary && summary.problems.length > 0 && !skipProblems;
  const willPrint = summary && !mustSkip ? summary.ok : 0;

  const run = async (orderIds: string[]) => {
    setPhase('running');
    setProgress(null);
    try {
      const r = await api.call('print.labels', {
        ids: orderIds,
        printerId,
        sortBy,
        skipProblems,
        ...(template ? { template } : {}),
        ...(accountId ? { accountId } : {}),
      });
      setResult(r);
      setPhase('done');
    } catch (err) {
      report(err, 'print.labels');
      setPhase(result ? 'done' : 'setup');
    }
  };

  /** 重试失败: failed jobs go back in their lane; orders that never got a job are run through print.labels again (it never prints twice). */
  const retryFailed = async () => {
    try {
      for (const j of failedJobs) await callJobAction(j.id, 'retry');
      if (failedOrders.length) await run(failedOrders.map((f) => f.id));
      else await reloadBatch();
    } catch (err) {
      report(err, 'printJobs.retry');
    }
  };

  /**
   * The packer's answer for a label of the batch that may have come out (已打出 confirms it; 重打 queues
   * a copy marked 重打), or an action on a job from outside the batch that holds the printer — as in
   * 打印任务. The job's buttons stay disabled until the answer and the reloaded view land (a double
   * click is one answer).
   */
  const [answering, setAnswering] = useState<string | null>(null);
  const act = async (jobId: string, action: DirectJobAction) => {
    if (answering) return;
    setAnswering(jobId);
    try {
      await callJobAction(jobId, action);
      await reloadBatch();
    } catch (err) {
      report(err, `printJobs.${action}`);
    } finally {
      setAnswering(null);
    }
  };
  const blockers = batch?.blockedBy ?? [];

  const label = (id: string) => numbers[id] ?? id;

  return (
    <Dialog
      title={t('printBatch.title', { count: ids.length })}
      onClose={onClose}
      testId="print-dialog"
      wide
      footer={
        <>
          {phase === 'done' && batchId && (
            <button
              type="button"
              data-testid="print-open-jobs"
              onClick={() => {
                openPrinting('jobs', { batchId });
                go('printing');
                onClose();
              }}
            >
              {t('printBatch.openJobs')}
            </button>
          )}
          {phase === 'done' && (failedJobs.length > 0 || failedOrders.length > 0) && (
            <button type="button" data-testid="print-retry-failed" onClick={() => void retryFailed()}>
              {t('printBatch.retryFailed')}
            </button>
          )}
          <button type="button" data-testid="dialog-cancel" onClick={onClose}>
            {t(phase === 'setup' ? 'common.cancel' : 'common.close')}
          </button>
          {phase === 'setup' && (
            <button type="button" className="primary" data-testid="print-start" disabled={!summary || !printerId || willPrint === 0} onClick={() => void run(ids)}>
              {t('printBatch.start')}
            </button>
          )}
        </>
      }
    >
      {phase === 'setup' && (
        <>
          <section className="print-dialog-section" data-testid="print-precheck">
            {!summary && <div className="muted">{t('printBatch.checking')}</div>}
            {summary && (
              <div>
                <span className="strong" data-testid="precheck-ok" data-count={summary.ok}>
                  {t('printBatch.okCount', { count: summary.ok })}
                </span>
                {summary.problems.length > 0 && (
                  <span className="warn" data-testid="precheck-problem-count" data-count={summary.problems.length}>
                    {' · '}
                    {t('printBatch.problemCount', { count: summary.problems.length })}
                  </span>
                )}
              </div>
            )}
            {summary && summary.problems.length > 0 && (
              <>
                <div className="form-field-label">{t('printBatch.problemsTitle')}</div>
                <div className="print-problems">
                  {summary.problems.map((p) => (
                    <div key={p.id} className="print-problem" data-testid="precheck-problem" data-order-id={p.id}>
                      <span className="mono">{label(p.id)}</span>
                      <span>{p.problems.map((c) => t(`precheck.${c}`)).join('、')}</span>
                    </div>
                  ))}
                </div>
              </>
            )}
            {claimedElsewhere.length > 0 && (
              <>
                <div className="form-field-label">{t('printBatch.claimedTitle', { count: claimedElsewhere.length })}</div>
                <div className="print-problems">
                  {claimedElsewhere.map((c) => (
                    <div key={c.orderId} className="print-problem" data-testid="precheck-claimed" data-order-id={c.orderId}>
                      <span className="mono">{label(c.orderId)}</span>
                      <span className="badge">{t('printBatch.claimedBy', { station: c.stationName ?? '', user: c.userName ?? '' })}</span>
                    </div>
                  ))}
                </div>
              </>
            )}
            {summary && summary.mergeGroups.length > 0 && (
              <>
                <div className="form-field-label">{t('printBatch.mergeTitle')}</div>
                <div className="print-problems">
                  {summary.mergeGroups.map((g) => (
                    <div key={g.join(',')} className="print-problem" data-testid="precheck-merge">
                      {t('printBatch.mergeGroup', { count: g.length, orders: g.map(label).join('、') })}
                    </div>
                  ))}
                </div>
              </>
            )}
          </section>
          <div className="form-pair">
            <label className="form-field">
              <span className="form-field-label">{t('printBatch.printer')}</span>
              {printers?.length === 0 ? (
                <span className="warn small" data-testid="print-no-printer">
                  {t('printBatch.noPrinter')}
                </span>
              ) : (
                <select data-testid="print-printer" value={printerId} onChange={(e) => setPrinterId(e.target.value)}>
                  {printers?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                      {p.documents.includes('waybill') ? ` ${t('printBatch.printerForWaybill')}` : ''}
                      {p.paused ? ` ${t('printBatch.printerPaused')}` : ''}
                    </option>
                  ))}
                </select>
              )}
            </label>
            <label className="form-field">
              <span className="form-field-label">{t('printBatch.account')}</span>
              <select data-testid="print-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
                <option value="">{t('printBatch.accountAuto')}</option>
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                    {a.pool ? ` (${a.pool.free})` : ''}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-pair">
            <label className="form-field">
              <span className="form-field-label">{t('printBatch.sort')}</span>
              <select data-testid="print-sort" value={sortBy} onChange={(e) => setSortBy(e.target.value as PrintSort)}>
                {PRINT_SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(SORT_KEYS[s])}
                  </option>
                ))}
              </select>
            </label>
            <label className="form-field">
              <span className="form-field-label">{t('printBatch.template')}</span>
              <select data-testid="print-template" value={template} onChange={(e) => setTemplate(e.target.value as LabelTemplate | '')}>
                <option value="">{t('printBatch.templateDefault')}</option>
                {LABEL_TEMPLATES.map((tpl) => (
                  <option key={tpl} value={tpl}>
                    {tpl.replace('x', '×')} mm
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="checkbox-line">
            <input type="checkbox" data-testid="print-skip-problems" checked={skipProblems} onChange={(e) => setSkipProblems(e.target.checked)} />
            {t('printBatch.skipProblems')}
          </label>
          {summary && summary.ok === 0 && <div className="warn small">{t('printBatch.nothing')}</div>}
          {mustSkip && summary.ok > 0 && (
            <div className="warn small" data-testid="print-must-skip">
              {t('printBatch.mustSkip')}
            </div>
          )}
        </>
      )}
      {phase !== 'setup' && (
        <section className="print-dialog-section" data-testid="print-progress" data-stage={stage?.kind ?? 'starting'}>
          <div className="print-progress">
            <div className="print-progress-bar" style={{ width: `${Math.round(stageFraction(stage) * 100)}%` }} />
          </div>
          <div data-testid="print-stage">
            {stage?.kind === 'allocating' && t('printBatch.allocating', { done: stage.done, total: stage.total })}
            {stage?.kind === 'queued' && t('printBatch.queued', { count: stage.count })}
            {stage?.kind === 'printing' && t('printBatch.printing', { done: stage.done, total: stage.total })}
            {stage?.kind === 'held' && (
              <span data-testid="print-held" data-waiting={stage.waiting} data-blocked-by={stage.blockedBy}>
                {t(stage.blockedBy > 0 ? 'printBatch.heldByOthers' : 'printBatch.held', { done: stage.done, total: stage.total, waiting: stage.waiting })}
              </span>
            )}
            {stage?.kind === 'finished' && (
              <span data-testid="print-finished" data-printed={stage.printed} data-failed={stage.failed} data-uncertain={stage.uncertain}>
                {t('printBatch.done', { printed: stage.printed })}
                {stage.failed > 0 && <span className="warn"> · {t('printBatch.failures', { count: stage.failed })}</span>}
                {stage.uncertain > 0 && <span className="warn"> · {t('printBatch.uncertainCount', { count: stage.uncertain })}</span>}
              </span>
            )}
            {!stage && t('printBatch.checking')}
          </div>
          {result && result.alreadyQueued > 0 && <div className="muted small">{t('printBatch.alreadyQueued', { count: result.alreadyQueued })}</div>}
          {(failedOrders.length > 0 || failedJobs.length > 0) && (
            <>
              <div className="form-field-label">{t('printBatch.failuresTitle')}</div>
              <div className="print-problems" data-testid="print-failures">
                {failedOrders.map((f) => (
                  <div key={`o:${f.id}`} className="print-problem" data-testid="print-failure" data-order-id={f.id} data-code={f.code}>
                    <span className="mono">{label(f.id)}</span>
                    <span>{t(`precheck.${f.code}`, { defaultValue: f.reason })}</span>
                  </div>
                ))}
                {failedJobs.map((j) => (
                  <div key={`j:${j.id}`} className="print-problem" data-testid="print-failure" data-job-id={j.id}>
                    <span className="mono">{j.platformOrderId ?? label(j.orderId ?? '')}</span>
                    <span title={j.lastError ?? undefined}>{jobErrorWords(t, j)}</span>
                  </div>
                ))}
              </div>
            </>
          )}
          {blockers.length > 0 && (
            <>
              <div className="form-field-label">{t('printBatch.blockedTitle')}</div>
              <div className="muted small">{t('printBatch.blockedHint')}</div>
              <div className="print-problems" data-testid="print-blocked">
                {blockers.map((j) => (
                  <div key={`b:${j.id}`} className="print-problem" data-testid="print-blocker" data-job-id={j.id} data-state={j.state}>
                    <span className="mono">
                      {j.platformOrderId ?? t(`printJobs.doc_${j.docType}`)}
                      {j.seq !== null && j.total !== null && ` · ${j.seq}/${j.total}`}
                      {' · '}
                      {t(`jobState.${j.state}`)}
                    </span>
                    <span title={j.lastError ?? undefined}>{jobErrorWords(t, j)}</span>
                    <span className="print-problem-actions">
                      {jobActions(j.state)
                        .filter((a): a is DirectJobAction => a !== 'reprint')
                        .map((a) => (
                          <button key={a} type="button" className={a === 'resolvePrinted' || a === 'retry' ? 'primary' : ''} data-testid={`print-blocker-${a}`} disabled={answering !== null} onClick={() => void act(j.id, a)}>
                            {t(JOB_ACTION_KEYS[a])}
                          </button>
                        ))}
                    </span>
                  </div>
                ))}
              </div>
            </>
          )}
          {uncertainJobs.length > 0 && (
            <>
              <div className="form-field-label">{t('printBatch.uncertainTitle')}</div>
              <div className="muted small">{t('printBatch.uncertainHint')}</div>
              <div className="print-problems" data-testid="print-uncertain">
                {uncertainJobs.map((j) => (
                  <div key={`u:${j.id}`} className="print-problem" data-testid="print-uncertain-job" data-job-id={j.id}>
                    <span className="mono">
                      {j.platformOrderId ?? label(j.orderId ?? '')}
                      {j.seq !== null && j.total !== null && ` · ${j.seq}/${j.total}`}
                    </span>
                    <span title={j.lastError ?? undefined}>{jobErrorWords(t, j)}</span>
                    <span className="print-problem-actions">
                      <button type="button" className="primary" data-testid="print-uncertain-printed" disabled={answering !== null} onClick={() => void act(j.id, 'resolvePrinted')}>
                        {t('printJobs.printed')}
                      </button>
                      <button type="button" data-testid="print-uncertain-reprint" disabled={answering !== null} onClick={() => void act(j.id, 'resolveReprint')}>
                        {t('printJobs.printAgain')}
                      </button>
                    </span>
                  </div>
                ))}
              </div>
            </>
          )}
        </section>
      )}
      {/* A folder printer (the demo's) shows the labels it wrote as they come out. */}
      {phase !== 'setup' && chosenPrinter && isFolderPrinter(chosenPrinter) && <FolderOutputPanel printer={chosenPrinter} limit={Math.max(1, Math.min(result?.queued || 8, 8))} />}
    </Dialog>
  );
}
