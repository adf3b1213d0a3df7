// The 打印 page: printers, the print jobs view and the waybill accounts, switched by tabs.
import { useTranslation } from 'react-i18next';
import { PRINTING_VIEWS, usePrintingView } from './printing-view-store.ts';
import { PrintersTable } from './PrintersTable.tsx';
import { PrintJobsView } from './PrintJobsView.tsx';
import { WaybillAccountsView } from './WaybillAccountsView.tsx';
import '../shops/shops.css';
import './printing.css';

const TAB_KEYS = { printers: 'printing.tabPrinters', jobs: 'printing.tabJobs', accounts: 'printing.tabAccounts' } as const;

export function PrintingPage() {
  const { t } = useTranslation();
  const view = usePrintingView((s) => s.view);
  const open = usePrintingView((s) => s.open);
  return (
    <div className="shops-page" data-testid="printing-page">
      <div className="shops-tabs" role="tablist">
        {PRINTING_VIEWS.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} className={`shops-tab${view === v ? ' active' : ''}`} data-testid={`printing-tab-${v}`} onClick={() => open(v)}>
            {t(TAB_KEYS[v])}
          </button>
        ))}
      </div>
      <div className="shops-body">
        {view === 'printers' && <PrintersTable />}
        {view === 'jobs' && <PrintJobsView />}
        {view === 'accounts' && <WaybillAccountsView />}
      </div>
    </div>
  );
}
