// English for the stock page. Typed by the Chinese messages (stock.zh-CN.ts) so no key can be missing.
import type { stockZhCN } from './stock.zh-CN.ts';

type Shape<T> = { [K in keyof T]: { [L in keyof T[K]]: string } };

export const stockEnUS: Shape<typeof stockZhCN> = {
  stock: {
    tabList: 'Stock',
    tabMapping: 'SKU mapping',
    tabWarehouses: 'Warehouses',
    tabAlerts: 'Alerts',
    tabReceive: 'Receive',
    tabCount: 'Count',
    tabPushes: 'Pushes',
    tabRestock: 'Restock',
    tabSku: 'SKU {{code}}',
    colSku: 'SKU code',
    colTitle: 'Title',
    colSpec: 'Spec',
    colWarehouse: 'Warehouse',
    colOnHand: 'On hand',
    colReserved: 'Reserved',
    colAvailable: 'Available',
    colSafety: 'Safety',
    colCover: 'Days of cover',
    colMarks: 'State',
    markLow: 'Low',
    markOut: 'Out',
    filterWarehouse: 'Filter by warehouse',
    allWarehouses: 'All warehouses',
    filterLow: 'Low stock',
    rowsAll: '{{count}} rows',
    rowsSoFar: '{{count}} rows loaded…',
    loading: 'Loading…',
    empty: 'No stock matches',
  },
};
