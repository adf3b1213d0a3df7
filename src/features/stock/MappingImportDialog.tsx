// 导入对应表: an .xlsx or CSV of 店铺, 平台商品ID, 平台SKU ID, 商家编码. Checking is a dry run that
// reports what would be mapped and every refused row (line, column, why); importing writes all rows
// or none, so the report stays open for a file with a refused row.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MappingImportResult } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fileToBase64 } from '../printers/waybill-forms.ts';

export function MappingImportDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<MappingImportResult | null>(null);
  const { busy, run } = useSubmit();
  const checked = report !== null && report.dryRun && report.badCount === 0;

  const submit = async () => {
    if (!file) return;
    await run('mapping.import', async () => {
      const r = await api.call('mapping.import', { fileName: file.name, base64: await fileToBase64(file), dryRun: !checked });
      setReport(r);
      if (r.committed || (!r.dryRun && r.badCount === 0)) {
        toast({ kind: 'success', text: t('mapping.importDone', { mapped: r.mapped, remapped: r.remapped, rechecked: r.rechecked }) });
        onClose();
      }
    });
  };

  return (
    <FormDialog
      title={t('mapping.importTitle')}
      onClose={onClose}
      testId="mapping-import-dialog"
      wide
      confirmLabel={checked ? t('mapping.importConfirm') : t('mapping.importCheck')}
      onConfirm={() => void submit()}
      disabled={busy || !file || (report !== null && report.badCount > 0)}
    >
      <p className="muted small">{t('mapping.importHint')}</p>
      <input
        type="file"
        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        data-testid="input-mapping-file"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setReport(null);
        }}
      />
      {report && (
        <div className="sku-import-report" data-testid="mapping-import-report" data-bad={report.badCount}>
          {report.badCount > 0 ? (
            <p className="warn" data-testid="mapping-import-refused">
              {t('mapping.importRefused', { count: report.badCount, rows: report.rows })}
            </p>
          ) : (
            <p data-testid="mapping-import-preview">{t('mapping.importPreview', { rows: report.rows, mapped: report.mapped, remapped: report.remapped, unchanged: report.unchanged })}</p>
          )}
          {report.bad.length > 0 && (
            <table className="shops-table">
              <thead>
                <tr>
                  <th>{t('mapping.importLine')}</th>
                  <th>{t('mapping.importField')}</th>
                  <th>{t('mapping.importProblem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.bad.map((b, i) => (
                  <tr key={i} data-testid="mapping-import-bad" data-line={b.line} data-field={b.field} data-problem={b.problem}>
                    <td>{b.line}</td>
                    <td>{t(`mapping.field.${b.field}`)}</td>
                    <td>
                      {t(`mapping.problem.${b.problem}`)}
                      <div className="muted small">{b.message}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.badCount > report.bad.length && <p className="muted">{t('mapping.importMoreBad', { count: report.badCount - report.bad.length })}</p>}
        </div>
      )}
    </FormDialog>
  );
}
