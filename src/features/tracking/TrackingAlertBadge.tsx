// The header's tracking alert count: packages with an exception-severity trace problem (returned,
// carrier exception, 48 h without news, signed before shipped). Hidden at zero.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query.ts';
import { EXCEPTIONS_REFRESH_MS } from './tracking-words.ts';

export function TrackingAlertBadge() {
  const { t } = useTranslation();
  // limit 1: only the counts are read here, and they are not capped by the limit.
  const { data, reload } = useQuery('tracking.exceptions', { limit: 1 });
  useEffect(() => {
    const timer = setInterval(reload, EXCEPTIONS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  if (!data || data.alertCount === 0) return null;
  return (
    <span className="nav-alert" data-testid="tracking-alert-count" title={t('tracking.alertTitle', { count: data.alertCount })}>
      {data.alertCount > 99 ? '99+' : data.alertCount}
    </span>
  );
}
