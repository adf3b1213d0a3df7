// The application shell: header, the open page (order workbench, Shops, Stock, …), toasts.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Workbench } from '../features/orders/Workbench.tsx';
import { ShopsPage } from '../features/shops/ShopsPage.tsx';
import { StockPage } from '../features/stock/StockPage.tsx';
import { PrintingPage } from '../features/printers/PrintingPage.tsx';
import { PackingPage } from '../features/packing/PackingPage.tsx';
import { TrackingPage } from '../features/tracking/TrackingPage.tsx';
import { LabelTemplatesPage } from '../features/labels/LabelTemplatesPage.tsx';
import { TasksPage } from '../features/tasks/TasksPage.tsx';
import { TeamPage } from '../features/team/TeamPage.tsx';
import { Header } from './Header.tsx';
import { useNav } from './nav-store.ts';
import { Toasts } from './Toasts.tsx';

export function App() {
  const { t, i18n } = useTranslation();
  const page = useNav((s) => s.page);
  useEffect(() => {
    document.title = t('app.title');
  }, [t, i18n.language]);
  return (
    <div className="app">
      <Header />
      <main className="app-main">{page === 'shops' ? <ShopsPage /> : page === 'stock' ? <StockPage /> : page === 'printing' ? <PrintingPage /> : page === 'packing' ? <PackingPage /> : page === 'tracking' ? <TrackingPage /> : page === 'labels' ? <LabelTemplatesPage /> : page === 'tasks' ? <TasksPage /> : page === 'team' ? <TeamPage /> : <Workbench />}</main>
      <Toasts />
    </div>
  );
}
