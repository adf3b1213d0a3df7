// 导入单号: an .xlsx or .csv file of waybill numbers into a pool account. The import is all or
// nothing unless 跳过有问题的行 is ticked; either way the bad lines are listed with their problem
// (the core lists the first hundred and counts the rest).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WaybillAccountInfo, WaybillImportResult } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fileToBase64 } from './waybill-forms.ts';

export function ImportNumbersDialog({ account, onClose, onDone }: { account: WaybillAccountInfo; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [file, setFile] = useState<File | null>(null);
  const [skipBad, setSkipBad] = useState(false);
  const { busy, run } = useSubmit();
  const [result, setResult] = useState<WaybillImportResult | null>(null);

  const submit = async () => {
    if (!file) return;
    await run('waybillAccounts.importNumbers', async () => {
      setResult(null);
      const r = await api.call('waybillAccounts.importNumbers', { accountId: account.id, fileName: file.name, base64: await fileToBase64(file), skipBad });
      setResult(r);
      if (r.imported) {
        toast({ kind: 'success', text: r.badTotal ? t('waybillAccounts.importSkipped', { added: r.added, count: r.badTotal }) : t('waybillAccounts.imported', { added: r.added }) });
        onDone();
        if (r.badTotal === 0) onClose();
      }
    });
  };

  return (
    <FormDialog
      title={t('waybillAccounts.importTitle', { name: account.name })}
      onClose={onClose}
      testId="import-dialog"
      wide
      confirmLabel={t('waybillAccounts.submitImport')}
      onConfirm={() => void submit()}
      disabled={busy || !file}
      cancelLabel={t('common.close')}
    >
      <div className="muted small">{t('waybillAccounts.importHint')}</div>
      <input
        type="file"
        data-testid="input-numbers-file"
        accept=".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setResult(null);
        }}
      />
      <label className="checkbox-line">
        <input type="checkbox" data-testid="input-skip-bad" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} />
        {t('waybillAccounts.skipBad')}
      </label>
      {result && result.bad.length > 0 && (
        <div data-testid="import-report" data-imported={result.imported ? 'true' : 'false'} data-bad={result.badTotal}>
          <div className={result.imported ? 'small' : 'warn small'}>
            {result.imported ? t('waybillAccounts.importSkipped', { added: result.added, count: result.badTotal }) : t('waybillAccounts.importRejected', { count: result.badTotal })}
          </div>
          <table className="shops-table bad-rows">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('waybillAccounts.badValue')}</th>
                <th>{t('waybillAccounts.badProblem')}</th>
              </tr>
            </thead>
            <tbody>
              {result.bad.map((b) => (
                <tr key={`${b.line}:${b.value}`} data-testid="bad-row" data-line={b.line} data-problem={b.problem}>
                  <td>{t('waybillAccounts.badLine', { line: b.line })}</td>
                  <td className="mono">{b.value}</td>
                  <td>{t(`badRow.${b.problem}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.badTotal > result.bad.length && <div className="muted small">{t('waybillAccounts.moreBad', { count: result.badTotal - result.bad.length })}</div>}
        </div>
      )}
    </FormDialog>
  );
}
