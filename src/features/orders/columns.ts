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
  'flag',
  'tags',
  'abnormal',
  'buyerMessage',
  'createdAt',
  'paidAt',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface ColumnDef {
  id: ColumnId;
  width: number;
  sort?: OrderSortField;
  align?: 'right';
}

export const COLUMNS: Record<ColumnId, ColumnDef> = {
  platformOrderId: { id: 'platformOrderId', width: 168 },
  shop: { id: 'shop', width: 124 },
  queue: { id: 'queue', width: 104 },
  buyerNick: { id: 'buyerNick', width: 110, sort: 'buyerNick' },
  receiver: { id: 'receiver', width: 72 },
  region: { id: 'region', width: 150, sort: 'receiverProvince' },
  phone: { id: 'phone', width: 110 },
  items: { id: 'items', width: 210 },
  itemCount: { id: 'itemCount', width: 56, sort: 'itemCount', align: 'right' },
  paidFen: { id: 'paidFen', width: 92, sort: 'paidFen', align: 'right' },
  flag: { id: 'flag', width: 110 },
  tags: { id: 'tags', width: 130 },
  abnormal: { id: 'abnormal', width: 120 },
  buyerMessage: { id: 'buyerMessage', width: 160 },
  createdAt: { id: 'createdAt', width: 124, sort: 'createdAt' },
  paidAt: { id: 'paidAt', width: 124, sort: 'paidAt' },
};

export const DEFAULT_COLUMNS: ColumnId[] = [
  'platformOrderId',
  'shop',
  'queue',
  'receiver',
  'region',
  'items',
  'paidFen',
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
