// 导入商品: an .xlsx or CSV of SKUs. Checking the file is a dry run that lists what would be added and
// changed and every refused row (line, field, why); importing writes all rows or none, so a file with
// a refused row changes nothing and the report stays open for the person to fix the file.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SkuImportResult } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fileToBase64 } from '../printers/waybill-forms.ts';

export function ImportSkusDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<SkuImportResult | null>(null);
  const { busy, run } = useSubmit();
  // The file's dry run came back clean: the next press imports it.
  const checked = report !== null && report.dryRun && report.badCount === 0;

  const submit = async () => {
    if (!file) return;
    await run('skus.import', async () => {
      const r = await api.call('skus.import', { fileName: file.name, base64: await fileToBase64(file), dryRun: !checked });
      setReport(r);
      if (r.committed) {
        toast({ kind: 'success', text: t('stock.importDone', { added: r.added, updated: r.updated, unchanged: r.unchanged }) });
        onClose();
      }
    });
  };

  return (
    <FormDialog
      title={t('stock.importTitle')}
      onClose={onClose}
      testId="sku-import-dialog"
      wide
      confirmLabel={checked ? t('stock.importConfirm') : t('stock.importCheck')}
      onConfirm={() => void submit()}
      disabled={busy || !file || (report !== null && report.badCount > 0)}
    >
      <p className="muted small">{t('stock.importHint')}</p>
      <input
        type="file"
        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid="input-sku-file"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setReport(null);
        }}
      />
      {report && (
        <div className="sku-import-report" data-testid="sku-import-report" data-bad={report.badCount}>
          {report.badCount > 0 ? (
            <p className="warn" data-testid="sku-import-refused">
              {t('stock.importRefused', { count: report.badCount, rows: report.rows })}
            </p>
          ) : (
            <p data-testid="sku-import-preview">{t('stock.importPreview', { rows: report.rows, added: report.added, updated: report.updated, unchanged: report.unchanged })}</p>
          )}
          {report.bad.length > 0 && (
            <table className="shops-table">
              <thead>
                <tr>
                  <th>{t('stock.importLine')}</th>
                  <th>{t('stock.colSku')}</th>
                  <th>{t('stock.importField')}</th>
                  <th>{t('stock.importProblem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.bad.map((b, i) => (
                  <tr key={i} data-testid="sku-import-bad" data-line={b.line} data-field={b.field} data-problem={b.problem}>
                    <td>{b.line}</td>
                    <td className="mono">{b.code ?? '—'}</td>
                    <td>{t(`skuField.${b.field}`)}</td>
                    <td>
                      {t(`skuImportProblem.${b.problem}`)}
                      <div className="muted small">{b.message}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.badCount > report.bad.length && <p className="muted">{t('stock.importMoreBad', { count: report.badCount - report.bad.length })}</p>}
          {report.badCount === 0 && report.changes.length > 0 && (
            <ul className="sku-import-changes">
              {report.changes.map((c) => (
                <li key={c.line} data-testid="sku-import-change" data-action={c.action}>
                  <span className="mono">{c.code}</span> {c.action === 'add' ? t('stock.importAdds') : t('stock.importChanges', { fields: c.fields.map((f) => t(`skuField.${f}`)).join('、') })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </FormDialog>
  );
}
