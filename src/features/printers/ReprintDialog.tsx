// 重打: a delivered label printed again with the same waybill number. A reason is required; the
// dialog shows how many reprints of this package the caller's role has left, and the core's refusal
// in words when it refuses (the core enforces the limit either way).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrintJobView } from '../../../electron/shared/contract.ts';
import { REPRINT_ALLOWANCE } from '../../../electron/shared/reprint-limits.ts';
import { api } from '../../api/client.ts';
import { toApiCallError } from '../../api/api-error.ts';
import { describeApiError } from '../../api/error-words.ts';
import { useSession } from '../../app/session-store.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { reprintReasonProblem, reprintsDone, reprintsLeft, REPRINT_REASON_MAX } from './job-words.ts';

const PROBLEM_KEYS = { required: 'reprint.required', too_short: 'reprint.tooShort', too_long: 'reprint.tooLong' } as const;

export function ReprintDialog({ job, onClose, onDone }: { job: PrintJobView; onClose(): void; onDone(reprint: PrintJobView): void }) {
  const { t } = useTranslation();
  const role = useSession((s) => s.actor?.role);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);
  // One click = one reprint: a double click or a retried call sends the same key, and the core returns the first.
  const [idemKey] = useState(() => `ui-reprint:${job.id}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);

  // Reprints so far of this package: they share the original's batch, so that batch's jobs tell.
  useEffect(() => {
    let live = true;
    const input = job.batchId ? { batchId: job.batchId, limit: 5000 } : { limit: 1000 };
    api.call('printJobs.list', input).then(
      (jobs) => live && setDone(reprintsDone(jobs, job)),
      () => live && setDone(null),
    );
    return () => {
      live = false;
    };
  }, [job]);

  const limit = role ? REPRINT_ALLOWANCE[role] : 0;
  const left = done === null ? undefined : reprintsLeft(limit, done);
  const problem = reprintReasonProblem(reason);
  const blocked = left === 0;

  const submit = async () => {
    setTouched(true);
    if (problem || blocked) return;
    setBusy(true);
    setRefusal(null);
    try {
      const again = await api.call('printJobs.reprint', { id: job.id, reason: reason.trim(), idemKey });
      onDone(again);
      onClose();
    } catch (err) {
      // Shown here, not as a toast: the person needs it to decide whom to ask.
      setRefusal(describeApiError(t, toApiCallError('printJobs.reprint', err)).text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={t('reprint.title')}
      onClose={onClose}
      testId="reprint-dialog"
      confirmLabel={t('reprint.submit')}
      onConfirm={() => void submit()}
      disabled={busy || blocked}
    >
      <div className="small">
        {job.platformOrderId && <span className="mono">{job.platformOrderId}</span>} {job.waybillNo && <span className="mono">· {job.waybillNo}</span>}
      </div>
      <div className="muted small">{t('reprint.explain')}</div>
      <div className="small" data-testid="reprint-allowance" data-left={left === undefined ? '' : left === null ? 'unlimited' : String(left)}>
        {left === undefined ? '…' : left === null ? t('reprint.unlimited') : left === 0 ? <span className="warn">{t('reprint.none', { done })}</span> : t('reprint.left', { count: left, done })}
      </div>
      <div className="preset-row">
        {(['reprint.preset1', 'reprint.preset2', 'reprint.preset3'] as const).map((k) => (
          <button key={k} type="button" className="chip-button" onClick={() => setReason(t(k))}>
            {t(k)}
          </button>
        ))}
      </div>
      <label className="form-field">
        <span className="form-field-label">{t('reprint.reason')}</span>
        <textarea
          autoFocus
          data-testid="reprint-reason"
          rows={3}
          maxLength={REPRINT_REASON_MAX + 20}
          value={reason}
          placeholder={t('reprint.reasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        {touched && problem && (
          <span className="form-field-error" role="alert" data-testid="reprint-reason-error">
            {t(PROBLEM_KEYS[problem])}
          </span>
        )}
      </label>
      {refusal && (
        <div className="form-field-error" role="alert" data-testid="reprint-refusal">
          {refusal}
        </div>
      )}
    </FormDialog>
  );
}
