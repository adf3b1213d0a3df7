// 物流异常: shipped packages whose trace looks wrong, exceptions first and oldest first; a row opens
// the package's trace timeline. Stale rules depend on the clock, so the list also refreshes on a timer.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/Badge.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useQuery } from '../../api/use-query.ts';
import { TraceTimelineDialog } from './TraceTimelineDialog.tsx';
import { ageParts, carrierName, EXCEPTIONS_REFRESH_MS } from './tracking-words.ts';

export function ExceptionsView() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const { data, reload } = useQuery('tracking.exceptions', { limit: 1000 });
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(reload, EXCEPTIONS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const age = (ms: number) => {
    const { d, h } = ageParts(ms);
    return d > 0 ? t('tracking.ageDays', { d, h }) : t('tracking.ageHours', { h });
  };
  return (
    <div className="shops-view">
      {data && (
        <div className="shops-toolbar muted" data-testid="tracking-summary">
          {t('tracking.summary', { alerts: data.alertCount, warnings: data.warningCount })}
        </div>
      )}
      <ListTable
        testId="tracking-exceptions"
        columns={[
          { label: t('tracking.colReason') },
          { label: t('tracking.colAge') },
          { label: t('tracking.colOrder') },
          { label: t('tracking.colShop') },
          { label: t('tracking.colCarrier') },
          { label: t('tracking.colWaybill') },
          { label: t('tracking.colState') },
          { label: t('tracking.colLast') },
        ]}
        rows={data?.rows}
        empty={t('tracking.empty')}
        emptyTestId="tracking-empty"
      >
        {data?.rows.map((r) => (
          <tr key={r.packageId} className="clickable" data-testid="tracking-exception-row" data-reason={r.reason} onClick={() => setOpen(r.packageId)}>
            <td>
              <Badge tone={r.severity === 'exception' ? 'danger' : 'warning'}>{t(`trackingReason.${r.reason}`)}</Badge>
            </td>
            <td className="nowrap">{age(r.ageMs)}</td>
            <td className="mono">{r.platformOrderId}</td>
            <td>{r.shopName}</td>
            <td>{carrierName(r.carrierCode, zh)}</td>
            <td className="mono">{r.waybillNo ?? '—'}</td>
            <td>{t(`trackingState.${r.trackingState}`)}</td>
            <td className="small trace-last">{r.lastDescription ?? '—'}</td>
          </tr>
        ))}
      </ListTable>
      {open && <TraceTimelineDialog packageId={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
