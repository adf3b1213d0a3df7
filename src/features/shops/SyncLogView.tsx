// 同步日志: recent sync runs (shop, start, duration, pulled/changed/quarantined, orders kept with
// warnings and why, error), newest first, narrowed to one shop or to failed runs.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../../components/ListTable.tsx';
import { formatTime } from '../../i18n/format.ts';
import { ShopFilter } from './ShopFilter.tsx';
import { describeSpan, describeSyncError } from './sync-words.ts';
import { useQuery } from '../../api/use-query.ts';

export function SyncLogView({ shopId }: { shopId: string | null }) {
  const { t } = useTranslation();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const { data: runs } = useQuery('sync.log', { ...(shopId ? { shopId } : {}), errorsOnly, limit: 200 });
  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        <ShopFilter view="log" shopId={shopId} allLabel={t('syncLog.allShops')} />
        <label className="checkbox-line">
          <input type="checkbox" data-testid="log-errors-only" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />
          {t('syncLog.errorsOnly')}
        </label>
      </div>
      <ListTable
        testId="sync-log-table"
        columns={[
          { label: t('syncLog.shop') },
          { label: t('syncLog.started') },
          { label: t('syncLog.trigger') },
          { label: t('syncLog.duration') },
          { label: t('syncLog.pulled'), align: 'right' },
          { label: t('syncLog.changed'), align: 'right' },
          { label: t('syncLog.quarantined'), align: 'right' },
          { label: t('syncLog.warnings') },
          { label: t('syncLog.error') },
        ]}
        rows={runs}
        empty={t('syncLog.empty')}
        emptyTestId="sync-log-empty"
      >
        {runs?.map((r) => (
          <tr key={r.id} data-testid="sync-run" data-shop-id={r.shopId} data-error={r.error ? 'true' : 'false'}>
            <td>
              {r.shopName} <span className="muted small">{t(`platform.${r.platform}`)}</span>
            </td>
            <td className="time">{formatTime(r.startedAt, true)}</td>
            <td>{t(`syncLog.${r.trigger}`)}</td>
            <td>{r.finishedAt === null ? <span className="muted">{t('syncLog.running')}</span> : describeSpan(t, r.finishedAt - r.startedAt)}</td>
            <td className="right">{r.pulled}</td>
            <td className="right">{r.changed}</td>
            <td className="right">{r.quarantined}</td>
            <td data-testid="sync-run-warnings">
              {r.warnings > 0 && (
                // Orders kept although part of their payload could not be read: the count, and the
                // first messages (order id, field, what was done) for whoever checks the adapter.
                <details>
                  <summary className="warn">{t('syncLog.warningsSummary', { count: r.warnings })}</summary>
                  <ul className="small">
                    {r.warningSamples.map((w, i) => (
                      <li key={i}>{w}</li>
                    ))}
                  </ul>
                  {r.warnings > r.warningSamples.length && <span className="muted small">{t('syncLog.warningsMore', { count: r.warnings - r.warningSamples.length })}</span>}
                </details>
              )}
            </td>
            <td>
              {r.error && (
                <span className="warn" data-kind={r.error.kind} title={`${r.error.code}: ${r.error.message}`}>
                  {describeSyncError(t, r.error)}
                </span>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
