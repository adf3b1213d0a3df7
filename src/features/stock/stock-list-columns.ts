// The 库存 list's columns: widths that together fit a 1366×768 screen (the title column takes what
// is left), and which figures align right.
export const STOCK_COLUMNS = [
  { id: 'sku', label: 'stock.colSku', width: 150 },
  { id: 'title', label: 'stock.colTitle', width: 200, grow: true },
  { id: 'spec', label: 'stock.colSpec', width: 120 },
  { id: 'warehouse', label: 'stock.colWarehouse', width: 90 },
  { id: 'onHand', label: 'stock.colOnHand', width: 72, right: true },
  { id: 'reserved', label: 'stock.colReserved', width: 72, right: true },
  { id: 'available', label: 'stock.colAvailable', width: 72, right: true },
  { id: 'safety', label: 'stock.colSafety', width: 72, right: true },
  { id: 'cover', label: 'stock.colCover', width: 104, right: true },
  { id: 'marks', label: 'stock.colMarks', width: 110 },
] as const;
export type StockColumnId = (typeof STOCK_COLUMNS)[number]['id'];
