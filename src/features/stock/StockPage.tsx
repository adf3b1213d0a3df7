// The 库存 page: a tab per view (the stock list, warehouses, receiving, counting, and the views other
// parts of stock add), and one SKU's detail, all kept in the URL hash (#stock/<view>,
// #stock/sku/<code>; app/nav-store.ts). Each view is its own component; adding one is an import
// and a line in STOCK_TABS.
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodName } from '../../../electron/shared/contract.ts';
import { type StockView, useNav } from '../../app/nav-store.ts';
import { roleMayCall, useSession } from '../../app/session-store.ts';
import { MappingView } from './MappingView.tsx';
import { CountView, ReceiveView } from './ScanSheetView.tsx';
import { SkuDetailView } from './SkuDetailView.tsx';
import { StockListView } from './StockListView.tsx';
import { AlertsView } from './AlertsView.tsx';
import { PushesView } from './PushesView.tsx';
import { RestockView } from './RestockView.tsx';
import { WarehousesView } from './WarehousesView.tsx';
import '../shops/shops.css';
import './stock.css';

export interface StockTab {
  view: Exclude<StockView, 'sku'>;
  /** The tab's words: an i18n key. */
  label: string;
  Component: ComponentType;
  /** Shown only to roles that may call this method (a view whose point is a command). */
  needs?: MethodName;
}

/** The tabs in the order shown. */
export const STOCK_TABS: readonly StockTab[] = [
  { view: 'list', label: 'stock.tabList', Component: StockListView },
  { view: 'mapping', label: 'stock.tabMapping', Component: MappingView },
  { view: 'receive', label: 'stock.tabReceive', Component: ReceiveView },
  { view: 'count', label: 'stock.tabCount', Component: CountView },
  { view: 'warehouses', label: 'stock.tabWarehouses', Component: WarehousesView },
  { view: 'alerts', label: 'stock.tabAlerts', Component: AlertsView },
  { view: 'pushes', label: 'stockPush.tab', Component: PushesView },
  { view: 'restock', label: 'stock.tabRestock', Component: RestockView },
];

export function StockPage() {
  const { t } = useTranslation();
  const view = useNav((s) => s.stockView);
  const sku = useNav((s) => s.stockSku);
  const openStock = useNav((s) => s.openStock);
  const role = useSession((s) => s.actor?.role);
  const tabs = STOCK_TABS.filter((tab) => !tab.needs || roleMayCall(role, tab.needs));
  // A view without a tab (not built yet, or not for this role) shows the list rather than nothing.
  const open = view === 'sku' ? null : (tabs.find((tab) => tab.view === view) ?? tabs[0]);
  return (
    <div className="shops-page stock-page" data-testid="stock-page">
      <div className="shops-tabs" role="tablist">
        {tabs.map((tab) => (
          <button
            key={tab.view}
            type="button"
            role="tab"
            aria-selected={open?.view === tab.view}
            className={`shops-tab${open?.view === tab.view ? ' active' : ''}`}
            data-testid={`stock-tab-${tab.view}`}
            onClick={() => openStock(tab.view)}
          >
            {t(tab.label)}
          </button>
        ))}
        {view === 'sku' && sku && (
          <button type="button" role="tab" aria-selected className="shops-tab active" data-testid="stock-tab-sku">
            {t('stock.tabSku', { code: sku })}
          </button>
        )}
      </div>
      <div className="shops-body">{view === 'sku' && sku ? <SkuDetailView key={sku} code={sku} /> : open && <open.Component />}</div>
    </div>
  );
}
