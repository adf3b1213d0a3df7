// The header's stock alert count on the 库存 button: open alerts of every kind (low, out of stock,
// oversold, a failed push); a click on it opens the alert list. Hidden at zero. It is always mounted,
// so it also shows new alerts as browser notifications in the web host (alert-notifications.ts).
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useQuery } from '../../api/use-query.ts';
import { useNav } from '../../app/nav-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { claimWebNotifications } from './alert-notifications.ts';

export function StockAlertBadge() {
  const { t, i18n } = useTranslation();
  const { data } = useQuery('alerts.counts', {});
  const openStock = useNav((s) => s.openStock);
  const report = useReportError();
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const claim = () => void claimWebNotifications(lang, () => openStock('alerts'), (err) => report(err, 'alerts.claimNotifications'));
  // Once on start (alerts raised while no page was open), then after every change to the alerts.
  useEffect(claim, []);
  useDbChanged(['stock_alerts'], claim, 300);
  if (!data || data.total === 0) return null;
  return (
    <span
      className="nav-alert"
      data-testid="stock-alert-count"
      title={t('stockAlerts.badgeTitle', { count: data.total })}
      onClick={(e) => {
        e.stopPropagation();
        openStock('alerts');
      }}
    >
      {data.total > 99 ? '99+' : data.total}
    </span>
  );
}
