// The shop table: each shop's state, last successful sync, lag, today's pulls, last error in words,
// quarantined payloads and push-backs (each a link to its list), and the per-shop actions the
// session's role may use (the core checks again).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopOverview } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { formatTime } from '../../i18n/format.ts';
import { AddShopDialog } from './AddShopDialog.tsx';
import { AuthorizeDialog } from './AuthorizeDialog.tsx';
import { EditShopDialog } from './EditShopDialog.tsx';
import { describeAgo, describeSpan, describeSyncError } from './sync-words.ts';
import { useQuery } from '../../api/use-query.ts';

const STATE_TONE: Record<ShopOverview['state'], Tone> = { active: 'success', paused: 'muted', auth_expired: 'danger' };

/** A clock that ticks so "3 分钟前" stays true while the page is open. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

type DialogState = { kind: 'add' } | { kind: 'edit'; shop: ShopOverview } | { kind: 'authorize'; shop: ShopOverview } | null;

export function ShopsTable() {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const openShops = useNav((s) => s.openShops);
  const { data: shops, reload } = useQuery('shops.overview', {});
  const now = useNow(15_000);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const canAuthorizeStart = useCan('shops.authorizeStart');
  const canPasteTokens = useCan('shops.updateCredentials');
  const can = {
    sync: useCan('sync.now'),
    pause: useCan('shops.pause'),
    edit: useCan('shops.update'),
    add: useCan('shops.add'),
    authorize: canAuthorizeStart || canPasteTokens,
  };

  // sync.progress moves `syncing` before any commit does: refresh on start and end too.
  useEffect(() => api.on('sync.progress', (p) => (p.phase === 'start' || p.phase === 'done' || p.phase === 'error') && reload()), [reload]);

  const act = async (shop: ShopOverview, what: 'sync' | 'pause' | 'resume') => {
    setBusy(`${shop.id}:${what}`);
    try {
      if (what === 'sync') {
        const r = await api.call('sync.now', { shopId: shop.id });
        toast({ kind: r.started.length ? 'success' : 'info', text: r.started.length ? t('shops.syncStarted', { count: r.started.length }) : t('shops.alreadySyncing') });
      } else {
        await api.call(what === 'pause' ? 'shops.pause' : 'shops.resume', { id: shop.id });
        toast({ kind: 'success', text: t(what === 'pause' ? 'shops.paused' : 'shops.resumed', { name: shop.name }) });
      }
      reload();
    } catch (err) {
      report(err, what === 'sync' ? 'sync.now' : `shops.${what}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        {can.add && (
          <button type="button" className="primary" data-testid="shop-add" onClick={() => setDialog({ kind: 'add' })}>
            {t('shops.add')}
          </button>
        )}
      </div>
      <ListTable
        testId="shops-table"
        columns={[
          { label: t('shops.name') },
          { label: t('shops.platform') },
          { label: t('shops.state') },
          { label: t('shops.lastSync') },
          { label: t('shops.lag') },
          { label: t('shops.pulledToday'), align: 'right' },
          { label: t('shops.lastError') },
          { label: t('shops.quarantined'), align: 'right' },
          { label: t('shops.pushes'), align: 'right' },
          { label: t('shops.actions') },
        ]}
        rows={shops}
        loading={t('shops.loading')}
        empty={t('shops.empty')}
        emptyTestId="shops-empty"
      >
        {shops?.map((s) => {
          const errorWords = describeSyncError(t, s.lastError);
          return (
            <tr key={s.id} data-testid="shop-row" data-shop-id={s.id} data-state={s.state} data-syncing={s.syncing ? 'true' : 'false'}>
              <td>
                <div className="strong" data-testid="shop-name">
                  {s.name}
                </div>
                <div className="muted small" data-testid="shop-interval">
                  {s.syncIntervalMs < 60_000
                    ? t('shops.intervalSeconds', { seconds: Math.round(s.syncIntervalMs / 1000) })
                    : t('shops.interval', { minutes: Math.round((s.syncIntervalMs / 60_000) * 10) / 10 })}
                  {s.accessTokenExpiresAt !== null && ` · ${t('shops.tokenExpires', { time: formatTime(s.accessTokenExpiresAt) })}`}
                </div>
              </td>
              <td data-testid="shop-platform">{t(`platform.${s.platform}`)}</td>
              <td>
                <Badge tone={STATE_TONE[s.state]} testId="shop-state">
                  {t(`shopState.${s.state}`)}
                </Badge>
                {s.syncing && (
                  <span className="shop-syncing" data-testid="shop-syncing">
                    {t('shops.syncing')}
                  </span>
                )}
              </td>
              <td data-testid="shop-last-sync" title={formatTime(s.lastSuccessAt, true)}>
                {describeAgo(t, s.lastSuccessAt, now) ?? <span className="muted">{t('shops.never')}</span>}
              </td>
              <td data-testid="shop-lag">{describeSpan(t, s.cursorMs === null ? null : now - s.cursorMs)}</td>
              <td className="right" data-testid="shop-pulled-today">
                {s.pulledToday}
              </td>
              <td className="shop-error">
                {errorWords && (
                  <span className="warn" data-testid="shop-error" data-kind={s.lastError?.kind} title={`${s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : ''}${s.lastErrorAt ? `\n${formatTime(s.lastErrorAt, true)}` : ''}`}>
                    {errorWords}
                  </span>
                )}
              </td>
              <td className="right">
                <button type="button" className={`link${s.quarantined ? ' warn' : ''}`} data-testid="shop-quarantined" onClick={() => openShops('quarantine', s.id)}>
                  {s.quarantined}
                </button>
              </td>
              <td className="right">
                <button type="button" className="link" data-testid="shop-pushes" onClick={() => openShops('pushes', s.id)}>
                  {s.pendingPushes} / <span className={s.failedPushes ? 'warn' : ''}>{s.failedPushes}</span>
                </button>
              </td>
              <td>
                <div className="shop-actions">
                {can.sync && (
                  <button type="button" data-testid="shop-sync-now" disabled={s.state !== 'active' || s.syncing || busy !== null} onClick={() => void act(s, 'sync')}>
                    {t('shops.syncNow')}
                  </button>
                )}
                {can.pause && s.state === 'active' && (
                  <button type="button" data-testid="shop-pause" disabled={busy !== null} onClick={() => void act(s, 'pause')}>
                    {t('shops.pause')}
                  </button>
                )}
                {can.pause && s.state === 'paused' && (
                  <button type="button" data-testid="shop-resume" disabled={busy !== null} onClick={() => void act(s, 'resume')}>
                    {t('shops.resume')}
                  </button>
                )}
                {can.edit && (
                  <button type="button" data-testid="shop-edit" onClick={() => setDialog({ kind: 'edit', shop: s })}>
                    {t('shops.edit')}
                  </button>
                )}
                {can.authorize && s.platform !== 'sandbox' && (
                  <button type="button" className={s.state === 'auth_expired' ? 'primary' : ''} data-testid="shop-authorize" onClick={() => setDialog({ kind: 'authorize', shop: s })}>
                    {t('shops.authorize')}
                  </button>
                )}
                </div>
              </td>
            </tr>
          );
        })}
      </ListTable>
      {dialog?.kind === 'add' && <AddShopDialog onClose={() => setDialog(null)} onDone={reload} />}
      {dialog?.kind === 'edit' && <EditShopDialog shop={dialog.shop} onClose={() => setDialog(null)} onDone={reload} />}
      {dialog?.kind === 'authorize' && <AuthorizeDialog shop={dialog.shop} onClose={() => setDialog(null)} onDone={reload} />}
    </div>
  );
}
