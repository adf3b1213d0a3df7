// The app header: product name, page switch (订单 / 店铺), sync state, who is signed in with which role, language.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PAGES, useNav } from './nav-store.ts';
import { useSession } from './session-store.ts';
import { SyncIndicator } from './SyncIndicator.tsx';
import { pageAllowed, SwitchPerson } from './SignIn.tsx';
import { useReportError } from './use-report-error.ts';
import { TrackingAlertBadge } from '../features/tracking/TrackingAlertBadge.tsx';
import { StockAlertBadge } from '../features/stock/StockAlertBadge.tsx';
import { TaskBadge } from '../features/tasks/TaskBadge.tsx';

export function Header() {
  const { t } = useTranslation();
  const report = useReportError();
  const actor = useSession((s) => s.actor);
  const setActor = useSession((s) => s.setActor);
  const page = useNav((s) => s.page);
  const go = useNav((s) => s.go);
  useEffect(() => {
    api.call('session.whoami', {}).then(setActor, (e) => report(e, 'session.whoami'));
  }, [setActor, report]);
  // A person switched in whose role has no use for the open page lands on the orders.
  useEffect(() => {
    if (actor && !pageAllowed(actor.role, page)) go('orders');
  }, [actor, page, go]);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          店
        </span>
        <span className="brand-name">{t('app.name')}</span>
        <nav className="brand-nav" aria-label={t('nav.label')}>
          {PAGES.filter((p) => pageAllowed(actor?.role, p)).map((p) => (
            <button key={p} type="button" className={`nav-button${page === p ? ' active' : ''}`} aria-current={page === p ? 'page' : undefined} data-testid={`nav-${p}`} onClick={() => go(p)}>
              {t(`nav.${p}`)}
              {p === 'tracking' && <TrackingAlertBadge />}
              {p === 'stock' && <StockAlertBadge />}
              {p === 'tasks' && <TaskBadge />}
            </button>
          ))}
        </nav>
      </div>
      <div className="header-right">
        <SyncIndicator />
        {actor && (
          <span className="whoami" data-testid="whoami" data-role={actor.role}>
            <span className="whoami-name">{actor.name}</span>
            <span className="whoami-role">{t(`role.${actor.role}`)}</span>
          </span>
        )}
        <SwitchPerson />
        <LanguageSwitch />
      </div>
    </header>
  );
}
