// The shop picker above the log, quarantine and push-back lists; the choice lives in the URL hash.
import type { ShopView } from '../../app/nav-store.ts';
import { useNav } from '../../app/nav-store.ts';
import { useQuery } from '../../api/use-query.ts';

export function ShopFilter({ view, shopId, allLabel }: { view: ShopView; shopId: string | null; allLabel: string }) {
  const openShops = useNav((s) => s.openShops);
  const { data: shops } = useQuery('shops.list', {});
  return (
    <select data-testid="shop-filter" className={shopId ? 'active' : ''} value={shopId ?? ''} onChange={(e) => openShops(view, e.target.value || null)}>
      <option value="">{allLabel}</option>
      {(shops ?? []).map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </select>
  );
}
