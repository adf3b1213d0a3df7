// The 物流 page: tracking exceptions (with each package's trace timeline), the carrier scorecard,
// and the tracking CSV import.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session-store.ts';
import { ExceptionsView } from './ExceptionsView.tsx';
import { ImportTraceDialog } from './ImportTraceDialog.tsx';
import { ScorecardView } from './ScorecardView.tsx';
import '../shops/shops.css';
import './tracking.css';

type Tab = 'exceptions' | 'scorecard';

export function TrackingPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('exceptions');
  const [importing, setImporting] = useState(false);
  const canImport = useCan('tracking.import');
  const canScore = useCan('tracking.scorecard');
  return (
    <div className="shops-page" data-testid="tracking-page">
      <div className="shops-tabs tracking-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'exceptions'} className={`shops-tab${tab === 'exceptions' ? ' active' : ''}`} data-testid="tracking-tab-exceptions" onClick={() => setTab('exceptions')}>
          {t('tracking.tabExceptions')}
        </button>
        {canScore && (
          <button type="button" role="tab" aria-selected={tab === 'scorecard'} className={`shops-tab${tab === 'scorecard' ? ' active' : ''}`} data-testid="tracking-tab-scorecard" onClick={() => setTab('scorecard')}>
            {t('tracking.tabScorecard')}
          </button>
        )}
        <span className="tracking-tabs-fill" />
        {canImport && (
          <button type="button" data-testid="tracking-import" onClick={() => setImporting(true)}>
            {t('tracking.import')}
          </button>
        )}
      </div>
      <div className="shops-body">{tab === 'scorecard' && canScore ? <ScorecardView /> : <ExceptionsView />}</div>
      {importing && <ImportTraceDialog onClose={() => setImporting(false)} />}
    </div>
  );
}
