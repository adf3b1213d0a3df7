// The application shell: header, the order workbench, toasts.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Workbench } from '../features/orders/Workbench.tsx';
import { Header } from './Header.tsx';
import { Toasts } from './Toasts.tsx';

export function App() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('app.title');
  }, [t, i18n.language]);
  return (
    <div className="app">
      <Header />
      <main className="app-main">
        <Workbench />
      </main>
      <Toasts />
    </div>
  );
}
