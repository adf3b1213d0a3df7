// The team's alerts the hub raised (a second waybill for one package, a SKU oversold by stations
// working offline), as this station pulled them: open ones first, each in words with what to do.
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query.ts';
import { formatTime } from '../../i18n/format.ts';
import { hubAlertWords } from './hub-words.ts';
import './team.css';

/** `hideWhenEmpty` and `openOnly`: the stock alerts page shows the open ones, and only when there are some. */
export function HubAlertsList({ hideWhenEmpty = false, openOnly = false }: { hideWhenEmpty?: boolean; openOnly?: boolean }) {
  const { t } = useTranslation();
  const { data } = useQuery('hub.alerts', openOnly ? { open: true } : {});
  if (!data) return null;
  if (data.length === 0) return hideWhenEmpty ? null : <p className="team-sync-empty">{t('team.alerts.none')}</p>;
  return (
    <ul className="team-alerts" data-testid="hub-alerts">
      {data.map((a) => (
        <li key={a.id} className={a.resolvedAt === null ? undefined : 'resolved'} data-testid="hub-alert" data-kind={a.kind}>
          <strong>{a.resolvedAt === null ? t('team.alerts.open') : t('team.alerts.resolved')}</strong> {hubAlertWords(t, a)}{' '}
          <span className="time">{t('team.alerts.raisedAt', { time: formatTime(a.raisedAt) })}</span>
        </li>
      ))}
    </ul>
  );
}
