// Sync state in the header: the team hub's link first (单机 without one; its panel says the rest),
// then the platforms' — syncing…, last successful sync, shops needing attention (authorisation
// expired or failing), pending push-backs, and "sync now". Clicking that opens the Shops page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopOverview } from '../../electron/shared/contract.ts';
import { api } from '../api/client.ts';
import { useDbChanged } from '../api/use-db-changed.ts';
import { describeSyncError } from '../features/shops/sync-words.ts';
import { TeamSyncStatus } from '../features/team/TeamSyncStatus.tsx';
import { formatTime } from '../i18n/format.ts';
import { useNav } from './nav-store.ts';
import { useCan } from './session-store.ts';
import { useReportError } from './use-report-error.ts';

/** Tables whose changes move the indicator's numbers. */
const WATCHED = ['shops', 'sync_cursors', 'pushes', 'sync_runs'];

export function SyncIndicator() {
  const { t } = useTranslation();
  const report = useReportError();
  const canSync = useCan('sync.now');
  const openShops = useNav((s) => s.openShops);
  const [shops, setShops] = useState<ShopOverview[]>([]);
  const [active, setActive] = useState<Set<string>>(new Set());
  const [pulled, setPulled] = useState(0);
  const reported = useRef(false);

  const load = useCallback(() => {
    api.call('shops.overview', {}).then(
      (s) => {
        setShops(s);
        reported.current = false;
      },
      (e) => {
        // The header polls: one toast per outage, not one per poll.
        if (!reported.current) report(e, 'shops.overview');
        reported.current = true;
      },
    );
  }, [report]);

  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    const off = api.on('sync.progress', (p) => {
      setActive((prev) => {
        const next = new Set(prev);
        if (p.phase === 'start' || p.phase === 'page') next.add(p.shopId);
        else next.delete(p.shopId);
        return next;
      });
      if (p.phase === 'page') setPulled((n) => n + p.pulled);
      if (p.phase === 'done' || p.phase === 'error') load();
    });
    return () => {
      clearInterval(timer);
      off();
    };
  }, [load]);
  useDbChanged(WATCHED, load, 1000);

  const syncingCount = active.size || shops.filter((s) => s.syncing).length;
  const syncing = syncingCount > 0;
  // A paused shop is a choice, not a problem; an expired authorisation or a failing sync needs a person.
  const attention = shops.filter((s) => s.state === 'auth_expired' || (s.state === 'active' && s.lastError !== null));
  const pendingPushes = shops.reduce((n, s) => n + s.pendingPushes + s.failedPushes, 0);
  const last = shops.reduce<number | null>((m, s) => (s.lastSuccessAt !== null && (m === null || s.lastSuccessAt > m) ? s.lastSuccessAt : m), null);
  const title = [
    t('sync.openShops'),
    ...attention.map((s) => `${s.name}: ${s.state === 'auth_expired' ? t('sync.authExpired') : describeSyncError(t, s.lastError)}`),
  ].join('\n');

  const syncNow = async () => {
    try {
      await api.call('sync.now', {});
      setPulled(0);
    } catch (err) {
      report(err, 'sync.now');
    }
  };

  return (
    <div
      className={`sync-indicator${syncing ? ' syncing' : ''}${attention.length ? ' has-errors' : ''}`}
      data-testid="sync-indicator"
      data-state={syncing ? 'syncing' : attention.length ? 'error' : 'idle'}
    >
      <TeamSyncStatus />
      <button type="button" className="sync-indicator-open" data-testid="sync-indicator-open" title={title} onClick={() => openShops('shops')}>
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-text">
          {syncing ? t('sync.syncing', { count: syncingCount, pulled }) : last !== null ? t('sync.last', { time: formatTime(last) }) : t('sync.never')}
        </span>
        {attention.length > 0 && (
          <span className="sync-errors" data-testid="sync-attention">
            {t('sync.attention', { count: attention.length })}
          </span>
        )}
        {pendingPushes > 0 && (
          <span className="sync-pushes" data-testid="sync-pending-pushes">
            {t('sync.pendingPushes', { count: pendingPushes })}
          </span>
        )}
      </button>
      {canSync && (
        <button type="button" className="header-button" data-testid="sync-now" disabled={syncing} onClick={() => void syncNow()}>
          {t('sync.now')}
        </button>
      )}
    </div>
  );
}
