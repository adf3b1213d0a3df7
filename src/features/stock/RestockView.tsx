// 补货建议: per SKU, how many units to order — units a day (over 7 or 30 days) × lead time + safety
// stock − what is free of orders, rounded up — most units first, with the figures behind each;
// exported as Excel or CSV for the purchase order.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VelocityDays } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { formatFen } from '../../i18n/format.ts';
import { downloadBase64 } from '../orders/batch/download.ts';
import { formatCover } from './stock-words.ts';

const LIMIT = 1000;

/** 到货周期 in the row: a manager types a new one (Enter or leaving the box saves it); others read it. */
function LeadTime({ sku, days }: { sku: string; days: number }) {
  const { t } = useTranslation();
  const canEdit = useCan('skus.update');
  const report = useReportError();
  const [value, setValue] = useState(String(days));
  if (!canEdit) return <>{days}</>;
  const save = () => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 365 || n === days) {
      setValue(String(days));
      return;
    }
    api.call('skus.update', { code: sku, patch: { leadTimeDays: n } }).catch((err) => {
      setValue(String(days));
      report(err, 'skus.update');
    });
  };
  return (
    <input
      style={{ width: 64, textAlign: 'right' }}
      type="number"
      min={0}
      max={365}
      aria-label={t('restock.colLead')}
      data-testid="restock-lead"
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
      }}
    />
  );
}

export function RestockView() {
  const { t } = useTranslation();
  const [days, setDays] = useState<VelocityDays>(30);
  // stock.restock reads skus: a saved lead time refreshes the list by itself.
  const { data } = useQuery('stock.restock', { days, limit: LIMIT });
  const openStock = useNav((s) => s.openStock);
  const canExport = useCan('stock.restockExport');
  const report = useReportError();
  const exportAs = (format: 'xlsx' | 'csv') =>
    api.call('stock.restockExport', { days, format }).then(
      (f) => downloadBase64(f.fileName, f.mime, f.base64),
      (err) => report(err, 'stock.restockExport'),
    );
  return (
    <div className="stock-view" data-testid="restock-view">
      <div className="stock-toolbar">
        <select aria-label={t('restock.window', { days })} data-testid="restock-days" value={days} onChange={(e) => setDays(Number(e.target.value) as VelocityDays)}>
          {([7, 30] as const).map((d) => (
            <option key={d} value={d}>
              {t('restock.window', { days: d })}
            </option>
          ))}
        </select>
        <span className="muted small">{t('restock.hint')}</span>
        <span className="fill" />
        {data && (
          <span className="muted" data-testid="restock-total">
            {data.total > data.rows.length ? t('restock.showing', { shown: data.rows.length, total: data.total }) : t('restock.total', { total: data.total })}
          </span>
        )}
        {canExport && (
          <>
            <button type="button" data-testid="restock-export-xlsx" disabled={!data || data.total === 0} onClick={() => void exportAs('xlsx')}>
              {t('restock.exportXlsx')}
            </button>
            <button type="button" data-testid="restock-export-csv" disabled={!data || data.total === 0} onClick={() => void exportAs('csv')}>
              {t('restock.exportCsv')}
            </button>
          </>
        )}
      </div>
      <ListTable
        testId="restock-table"
        columns={[
          { label: t('restock.colSku') },
          { label: t('restock.colTitle') },
          { label: t('restock.colPerDay'), align: 'right' },
          { label: t('restock.colLead'), align: 'right' },
          { label: t('restock.colSafety'), align: 'right' },
          { label: t('restock.colOnHand'), align: 'right' },
          { label: t('restock.colReserved'), align: 'right' },
          { label: t('restock.colAvailable'), align: 'right' },
          { label: t('restock.colCover'), align: 'right' },
          { label: t('restock.colSuggest'), align: 'right' },
          { label: t('restock.colAmount'), align: 'right' },
        ]}
        rows={data?.rows}
        empty={t('restock.empty')}
        emptyTestId="restock-empty"
      >
        {data?.rows.map((r) => (
          <tr key={r.sku} data-testid="restock-row" data-sku={r.sku}>
            <td>
              <button type="button" className="stock-link mono" onClick={() => openStock('sku', r.sku)}>
                {r.sku}
              </button>
            </td>
            <td className="small">
              {r.title}
              {r.spec ? ` · ${r.spec}` : ''}
            </td>
            <td className="right">{(Math.round(r.perDay * 100) / 100).toString()}</td>
            <td className="right">
              <LeadTime key={`${r.sku}-${r.leadTimeDays}`} sku={r.sku} days={r.leadTimeDays} />
            </td>
            <td className="right">{r.safety}</td>
            <td className="right">{r.onHand}</td>
            <td className="right">{r.reserved}</td>
            <td className="right">
              <span className={r.available < 0 ? 'stock-negative' : undefined}>{r.available}</span>
            </td>
            <td className="right">{formatCover(r.daysOfCover)}</td>
            <td className="right" data-testid="restock-suggest">
              <strong>{r.suggest}</strong>
            </td>
            <td className="right">{r.costFen === null ? '—' : formatFen(r.costFen * r.suggest)}</td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
