// Which page is open (订单 workbench or 店铺) and which view of the Shops page, kept in the URL hash
// (#orders, #shops/log, …) so a reload or the back button lands where the person was. The web host
// puts the session token in the hash on first load; the page reads it before this store writes.
import { create } from 'zustand';

export const PAGES = ['orders', 'shops', 'printing', 'packing', 'tracking', 'labels'] as const;
export type Page = (typeof PAGES)[number];
export const SHOP_VIEWS = ['shops', 'log', 'quarantine', 'pushes'] as const;
export type ShopView = (typeof SHOP_VIEWS)[number];

interface NavState {
  page: Page;
  shopView: ShopView;
  /** The shop a quarantine / push-back / log view is narrowed to (null = all shops). */
  shopId: string | null;
  go(page: Page): void;
  openShops(view?: ShopView, shopId?: string | null): void;
}

function parseHash(hash: string): Pick<NavState, 'page' | 'shopView' | 'shopId'> {
  const m = /^#(orders|shops|printing|packing|tracking|labels)(?:\/(shops|log|quarantine|pushes))?(?:\/([\w-]+))?$/.exec(hash);
  if (!m) return { page: 'orders', shopView: 'shops', shopId: null };
  return { page: m[1] as Page, shopView: (m[2] as ShopView | undefined) ?? 'shops', shopId: m[3] ?? null };
}

function writeHash(s: Pick<NavState, 'page' | 'shopView' | 'shopId'>): void {
  // Until the API client has taken the session token out of the hash, leave the hash alone.
  if (typeof window === 'undefined' || window.location.hash.includes('token=')) return;
  const hash = s.page === 'orders' ? '#orders' : s.page === 'printing' ? '#printing' : s.page === 'packing' ? '#packing' : s.page === 'tracking' ? '#tracking' : s.page === 'labels' ? '#labels' : `#shops/${s.shopView}${s.shopId ? `/${s.shopId}` : ''}`;
  // replaceState: the token hash must never be pushed into history again once it is gone.
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
}

const initial = typeof window === 'undefined' ? parseHash('') : parseHash(window.location.hash);

export const useNav = create<NavState>((set, get) => ({
  ...initial,
  go: (page) => {
    set({ page });
    writeHash(get());
  },
  openShops: (view = 'shops', shopId = null) => {
    set({ page: 'shops', shopView: view, shopId });
    writeHash(get());
  },
}));
