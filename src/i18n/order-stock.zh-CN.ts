// Simplified Chinese for stock in the order workbench: the 库存 column, the 缺货 badge and filter
// (order-stock.en-US.ts has the same keys).
export const orderStockZhCN = {
  orderStock: {
    reserved: '已占用',
    short: '缺货',
    shortReason: {
      insufficient: '库存不足',
      no_single_warehouse: '无单仓可发（平台不支持拆单）',
      offline_quota: '离线配额已用完（连上团队服务器后自动重试）',
    },
    warehouses: '发货仓：{{codes}}',
    filter: '库存',
  },
};
