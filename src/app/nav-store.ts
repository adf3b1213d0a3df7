// Which page is open (订单 workbench or 店铺) and which view of the Shops and Stock pages, kept in the
// URL hash (#orders, #shops/log, #stock/sku/<code>, …) so a reload or the back button lands where the
// person was. The web host puts the session token in the hash on first load; the page reads it
// before this store writes.
import { create } from 'zustand';

export const PAGES = ['orders', 'tasks', 'shops', 'stock', 'printing', 'packing', 'tracking', 'labels', 'team'] as const;
export type Page = (typeof PAGES)[number];
export const SHOP_VIEWS = ['shops', 'log', 'quarantine', 'pushes'] as const;
export type ShopView = (typeof SHOP_VIEWS)[number];
/**
 * Every view the Stock page may show. A view is listed here even before its component exists, so a
 * link to it survives a reload; StockPage.tsx falls back to the list for a view it has no tab for.
 * `sku` is one SKU's detail: its outer code is the hash's last part (#stock/sku/<code>).
 */
export const STOCK_VIEWS = ['list', 'mapping', 'warehouses', 'alerts', 'receive', 'count', 'pushes', 'restock', 'sku'] as const;
export type StockView = (typeof STOCK_VIEWS)[number];

interface NavState {
  page: Page;
  shopView: ShopView;
  /** The shop a quarantine / push-back / log view is narrowed to (null = all shops). */
  shopId: string | null;
  stockView: StockView;
  /** The SKU (outer code) the `sku` view shows; null for every other view. */
  stockSku: string | null;
  go(page: Page): void;
  openShops(view?: ShopView, shopId?: string | null): void;
  /** Opens a view of the Stock page; `sku` needs the SKU's outer code. */
  openStock(view?: StockView, sku?: string | null): void;
}

type NavPlace = Pick<NavState, 'page' | 'shopView' | 'shopId' | 'stockView' | 'stockSku'>;

const STOCK_HOME = { stockView: 'list', stockSku: null } as const;

export function parseHash(hash: string): NavPlace {
  const stock = /^#stock(?:\/([a-z]+)(?:\/(.+))?)?$/.exec(hash);
  if (stock) {
    const view = (STOCK_VIEWS as readonly string[]).includes(stock[1] ?? '') ? (stock[1] as StockView) : 'list';
    let sku: string | null = null;
    try {
      sku = view === 'sku' && stock[2] ? decodeURIComponent(stock[2]) : null;
    } catch {
      sku = null; // a malformed escape in a hand-typed hash
    }
    return { page: 'stock', shopView: 'shops', shopId: null, ...(view === 'sku' && !sku ? STOCK_HOME : { stockView: view, stockSku: sku }) };
  }
  const m = /^#(orders|tasks|shops|printing|packing|tracking|labels|team)(?:\/(shops|log|quarantine|pushes))?(?:\/([\w-]+))?$/.exec(hash);
  if (!m) return { page: 'orders', shopView: 'shops', shopId: null, ...STOCK_HOME };
  return { page: m[1] as Page, shopView: (m[2] as ShopView | undefined) ?? 'shops', shopId: m[3] ?? null, ...STOCK_HOME };
}

export function hashOf(s: NavPlace): string {
  if (s.page === 'stock') return s.stockView === 'sku' && s.stockSku ? `#stock/sku/${encodeURIComponent(s.stockSku)}` : `#stock/${s.stockView}`;
  return s.page === 'orders' ? '#orders' : s.page === 'printing' ? '#printing' : s.page === 'packing' ? '#packing' : s.page === 'tracking' ? '#tracking' : s.page === 'labels' ? '#labels' : s.page === 'tasks' ? '#tasks' : s.page === 'team' ? '#team' : `#shops/${s.shopView}${s.shopId ? `/${s.shopId}` : ''}`;
}

function writeHash(s: NavPlace): void {
  // Until the API client has taken the session token out of the hash, leave the hash alone.
  if (typeof window === 'undefined' || window.location.hash.includes('token=')) return;
  const hash = hashOf(s);
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
  openStock: (view = 'list', sku = null) => {
    set(view === 'sku' && sku ? { page: 'stock', stockView: 'sku', stockSku: sku } : { page: 'stock', stockView: view === 'sku' ? 'list' : view, stockSku: null });
    writeHash(get());
  },
}));

// A hash typed in the address bar or followed from a link (#stock/sku/<code>) moves the page too.
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    if (window.location.hash.includes('token=')) return;
    useNav.setState(parseHash(window.location.hash));
  });
}
