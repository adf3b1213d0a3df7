// 库存预警: open alerts (newest first) with a chip per kind and its count, each with the SKU (a link
// to its detail), where it is (a warehouse, a shop), why in words, the SKU's figures now, and a mute
// per SKU for desktop notifications. Cleared alerts on request; a manager can check every SKU now.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALERT_KINDS, type AlertKind, type AlertView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { formatTime } from '../../i18n/format.ts';
import { askWebNotifications, claimWebNotifications, webNotificationsAvailable, webNotificationsGranted } from './alert-notifications.ts';
import { formatCover } from './stock-words.ts';
import { HubAlertsList } from '../team/HubAlertsList.tsx';

const LIMIT = 500;
const n1 = (n: number | undefined | null): string => (n === undefined || n === null ? '—' : String(Math.round(n * 10) / 10));

/** Why the alert is raised, in words, from the figures it was raised with. */
export function useAlertWhy(): (a: Pick<AlertView, 'kind' | 'details'>) => string {
  const { t } = useTranslation();
  return ({ kind, details: d }) => {
    switch (kind) {
      case 'low':
        return [
          d.lowBy?.includes('threshold') ? t('stockAlerts.whyThreshold', { available: d.available, threshold: d.threshold }) : null,
          d.lowBy?.includes('cover') ? t('stockAlerts.whyCover', { days: formatCover(d.daysOfCover ?? null), lead: d.leadTimeDays, window: d.window, perDay: n1(d.perDay) }) : null,
        ]
          .filter(Boolean)
          .join('；');
      case 'out':
        return (
          t('stockAlerts.whyOut', { available: d.available }) +
          (d.perDay ? t('stockAlerts.whyOutSelling', { perDay: n1(d.perDay) }) : '') +
          (d.waiting ? t('stockAlerts.whyOutWaiting') : '')
        );
      case 'oversold':
        return t('stockAlerts.whyOversold', { onHand: d.onHand, reserved: d.reserved, over: (d.reserved ?? 0) - (d.onHand ?? 0) });
      case 'push_failed':
        return (
          t('stockAlerts.whyPush', { error: d.error ?? d.errorCode ?? t('stockAlerts.pushNoWords') }) +
          (d.lockedByPromotion ? t('stockAlerts.whyPushLocked') : '') +
          ((d.failedTargets ?? 1) > 1 ? t('stockAlerts.whyPushMore', { count: d.failedTargets }) : '')
        );
    }
  };
}

function NotifyButton() {
  const { t, i18n } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const openStock = useNav((s) => s.openStock);
  const [granted, setGranted] = useState(webNotificationsGranted);
  // The Electron app notifies from its main process; a browser without the API cannot.
  if (!webNotificationsAvailable() || granted) return null;
  const ask = async () => {
    const ok = await askWebNotifications();
    setGranted(ok);
    if (!ok) {
      toast({ kind: 'info', text: t('stockAlerts.notifyBlocked') });
      return;
    }
    toast({ kind: 'success', text: t('stockAlerts.notifyOnNow') });
    await claimWebNotifications(i18n.language.startsWith('en') ? 'en' : 'zh', () => openStock('alerts'), (err) => report(err, 'alerts.claimNotifications'));
  };
  return (
    <button type="button" data-testid="alerts-notify" onClick={() => void ask()}>
      {t('stockAlerts.notifyOn')}
    </button>
  );
}

export function AlertsView() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<AlertKind | null>(null);
  const [includeCleared, setIncludeCleared] = useState(false);
  const { data: counts } = useQuery('alerts.counts', {});
  const { data, reload } = useQuery('alerts.list', { ...(kind ? { kind } : {}), includeCleared, limit: LIMIT });
  const openStock = useNav((s) => s.openStock);
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canEvaluate = useCan('alerts.evaluate');
  const why = useAlertWhy();
  const [busy, setBusy] = useState(false);

  const setMuted = (sku: string, muted: boolean) =>
    api.call(muted ? 'alerts.mute' : 'alerts.unmute', { sku }).then(reload, (err) => report(err, muted ? 'alerts.mute' : 'alerts.unmute'));
  const evaluate = () => {
    setBusy(true);
    api
      .call('alerts.evaluate', {})
      .then(
        (r) => toast({ kind: 'success', text: t('stockAlerts.evaluated', r) }),
        (err) => report(err, 'alerts.evaluate'),
      )
      .finally(() => setBusy(false));
  };

  return (
    <div className="stock-view" data-testid="alerts-view">
      <div className="stock-toolbar">
        <button type="button" className={`stock-chip${kind === null ? ' on' : ''}`} data-testid="alerts-kind-all" onClick={() => setKind(null)}>
          {t('stockAlerts.all')} {counts?.total ?? ''}
        </button>
        {ALERT_KINDS.map((k) => (
          <button key={k} type="button" className={`stock-chip${kind === k ? ' on' : ''}`} data-testid={`alerts-kind-${k}`} onClick={() => setKind(k)}>
            {t(`stockAlerts.kind.${k}`)} <span data-testid={`alerts-count-${k}`}>{counts?.[k] ?? 0}</span>
          </button>
        ))}
        <label>
          <input type="checkbox" data-testid="alerts-include-cleared" checked={includeCleared} onChange={(e) => setIncludeCleared(e.target.checked)} />
          {t('stockAlerts.includeCleared')}
        </label>
        <span className="fill" />
        {data && data.total > data.rows.length && <span className="muted small">{t('stockAlerts.showing', { shown: data.rows.length, total: data.total })}</span>}
        <NotifyButton />
        {canEvaluate && (
          <button type="button" data-testid="alerts-evaluate" disabled={busy} onClick={evaluate}>
            {t('stockAlerts.evaluate')}
          </button>
        )}
      </div>
      {/* What the team hub saw across stations (an oversell two offline stations made): open ones only. */}
      <HubAlertsList hideWhenEmpty openOnly />
      <ListTable
        testId="alerts-table"
        columns={[
          { label: t('stockAlerts.colKind') },
          { label: t('stockAlerts.colSku') },
          { label: t('stockAlerts.colTitle') },
          { label: t('stockAlerts.colWhere') },
          { label: t('stockAlerts.colWhy') },
          { label: t('stockAlerts.colFigures'), align: 'right' },
          { label: t('stockAlerts.colRaised') },
          {},
        ]}
        rows={data?.rows}
        empty={t('stockAlerts.empty')}
        emptyTestId="alerts-empty"
      >
        {data?.rows.map((a) => (
          <tr key={a.id} data-testid="alert-row" data-kind={a.kind} data-sku={a.sku} className={a.clearedAt !== null ? 'stock-corrected' : undefined}>
            <td>
              <span className={`stock-mark ${a.kind === 'low' ? 'low' : 'out'}`}>{t(`stockAlerts.kind.${a.kind}`)}</span>
            </td>
            <td>
              <button type="button" className="stock-link mono" data-testid="alert-sku-link" onClick={() => openStock('sku', a.sku)}>
                {a.sku}
              </button>
            </td>
            <td className="small">
              {a.title}
              {a.spec ? ` · ${a.spec}` : ''}
            </td>
            <td className="small">{a.warehouse ?? a.shopName ?? '—'}</td>
            <td className="small" data-testid="alert-why">
              {why(a)}
            </td>
            <td className="right">
              {a.onHand} / {a.reserved} / <span className={a.available < 0 ? 'stock-negative' : undefined}>{a.available}</span>
            </td>
            <td className="small">{a.clearedAt !== null ? t('stockAlerts.cleared', { at: formatTime(a.clearedAt) }) : formatTime(a.raisedAt)}</td>
            <td>
              {a.muted && <span className="stock-mark unmapped">{t('stockAlerts.mutedTag')}</span>}{' '}
              <button
                type="button"
                className="small"
                data-testid={a.muted ? 'alert-unmute' : 'alert-mute'}
                title={a.muted ? undefined : t('stockAlerts.muteTitle')}
                onClick={() => void setMuted(a.sku, !a.muted)}
              >
                {a.muted ? t('stockAlerts.unmute') : t('stockAlerts.mute')}
              </button>
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
