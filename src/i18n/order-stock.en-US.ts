// English for stock in the order workbench (order-stock.zh-CN.ts has the same keys).
export const orderStockEnUS = {
  orderStock: {
    reserved: 'Reserved',
    short: 'Out of stock',
    shortReason: {
      insufficient: 'Not enough stock',
      no_single_warehouse: 'No single warehouse holds it (the platform does not split)',
      offline_quota: 'Offline quota used up (retried once the station reaches the hub)',
    },
    warehouses: 'Ships from: {{codes}}',
    filter: 'Stock',
  },
};
