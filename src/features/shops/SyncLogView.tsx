// 同步日志: recent sync runs (shop, start, duration, pulled/changed/quarantined, error), newest first,
// narrowed to one shop or to failed runs.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../i18n/format.ts';
import { ShopFilter } from './ShopFilter.tsx';
import { describeSpan, describeSyncError } from './sync-words.ts';
import { useQuery } from './use-query.ts';

export function SyncLogView({ shopId }: { shopId: string | null }) {
  const { t } = useTranslation();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const { data: runs } = useQuery('sync.log', { ...(shopId ? { shopId } : {}), errorsOnly, limit: 200 }, ['sync_runs']);
  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        <ShopFilter view="log" shopId={shopId} allLabel={t('syncLog.allShops')} />
        <label className="checkbox-line">
          <input type="checkbox" data-testid="log-errors-only" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />
          {t('syncLog.errorsOnly')}
        </label>
      </div>
      <div className="shops-table-wrap">
        <table className="shops-table" data-testid="sync-log-table">
          <thead>
            <tr>
              <th>{t('syncLog.shop')}</th>
              <th>{t('syncLog.started')}</th>
              <th>{t('syncLog.trigger')}</th>
              <th>{t('syncLog.duration')}</th>
              <th className="right">{t('syncLog.pulled')}</th>
              <th className="right">{t('syncLog.changed')}</th>
              <th className="right">{t('syncLog.quarantined')}</th>
              <th>{t('syncLog.error')}</th>
            </tr>
          </thead>
          <tbody>
            {runs?.length === 0 && (
              <tr>
                <td colSpan={8} className="muted" data-testid="sync-log-empty">
                  {t('syncLog.empty')}
                </td>
              </tr>
            )}
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
                <td>
                  {r.error && (
                    <span className="warn" title={r.error}>
                      {describeSyncError(t, r.error)}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
