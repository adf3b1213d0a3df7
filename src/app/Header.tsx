// The app header: product name, sync state, who is signed in with which role, language.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { useSession } from './session-store.ts';
import { SyncIndicator } from './SyncIndicator.tsx';
import { useReportError } from './use-report-error.ts';

export function Header() {
  const { t } = useTranslation();
  const report = useReportError();
  const actor = useSession((s) => s.actor);
  const setActor = useSession((s) => s.setActor);
  useEffect(() => {
    api.call('session.whoami', {}).then(setActor, (e) => report(e, 'session.whoami'));
  }, [setActor, report]);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          店
        </span>
        <span className="brand-name">{t('app.name')}</span>
        <span className="brand-section">{t('app.orders')}</span>
      </div>
      <div className="header-right">
        <SyncIndicator />
        {actor && (
          <span className="whoami" data-testid="whoami" data-role={actor.role}>
            <span className="whoami-name">{actor.name}</span>
            <span className="whoami-role">{t(`role.${actor.role}`)}</span>
          </span>
        )}
        <LanguageSwitch />
      </div>
    </header>
  );
}
