// Export the selected or the filtered orders to .xlsx or .csv with the chosen columns.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXPORT_COLUMNS, type ExportColumn, type OrderFilter } from '../../../../electron/shared/contract.ts';
import { DEFAULT_EXPORT_COLUMNS } from '../../../../electron/shared/export-columns.ts';
import { api } from '../../../api/client.ts';
import { useToasts } from '../../../app/toast-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { FormDialog } from '../../../components/FormDialog.tsx';
import { downloadBase64 } from './download.ts';

const KEY = 'shopfleet.exportColumns';
const DEFAULT: ExportColumn[] = [...DEFAULT_EXPORT_COLUMNS];
/** The default before it held the district and town: a choice saved from it was never a choice. */
const OLD_DEFAULT = 'platformOrderId,shopName,status,receiverName,receiverPhone,receiverProvince,receiverCity,receiverAddress,items,paidYuan,paidAt,sellerMemo';

function savedColumns(): ExportColumn[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown;
    if (Array.isArray(v) && v.join(',') !== OLD_DEFAULT) {
      const ok = v.filter((c): c is ExportColumn => (EXPORT_COLUMNS as readonly unknown[]).includes(c));
      if (ok.length) return ok;
    }
  } catch {
    // fall through to the default columns
  }
  return DEFAULT;
}

interface Props {
  selectedIds: string[];
  filter: OrderFilter;
  total: number | null;
  onClose(): void;
}

export function ExportDialog({ selectedIds, filter, total, onClose }: Props) {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const [scope, setScope] = useState<'selected' | 'filtered'>(selectedIds.length ? 'selected' : 'filtered');
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [columns, setColumns] = useState<ExportColumn[]>(savedColumns);
  const [busy, setBusy] = useState(false);
  const chosen = new Set(columns);

  const run = async () => {
    setBusy(true);
    try {
      localStorage.setItem(KEY, JSON.stringify(columns));
      const ordered = EXPORT_COLUMNS.filter((c) => chosen.has(c));
      const out = await api.call('orders.export', scope === 'selected' ? { ids: selectedIds, columns: ordered, format } : { filter, columns: ordered, format });
      downloadBase64(out.fileName, out.mime, out.base64);
      push({ kind: 'success', text: t('export.done', { count: out.rowCount, file: out.fileName }) });
      onClose();
    } catch (err) {
      report(err, 'orders.export');
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      wide
      title={t('export.title')}
      onClose={onClose}
      testId="export-dialog"
      confirmLabel={busy ? t('export.working') : t('export.run')}
      onConfirm={() => void run()}
      disabled={busy || columns.length === 0}
    >
      <div className="form-row">
        <span className="form-label">{t('export.scope')}</span>
        <label className="radio">
          <input type="radio" data-testid="export-scope-selected" disabled={!selectedIds.length} checked={scope === 'selected'} onChange={() => setScope('selected')} />
          {t('export.selected', { count: selectedIds.length })}
        </label>
        <label className="radio">
          <input type="radio" data-testid="export-scope-filtered" checked={scope === 'filtered'} onChange={() => setScope('filtered')} />
          {t('export.filtered', { count: total ?? 0 })}
        </label>
      </div>
      <div className="form-row">
        <span className="form-label">{t('export.format')}</span>
        {(['xlsx', 'csv'] as const).map((f) => (
          <label key={f} className="radio">
            <input type="radio" data-testid={`export-format-${f}`} checked={format === f} onChange={() => setFormat(f)} />
            {t(`export.${f}`)}
          </label>
        ))}
      </div>
      <div className="form-row form-row-top">
        <span className="form-label">{t('export.columns')}</span>
        <div className="export-columns">
          {EXPORT_COLUMNS.map((c) => (
            <label key={c} className="checkbox-line">
              <input
                type="checkbox"
                data-testid={`export-column-${c}`}
                checked={chosen.has(c)}
                onChange={() => setColumns(chosen.has(c) ? columns.filter((x) => x !== c) : [...columns, c])}
              />
              {t(`exportColumn.${c}`)}
            </label>
          ))}
        </div>
      </div>
      <div className="form-row">
        <span className="form-label" />
        <button type="button" className="link" onClick={() => setColumns([...EXPORT_COLUMNS])}>
          {t('export.allColumns')}
        </button>
        <button type="button" className="link" onClick={() => setColumns(DEFAULT)}>
          {t('export.defaultColumns')}
        </button>
      </div>
    </FormDialog>
  );
}
