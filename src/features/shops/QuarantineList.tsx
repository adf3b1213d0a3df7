// 隔离区: platform payloads that could not be read (reason, platform order no., when, the raw
// payload) with 重试 per row and for all shown — quarantine.retry maps them again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { formatTime } from '../../i18n/format.ts';
import { ShopFilter } from './ShopFilter.tsx';
import { useQuery } from '../../api/use-query.ts';

export function QuarantineList({ shopId }: { shopId: string | null }) {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canRetry = useCan('quarantine.retry');
  const { data: rows, reload } = useQuery('quarantine.list', { ...(shopId ? { shopId } : {}), limit: 200 });
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const retry = async (ids: string[]) => {
    if (ids.length === 0) return;
    setBusy(true);
    try {
      const r = await api.call('quarantine.retry', { ids });
      toast({
        kind: r.failed.length ? 'info' : 'success',
        text: [r.resolved ? t('quarantine.resolved', { count: r.resolved }) : '', r.failed.length ? t('quarantine.stillFailing', { count: r.failed.length }) : ''].filter(Boolean).join('，'),
        lines: r.failed.slice(0, 5).map((f) => f.reason),
      });
      reload();
    } catch (err) {
      report(err, 'quarantine.retry');
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        <ShopFilter view="quarantine" shopId={shopId} allLabel={t('quarantine.allShops')} />
        {canRetry && (
          <button type="button" data-testid="quarantine-retry-all" disabled={busy || !rows?.length} onClick={() => void retry((rows ?? []).map((r) => r.id))}>
            {t('quarantine.retryAll')}
          </button>
        )}
        <span className="muted small">{t('quarantine.hint')}</span>
      </div>
      <ListTable
        testId="quarantine-table"
        columns={[
          { label: t('syncLog.shop') },
          { label: t('quarantine.platformOrderId') },
          { label: t('quarantine.reason') },
          { label: t('quarantine.received') },
          { label: t('quarantine.payload') },
          {},
        ]}
        rows={rows}
        empty={t('quarantine.empty')}
        emptyTestId="quarantine-empty"
      >
        {rows?.map((q) => (
          <tr key={q.id} data-testid="quarantine-row" data-id={q.id}>
            <td>{q.shopName}</td>
            <td className="mono">{q.platformOrderId ?? '—'}</td>
            <td className="warn" data-testid="quarantine-reason">
              {q.reason}
            </td>
            <td className="time">{formatTime(q.receivedAt, true)}</td>
            <td className="payload-cell">
              <button type="button" className="link" data-testid="quarantine-toggle" onClick={() => toggle(q.id)}>
                {open.has(q.id) ? t('quarantine.hide') : t('quarantine.show')}
              </button>
              {open.has(q.id) && (
                <pre className="payload-preview mono" data-testid="quarantine-payload">
                  {q.payloadPreview}
                </pre>
              )}
            </td>
            <td>
              {canRetry && (
                <button type="button" data-testid="quarantine-retry" disabled={busy} onClick={() => void retry([q.id])}>
                  {t('quarantine.retry')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
