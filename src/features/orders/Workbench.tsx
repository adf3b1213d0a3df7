// The order workbench screen: tabs, search and filters, batch bar, the table, and the drawer.
import { useTranslation } from 'react-i18next';
import { BatchBar } from './batch/BatchBar.tsx';
import { OrderDrawer } from './drawer/OrderDrawer.tsx';
import { FilterBar } from './FilterBar.tsx';
import { OrderTable } from './OrderTable.tsx';
import { useCounts, useOrderRows, useSelectionFollowsView, useShopCounts } from './queries.ts';
import { QueueTabs } from './QueueTabs.tsx';
import { useReferenceLoader } from './reference-store.ts';
import { SearchBox } from './SearchBox.tsx';
import { useOrders } from './store.ts';
import { useTableKeyboard } from './use-table-keyboard.ts';
import './workbench.css';

export function Workbench() {
  const { t } = useTranslation();
  const filter = useOrders((s) => s.filter);
  const sort = useOrders((s) => s.sort);
  const drawerOpen = useOrders((s) => s.drawerId !== null);
  useReferenceLoader();
  const counts = useCounts(filter);
  const shopCounts = useShopCounts(filter);
  const cache = useOrderRows(filter, sort);
  useTableKeyboard(cache);
  useSelectionFollowsView();
  return (
    <div className={`workbench${drawerOpen ? ' with-drawer' : ''}`}>
      {/* Tabs and search share a row, and the filters fit one more: at a 1366×768 packing-station
          screen that leaves room for 20 rows of orders. */}
      <div className="tabs-row">
        <QueueTabs counts={counts} />
        <SearchBox />
      </div>
      <div className="toolbar">
        <FilterBar counts={counts} shopCounts={shopCounts} />
      </div>
      <BatchBar filter={filter} total={cache.total} />
      <div className="table-area">
        <OrderTable cache={cache} filter={filter} sort={sort} />
        <OrderDrawer />
      </div>
      <footer className="status-line">
        <span data-testid="result-total">{cache.total === null ? t('table.loading') : t(cache.totalCapped ? 'table.totalCapped' : 'table.total', { count: cache.total })}</span>
        <span className="muted">{t('table.keys')}</span>
      </footer>
    </div>
  );
}
