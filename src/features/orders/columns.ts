// The order table's columns: id, header key, width, and which sort field (if any) the header sorts by.
import type { OrderSortField } from '../../../electron/shared/contract.ts';

export const COLUMN_IDS = [
  'platformOrderId',
  'shop',
  'queue',
  'buyerNick',
  'receiver',
  'region',
  'phone',
  'items',
  'itemCount',
  'paidFen',
  'waybill',
  'flag',
  'tags',
  'abnormal',
  'stock',
  'claim',
  'buyerMessage',
  'createdAt',
  'paidAt',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface ColumnDef {
  id: ColumnId;
  /** Pixels (cell padding included); for the flexible column, the least it gets. */
  width: number;
  sort?: OrderSortField;
  align?: 'right';
  /**
   * Share of the room the columns leave (a flex-grow factor): a wide screen shows more of the
   * products, address and shop name, and a narrow one still fits every column.
   */
  flex?: number;
}

// Widths are what the content needs at the table's compact density (13 px text, 12 px numbers): the
// default columns add up to 1,346 px, inside a 1366 px screen less its scroll bar.
export const COLUMNS: Record<ColumnId, ColumnDef> = {
  // 22 characters: a Pinduoduo order number ("261207-644910000000074").
  platformOrderId: { id: 'platformOrderId', width: 164 },
  shop: { id: 'shop', width: 120, flex: 1 },
  // The longest status whole ("Completed", 已发货 预售) and room for a "+N" after it: English stage and
  // 预售 badges that do not fit fold into it.
  queue: { id: 'queue', width: 96 },
  buyerNick: { id: 'buyerNick', width: 104, sort: 'buyerNick' },
  receiver: { id: 'receiver', width: 64 },
  region: { id: 'region', width: 112, sort: 'receiverProvince', flex: 1 },
  phone: { id: 'phone', width: 104 },
  items: { id: 'items', width: 140, flex: 3 },
  itemCount: { id: 'itemCount', width: 52, sort: 'itemCount', align: 'right' },
  paidFen: { id: 'paidFen', width: 80, sort: 'paidFen', align: 'right' },
  // A two-character carrier and a 15-character number ("顺丰 SF1234567890123").
  waybill: { id: 'waybill', width: 150 },
  flag: { id: 'flag', width: 76 },
  tags: { id: 'tags', width: 76 },
  // Two short reason badges side by side; more collapse into "+N".
  abnormal: { id: 'abnormal', width: 116 },
  // 已占用 or 缺货 and the warehouse codes; not a default column (the 缺货 badge shows in 状态 too).
  stock: { id: 'stock', width: 112 },
  // Which other station of the team works the order ("由 二号打包台 处理中"); not a default column:
  // the 状态 cell shows the same as a badge.
  claim: { id: 'claim', width: 150 },
  buyerMessage: { id: 'buyerMessage', width: 150, flex: 1 },
  createdAt: { id: 'createdAt', width: 120, sort: 'createdAt' },
  paidAt: { id: 'paidAt', width: 120, sort: 'paidAt' },
};

/** Fixed width of the row's checkbox column. */
export const CHECK_WIDTH = 32;

/** The least width of a row with these columns (the flexible one at its minimum). */
export function rowWidth(cols: readonly ColumnId[]): number {
  return CHECK_WIDTH + cols.reduce((n, c) => n + COLUMNS[c].width, 0);
}

export const DEFAULT_COLUMNS: ColumnId[] = [
  'platformOrderId',
  'shop',
  'queue',
  'receiver',
  'region',
  'items',
  'paidFen',
  'waybill',
  'flag',
  'tags',
  'abnormal',
  'paidAt',
];

const KEY = 'shopfleet.columns';

/** The saved column choice, ignoring ids a newer/older build does not know. */
export function loadColumns(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): ColumnId[] {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return DEFAULT_COLUMNS;
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return DEFAULT_COLUMNS;
    const known = parsed.filter((c): c is ColumnId => (COLUMN_IDS as readonly unknown[]).includes(c));
    return known.length ? known : DEFAULT_COLUMNS;
  } catch {
    return DEFAULT_COLUMNS;
  }
}

export function saveColumns(cols: ColumnId[], storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  storage?.setItem(KEY, JSON.stringify(cols));
}
