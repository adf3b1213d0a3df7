// The Shops page (店铺): the shop table with its actions, and the sync log, quarantine and
// push-back views, switched by tabs kept in the URL hash (app/nav-store.ts).
import { useTranslation } from 'react-i18next';
import { SHOP_VIEWS, useNav } from '../../app/nav-store.ts';
import { PushesView } from './PushesView.tsx';
import { QuarantineList } from './QuarantineList.tsx';
import { ShopsTable } from './ShopsTable.tsx';
import { SyncLogView } from './SyncLogView.tsx';
import './shops.css';

const TAB_KEYS = { shops: 'shops.tabShops', log: 'shops.tabLog', quarantine: 'shops.tabQuarantine', pushes: 'shops.tabPushes' } as const;

export function ShopsPage() {
  const { t } = useTranslation();
  const view = useNav((s) => s.shopView);
  const shopId = useNav((s) => s.shopId);
  const openShops = useNav((s) => s.openShops);
  return (
    <div className="shops-page" data-testid="shops-page">
      <div className="shops-tabs" role="tablist">
        {SHOP_VIEWS.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={view === v} className={`shops-tab${view === v ? ' active' : ''}`} data-testid={`shops-tab-${v}`} onClick={() => openShops(v, v === 'shops' ? null : shopId)}>
            {t(TAB_KEYS[v])}
          </button>
        ))}
      </div>
      <div className="shops-body">
        {view === 'shops' && <ShopsTable />}
        {view === 'log' && <SyncLogView shopId={shopId} />}
        {view === 'quarantine' && <QuarantineList shopId={shopId} />}
        {view === 'pushes' && <PushesView shopId={shopId} />}
      </div>
    </div>
  );
}
