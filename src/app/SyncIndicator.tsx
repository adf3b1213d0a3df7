// Sync state in the header: syncing…, last successful sync, shops in error, and "sync now".
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopSyncState } from '../../electron/shared/contract.ts';
import { api } from '../api/client.ts';
import { useDbChanged } from '../api/use-db-changed.ts';
import { formatTime } from '../i18n/format.ts';
import { useCan } from './session-store.ts';
import { useReportError } from './use-report-error.ts';

export function SyncIndicator() {
  const { t } = useTranslation();
  const report = useReportError();
  const canSync = useCan('sync.now');
  const [shops, setShops] = useState<ShopSyncState[]>([]);
  const [active, setActive] = useState<Set<string>>(new Set());
  const [pulled, setPulled] = useState(0);
  const reported = useRef(false);

  const load = useCallback(() => {
    api.call('sync.status', {}).then(
      (s) => {
        setShops(s);
        reported.current = false;
      },
      (e) => {
        // The header polls: one toast per outage, not one per poll.
        if (!reported.current) report(e, 'sync.status');
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
  useDbChanged(['shops', 'sync_cursors'], load, 1000);

  const syncing = active.size > 0 || shops.some((s) => s.syncing);
  const errors = shops.filter((s) => s.lastError || s.state === 'auth_expired');
  const last = shops.reduce<number | null>((m, s) => (s.lastSuccessAt !== null && (m === null || s.lastSuccessAt > m) ? s.lastSuccessAt : m), null);
  const title = errors.map((s) => `${s.shopName}: ${s.state === 'auth_expired' ? t('sync.authExpired') : s.lastError}`).join('\n');

  const syncNow = async () => {
    try {
      await api.call('sync.now', {});
      setPulled(0);
    } catch (err) {
      report(err, 'sync.now');
    }
  };

  return (
    <div className={`sync-indicator${syncing ? ' syncing' : ''}${errors.length ? ' has-errors' : ''}`} data-testid="sync-indicator" data-state={syncing ? 'syncing' : errors.length ? 'error' : 'idle'} title={title || undefined}>
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-text">
        {syncing
          ? t('sync.syncing', { count: active.size || shops.filter((s) => s.syncing).length, pulled })
          : last !== null
            ? t('sync.last', { time: formatTime(last) })
            : t('sync.never')}
      </span>
      {errors.length > 0 && <span className="sync-errors">{t('sync.errors', { count: errors.length })}</span>}
      {canSync && (
        <button type="button" className="header-button" data-testid="sync-now" disabled={syncing} onClick={() => void syncNow()}>
          {t('sync.now')}
        </button>
      )}
    </div>
  );
}
