// The orders domain of the API: the workbench's list, filters and presets, tags, batch commands on
// orders, change requests, export and shipping. Handlers: electron/core/orders/api.ts.
import { z } from 'zod';
import { CARRIER_CODES } from '../carriers.ts';
import { MAX_LINE_QUANTITY, MAX_ORDER_FEN } from '../limits.ts';
import { ABNORMAL_REASONS, type AbnormalReason, type AfterSaleState, type FulfilmentStage, ORDER_STATUSES, ORDER_TYPES, type OrderStatus, type OrderType, type Platform, type Role, PLATFORMS, type Queue, QUEUES } from '../model.ts';
import { ALL_ROLES, CREW, DESK, EXPORTERS, MANAGERS, SHIPPERS } from '../roles.ts';
import { lineText, multilineText, nameSchema } from '../text-guard.ts';
import { enumList, epochMs, id, ids, MAX_BATCH_IDS, MAX_FILTER_SHOPS, optionalLine, reason } from './common.ts';
import { type MethodDecl, type Out, out } from './define.ts';
import { ORDER_STOCK_STATES, type OrderStockState, type ShortReason } from './stock.ts';

/** The tables an order view reads: a commit to any of them may change what the workbench shows. */
export const ORDER_READS = ['orders', 'order_items', 'order_tags', 'tags', 'shops', 'order_notes', 'audit_log', 'change_requests', 'stock_reservations'] as const;

export const ORDER_SORT_FIELDS = ['paidAt', 'createdAt', 'platformUpdatedAt', 'paidFen', 'itemCount', 'receiverProvince', 'buyerNick'] as const;
export type OrderSortField = (typeof ORDER_SORT_FIELDS)[number];

/** Every filter of the workbench's filter bar and search box; the CLI uses the same one. */
export const orderFilterSchema = z
  .object({
    /** A status tab; 'all' or absent = every order, 'abnormal' = any abnormal reason. */
    queue: z.enum([...QUEUES, 'all', 'abnormal']).optional(),
    statuses: enumList(ORDER_STATUSES).optional(),
    shopIds: z.array(id).max(MAX_FILTER_SHOPS, `at most ${MAX_FILTER_SHOPS} shops`).optional(),
    platforms: enumList(PLATFORMS).optional(),
    createdFrom: epochMs.optional(),
    createdTo: epochMs.optional(),
    paidFrom: epochMs.optional(),
    paidTo: epochMs.optional(),
    provinces: z.array(z.string().min(1).max(20)).max(64, 'at most 64 provinces').optional(),
    sellerFlags: z.array(z.number().int().min(0).max(5)).max(64, 'at most 64 values').optional(),
    tagIds: z.array(id).max(500, 'at most 500 tags').optional(),
    hasBuyerMessage: z.boolean().optional(),
    hasSellerMemo: z.boolean().optional(),
    orderType: z.enum(ORDER_TYPES).optional(),
    /** Product title fragment or outer SKU code. */
    sku: z.string().trim().min(1).max(100).optional(),
    /** Orders with any of these abnormal reasons. */
    abnormal: enumList(ABNORMAL_REASONS).optional(),
    unread: z.boolean().optional(),
    /** The search box: order number, buyer nick, receiver name, phone last four, address, title, outer SKU code. */
    q: z.string().trim().max(100).optional(),
    /** Orders holding stock ('reserved') or waiting for it in 缺货 ('short'). */
    stock: z.enum(ORDER_STOCK_STATES).optional(),
  })
  .strict();
export type OrderFilter = z.infer<typeof orderFilterSchema>;

export const orderSortSchema = z.object({
  field: z.enum(ORDER_SORT_FIELDS),
  dir: z.enum(['asc', 'desc']),
});
export type OrderSort = z.infer<typeof orderSortSchema>;

/** Day ranges the date filters offer as one click, counted in Asia/Shanghai days up to today. */
export const DATE_SHORTCUTS = ['today', 'yesterday', 'last7', 'last30'] as const;
export type DateShortcut = (typeof DATE_SHORTCUTS)[number];
/** The most saved filter presets (常用筛选) one station keeps. */
export const MAX_FILTER_PRESETS = 50;
const presetName = nameSchema('preset name', 30);
/** Date filters a preset keeps as "today" / "last 7 days" rather than as fixed days. */
const presetRelativeSchema = z
  .object({ created: z.enum(DATE_SHORTCUTS).optional(), paid: z.enum(DATE_SHORTCUTS).optional() })
  .strict()
  .default({});

const receiverEditSchema = z
  .object({
    name: nameSchema('receiver name', 50),
    phone: lineText(z.string().trim().min(1).max(30)),
    province: lineText(z.string().trim().min(1).max(20)),
    city: lineText(z.string().trim().min(1).max(30)),
    district: lineText(z.string().trim().min(1).max(30)),
    town: lineText(z.string().trim().max(30)).nullable(),
    address: lineText(z.string().trim().min(1).max(200)),
  })
  .strict();

export const EXPORT_COLUMNS = [
  'platformOrderId',
  'shopName',
  'platform',
  'status',
  'stage',
  'buyerNick',
  'receiverName',
  'receiverPhone',
  'receiverProvince',
  'receiverCity',
  'receiverDistrict',
  'receiverTown',
  'receiverAddress',
  'items',
  'outerSkuCodes',
  'itemCount',
  'paidYuan',
  'shippingYuan',
  'createdAt',
  'paidAt',
  'buyerMessage',
  'sellerMemo',
  'sellerFlag',
  'tags',
  'holdReason',
  'abnormal',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

const shipItemSchema = z
  .object({
    id,
    carrierCode: z.enum(CARRIER_CODES, { error: `carrier must be one of: ${CARRIER_CODES.join(', ')}` }),
    waybillNo: z
      .string()
      .trim()
      .max(40, 'a waybill number is 6–40 letters, digits or dashes')
      .regex(/^[A-Za-z0-9-]{6,40}$/, 'a waybill number is 6–40 letters, digits or dashes'),
  })
  .strict();

export interface TagView {
  id: string;
  name: string;
  color: string;
}

/** One row of the workbench table. */
export interface OrderRow {
  id: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  platformOrderId: string;
  status: OrderStatus;
  platformStatus: string;
  afterSale: AfterSaleState;
  stage: FulfilmentStage;
  queue: Queue;
  holdReason: string | null;
  closeReason: string | null;
  orderType: OrderType;
  buyerNick: string;
  buyerMessage: string | null;
  sellerMemo: string | null;
  sellerFlag: number;
  receiverName: string;
  receiverPhone: string;
  receiverProvince: string;
  receiverCity: string;
  receiverDistrict: string;
  receiverAddress: string;
  goodsFen: number;
  shippingFen: number;
  paidFen: number;
  itemCount: number;
  /** "title ×qty; …" for the table cell. */
  itemSummary: string;
  createdAt: number;
  paidAt: number | null;
  platformUpdatedAt: number;
  isRead: boolean;
  abnormal: AbnormalReason[];
  tags: TagView[];
  /** Carrier and waybill number of each parcel that has one (快递 / 面单号), first parcel first. */
  waybills: OrderWaybill[];
  /**
   * reserved: its units are held; short: it waits in 缺货 (stockShortReason says why); null: it holds
   * nothing now — nothing stocked, not paid, closed, refunding, or already shipped (its units left as
   * ship movements; lineWarehouses still says from where).
   */
  stock: OrderStockState | null;
  stockShortReason: ShortReason | null;
  /** Per order line, the code of the warehouse its units are held in or shipped from (null: none). */
  lineWarehouses: OrderLineWarehouse[];
  /** Another station of the team holds this order's claim (as this station last heard); null: nobody else, or no hub. */
  claimedBy: OrderClaimedBy | null;
}

export interface OrderClaimedBy {
  stationName: string;
  userName: string | null;
  expiresAt: number;
}

export interface OrderLineWarehouse {
  lineNo: number;
  warehouse: string | null;
}

export interface OrderWaybill {
  /** A shared/carriers.ts code; null when the platform reported a number without a known carrier. */
  carrierCode: string | null;
  waybillNo: string;
}

/** A saved filter (常用筛选). `relative` date filters are turned into days when the preset is applied. */
export interface FilterPreset {
  id: string;
  name: string;
  filter: OrderFilter;
  relative: { created?: DateShortcut; paid?: DateShortcut };
  updatedAt: number;
}

export interface OrderItemView {
  lineNo: number;
  platformItemId: string;
  platformSkuId: string | null;
  outerSkuCode: string | null;
  skuId: string | null;
  title: string;
  skuName: string | null;
  quantity: number;
  unitPriceFen: number;
  paidFen: number;
  isGift: boolean;
  isBundle: boolean;
}

export interface TimelineEntry {
  id: string;
  at: number;
  actor: string;
  command: string;
  field: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
}

export interface NoteView {
  id: string;
  author: string;
  body: string;
  createdAt: number;
}

export interface ChangeRequestView {
  id: string;
  orderId: string;
  platformOrderId: string;
  kind: 'price' | 'quantity';
  lineNo: number;
  value: number;
  previous: number;
  reason: string;
  requestedBy: string;
  requestedAt: number;
  state: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: number | null;
  decisionNote: string | null;
}

export interface OrderDetail extends OrderRow {
  presaleDepositFen: number | null;
  presaleBalanceFen: number | null;
  discountFen: number;
  receiverTown: string | null;
  shippedAt: number | null;
  /** The platform sent the receiver encrypted: what is shown is masked; orders.revealReceiver decrypts it. */
  receiverEncrypted: boolean;
  items: OrderItemView[];
  notes: NoteView[];
  timeline: TimelineEntry[];
  changeRequests: ChangeRequestView[];
}

export interface OrderCounts {
  all: number;
  queues: Record<Queue, number>;
  abnormal: Record<AbnormalReason, number> & { any: number };
}

/** What a batch command did: how many orders changed, and which were skipped and why. */
export interface BatchResult {
  changed: number;
  skipped: { id: string; reason: string }[];
}

export interface RevealedReceiver {
  name: string;
  phone: string;
  address: string;
}

/** Input of a batch command that takes only the orders. */
const byIds = z.object({ ids }).strict();
/** Input of a batch command that takes the orders and why (it is audited). */
const byIdsWithReason = z.object({ ids, reason }).strict();
/** A command that answers with a BatchResult: what it did to each order it was given. */
function batchCommand<I extends z.ZodType>(roles: readonly Role[], input: I) {
  return { kind: 'command' as const, roles, input, output: out<BatchResult>() };
}

/** A query anyone signed in may ask that takes no input, answering from `reads`. */
function openQuery<O>(reads: readonly string[], output: Out<O>) {
  return { kind: 'query' as const, roles: ALL_ROLES, reads, input: z.object({}).strict(), output };
}

/** A query anyone signed in may ask about orders (it reads the order tables). */
function orderQuery<D extends { input: z.ZodType; output: Out<unknown> }>(decl: D) {
  return { kind: 'query' as const, roles: ALL_ROLES, reads: ORDER_READS, ...decl };
}

export const ordersMethods = {
  'tags.list': openQuery(['tags'], out<TagView[]>()),
  'tags.create': {
    kind: 'command',
    roles: DESK,
    input: z.object({ name: nameSchema('tag name', 20), color: z.string().max(7).regex(/^#[0-9a-f]{6}$/i).optional() }).strict(),
    output: out<TagView>(),
  },
  'catalog.provinces': openQuery([], out<string[]>()),
  'orders.list': orderQuery({
    input: z
      .object({
        filter: orderFilterSchema.default({}),
        sort: orderSortSchema.default({ field: 'paidAt', dir: 'desc' }),
        offset: z.number().int().min(0).max(MAX_BATCH_IDS * 10, 'offset is past any station\'s orders').default(0),
        limit: z.number().int().min(1).max(1000).default(100),
        /** Skip the total count (the CLI and follow-up pages do not need it). */
        withTotal: z.boolean().default(true),
      })
      .strict(),
    /** totalCapped: a search matched more than the counted maximum (the total shown is that maximum). */
    output: out<{ rows: OrderRow[]; total: number | null; totalCapped?: boolean }>(),
  }),
  'orders.counts': orderQuery({
    input: z.object({ filter: orderFilterSchema.default({}) }).strict(),
    output: out<OrderCounts>(),
  }),
  'orders.ids': orderQuery({
    input: z
      .object({
        filter: orderFilterSchema.default({}),
        sort: orderSortSchema.optional(),
        /** Only which of these orders the filter still matches (a selection after a batch action). */
        within: z.array(id).max(MAX_BATCH_IDS).optional(),
      })
      .strict(),
    output: out<{ ids: string[]; truncated: boolean }>(),
  }),
  /**
   * Which orders these references name: each ref an order id, else a platform order number (ids
   * holds every order with that number, at most two: more than one means it needs the order id).
   */
  'orders.resolveRefs': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['orders'],
    input: z.object({ refs: z.array(id).min(1).max(MAX_BATCH_IDS) }).strict(),
    output: out<{ ref: string; ids: string[] }[]>(),
  },
  /** The platform order numbers of these orders (an order not found is left out). */
  'orders.numbers': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['orders'],
    input: z.object({ ids }).strict(),
    output: out<{ id: string; platformOrderId: string }[]>(),
  },
  /** Orders per shop under the filter (the counts beside each shop in the shop filter). */
  'orders.shopCounts': orderQuery({
    input: z.object({ filter: orderFilterSchema.default({}) }).strict(),
    output: out<Record<string, number>>(),
  }),
  'filterPresets.list': openQuery(['meta'], out<FilterPreset[]>()),
  /** Save the filter under a name; an existing preset of that name is overwritten. */
  'filterPresets.save': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ name: presetName, filter: orderFilterSchema, relative: presetRelativeSchema }).strict(),
    output: out<FilterPreset[]>(),
  },
  'filterPresets.rename': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ id, name: presetName }).strict(),
    output: out<FilterPreset[]>(),
  },
  'filterPresets.delete': {
    kind: 'command',
    roles: ALL_ROLES,
    input: z.object({ id }).strict(),
    output: out<FilterPreset[]>(),
  },
  'orders.get': orderQuery({
    input: z.object({ id }).strict(),
    output: out<OrderDetail>(),
  }),
  'orders.markRead': batchCommand(ALL_ROLES, z.object({ ids, read: z.boolean().default(true) }).strict()),
  'orders.tag': {
    kind: 'command',
    roles: CREW,
    input: z
      .object({ ids, add: z.array(id).max(100, 'at most 100 tags at once').default([]), remove: z.array(id).max(100, 'at most 100 tags at once').default([]) })
      .strict()
      .refine((v) => v.add.length + v.remove.length > 0, 'add or remove at least one tag'),
    output: out<BatchResult>(),
  },
  'orders.setFlag': {
    kind: 'command',
    roles: DESK,
    input: z
      .object({
        ids,
        flag: z.number().int().min(0).max(5).optional(),
        memo: multilineText(z.string().max(500, 'a memo is at most 500 characters')).nullable().optional(),
      })
      .strict()
      .refine((v) => v.flag !== undefined || v.memo !== undefined, 'set a flag, a memo, or both'),
    output: out<BatchResult>(),
  },
  'orders.hold': batchCommand(CREW, byIdsWithReason),
  'orders.release': batchCommand(DESK, byIds),
  'orders.close': batchCommand(MANAGERS, byIdsWithReason),
  'orders.review': batchCommand(DESK, byIds),
  'orders.editAddress': batchCommand(DESK, z.object({ id, receiver: receiverEditSchema, reason: optionalLine(200) }).strict()),
  'orders.addNote': {
    kind: 'command',
    roles: CREW,
    input: z.object({ id, body: multilineText(z.string().trim().min(1).max(1000, 'a note is at most 1,000 characters')) }).strict(),
    output: out<NoteView>(),
  },
  'orders.requestChange': {
    kind: 'command',
    roles: DESK,
    input: z
      .object({
        id,
        lineNo: z.number().int().min(1).max(10_000),
        kind: z.enum(['price', 'quantity']),
        /** New unit price in fen (at most MAX_ORDER_FEN), or new quantity (at most MAX_LINE_QUANTITY). */
        value: z.number().int().min(0).max(MAX_ORDER_FEN, `at most ${MAX_ORDER_FEN} fen (¥${MAX_ORDER_FEN / 100})`),
        reason,
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.kind === 'quantity' && v.value > MAX_LINE_QUANTITY) {
          ctx.addIssue({ code: 'custom', path: ['value'], message: `a quantity is at most ${MAX_LINE_QUANTITY}` });
        }
      }),
    output: out<ChangeRequestView>(),
  },
  'changeRequests.list': {
    kind: 'query',
    roles: ALL_ROLES,
    reads: ['change_requests', 'orders'],
    input: z.object({ state: z.enum(['pending', 'approved', 'rejected']).optional(), orderId: id.optional() }).strict(),
    output: out<ChangeRequestView[]>(),
  },
  'changeRequests.decide': {
    kind: 'command',
    roles: MANAGERS,
    input: z.object({ id, approve: z.boolean(), note: optionalLine(200) }).strict(),
    output: out<ChangeRequestView>(),
  },
  'orders.export': {
    kind: 'query',
    roles: EXPORTERS,
    reads: ORDER_READS,
    input: z
      .object({
        ids: z.array(id).max(MAX_BATCH_IDS, `at most ${MAX_BATCH_IDS.toLocaleString('en-US')} orders at once`).optional(),
        filter: orderFilterSchema.optional(),
        columns: z.array(z.enum(EXPORT_COLUMNS)).min(1, 'choose at least one column').max(EXPORT_COLUMNS.length * 2, 'a column at most twice'),
        format: z.enum(['xlsx', 'csv']),
      })
      .strict()
      .refine((v) => v.ids !== undefined || v.filter !== undefined, 'export needs ids or a filter'),
    output: out<{ fileName: string; mime: string; base64: string; rowCount: number }>(),
  },
  /** Mark orders shipped with a carrier and waybill, and queue the platform's online send. */
  'orders.ship': batchCommand(SHIPPERS, z.object({ items: z.array(shipItemSchema).min(1).max(2000) }).strict()),
  /** 批量发货: ship orders with the waybills already allocated to their packages (printed on their labels). */
  'orders.shipPrinted': batchCommand(SHIPPERS, z.object({ ids: z.array(id).min(1).max(20_000) }).strict()),
  /** Decrypt one order's receiver through the platform (audited, with a reason). */
  'orders.revealReceiver': {
    kind: 'command',
    roles: DESK,
    input: z.object({ id, reason }).strict(),
    output: out<RevealedReceiver>(),
  },
} as const satisfies Record<string, MethodDecl>;
export type OrdersMethod = keyof typeof ordersMethods;
