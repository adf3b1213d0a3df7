// 导入物流 CSV: a carrier's trace export into tracking events. All or nothing unless "skip bad lines"
// is ticked; the per-line report stays open so the person can fix the file.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TraceImportResult } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fileToBase64 } from '../printers/waybill-forms.ts';

/** Bad lines listed at most; the rest are counted. */
const SHOWN_ERRORS = 50;

export function ImportTraceDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [file, setFile] = useState<File | null>(null);
  const [skipBad, setSkipBad] = useState(false);
  const { busy, run } = useSubmit();
  const [result, setResult] = useState<TraceImportResult | null>(null);

  const submit = async () => {
    if (!file) return;
    await run('tracking.import', async () => {
      const r = await api.call('tracking.import', { fileName: file.name, base64: await fileToBase64(file), skipBad });
      setResult(r);
      if (r.committed) toast({ kind: 'success', text: t('tracking.importDone', { imported: r.imported, duplicates: r.duplicates }) });
      if (r.committed && r.errorCount === 0) onClose();
    });
  };

  return (
    <FormDialog
      title={t('tracking.importTitle')}
      onClose={onClose}
      testId="trace-import-dialog"
      confirmLabel={t('tracking.importConfirm')}
      onConfirm={() => void submit()}
      disabled={busy || !file}
      cancelLabel={t('tracking.cancel')}
    >
      <p className="muted small">{t('tracking.importHint')}</p>
      <input
        type="file"
        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid="input-trace-file"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setResult(null);
        }}
      />
      <label className="check-line">
        <input type="checkbox" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} data-testid="trace-skip-bad" /> {t('tracking.skipBad')}
      </label>
      {result && result.errors.length > 0 && (
        <div className="trace-import-report" data-testid="trace-import-report">
          {!result.committed && <p className="warn">{t('tracking.importRejected', { count: result.errorCount })}</p>}
          <ul>
            {result.errors.slice(0, SHOWN_ERRORS).map((e) => (
              <li key={e.line}>
                <strong>{t('tracking.lineError', { line: e.line })}</strong> <span className="mono">{e.waybillNo ?? ''}</span> {t(`traceImportProblem.${e.problem}`, { value: e.value ?? '' })}
              </li>
            ))}
          </ul>
          {result.errorCount > Math.min(result.errors.length, SHOWN_ERRORS) && <p className="muted">{t('tracking.moreErrors', { count: result.errorCount - Math.min(result.errors.length, SHOWN_ERRORS) })}</p>}
        </div>
      )}
    </FormDialog>
  );
}
