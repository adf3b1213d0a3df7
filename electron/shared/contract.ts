// The one API contract: every method the renderer, CLI and tests may call, with its zod input,
// its output type, who may call it, and whether it changes state. One implementation
// (electron/core/api/handlers.ts) serves it over IPC, HTTP+WebSocket and in-process.
import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from './carriers.ts';
import {
  ABNORMAL_REASONS,
  AFTER_SALE_STATES,
  FULFILMENT_STAGES,
  ORDER_STATUSES,
  ORDER_TYPES,
  PLATFORMS,
  QUEUES,
  ROLES,
  type AbnormalReason,
  type AfterSaleState,
  type FulfilmentStage,
  type OrderStatus,
  type OrderType,
  type Platform,
  type Queue,
  type Role,
} from './model.ts';

const id = z.string().min(1).max(64);
const ids = z.array(id).min(1, 'select at least one order').max(200_000);
const epochMs = z.number().int().nonnegative();
const reason = z.string().trim().min(1, 'a reason is required').max(200);

export const ORDER_SORT_FIELDS = ['paidAt', 'createdAt', 'platformUpdatedAt', 'paidFen', 'itemCount', 'receiverProvince', 'buyerNick'] as const;
export type OrderSortField = (typeof ORDER_SORT_FIELDS)[number];

/** Every filter of the workbench's filter bar and search box; the CLI uses the same one. */
export const orderFilterSchema = z
  .object({
    /** A status tab; 'all' or absent = every order, 'abnormal' = any abnormal reason. */
    queue: z.enum([...QUEUES, 'all', 'abnormal']).optional(),
    statuses: z.array(z.enum(ORDER_STATUSES)).optional(),
    shopIds: z.array(id).optional(),
    platforms: z.array(z.enum(PLATFORMS)).optional(),
    createdFrom: epochMs.optional(),
    createdTo: epochMs.optional(),
    paidFrom: epochMs.optional(),
    paidTo: epochMs.optional(),
    provinces: z.array(z.string().min(1)).optional(),
    sellerFlags: z.array(z.number().int().min(0).max(5)).optional(),
    tagIds: z.array(id).optional(),
    hasBuyerMessage: z.boolean().optional(),
    hasSellerMemo: z.boolean().optional(),
    orderType: z.enum(ORDER_TYPES).optional(),
    /** Product title fragment or outer SKU code. */
    sku: z.string().trim().min(1).max(100).optional(),
    /** Orders with any of these abnormal reasons. */
    abnormal: z.array(z.enum(ABNORMAL_REASONS)).optional(),
    unread: z.boolean().optional(),
    /** The search box: order number, buyer nick, receiver name, phone last four, address, title, outer SKU code. */
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export type OrderFilter = z.infer<typeof orderFilterSchema>;

export const orderSortSchema = z.object({
  field: z.enum(ORDER_SORT_FIELDS),
  dir: z.enum(['asc', 'desc']),
});
export type OrderSort = z.infer<typeof orderSortSchema>;

const receiverEditSchema = z
  .object({
    name: z.string().trim().min(1).max(50),
    phone: z.string().trim().min(1).max(30),
    province: z.string().trim().min(1).max(20),
    city: z.string().trim().min(1).max(30),
    district: z.string().trim().min(1).max(30),
    town: z.string().trim().max(30).nullable(),
    address: z.string().trim().min(1).max(200),
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

/** Platforms a person can connect with credentials (the sandbox needs none). */
export const CONNECTABLE_PLATFORMS = ['taobao', 'tmall', 'pdd', 'jd', 'douyin', 'kuaishou'] as const;
export type ConnectablePlatform = (typeof CONNECTABLE_PLATFORMS)[number];

const credential = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim().min(1, `${what} must not be empty`).max(4096, `${what} is too long`);

/** Connecting a seller account. The secrets in it never reach the ops row or the audit log. */
export const shopAddSchema = z
  .object({
    platform: z.enum(CONNECTABLE_PLATFORMS, { error: `platform must be one of: ${CONNECTABLE_PLATFORMS.join(', ')}` }),
    name: z.string({ error: 'shop name is required' }).trim().min(1, 'shop name must not be empty').max(50, 'shop name is at most 50 characters'),
    appKey: credential('app key'),
    appSecret: credential('app secret'),
    accessToken: credential('access token'),
    refreshToken: credential('refresh token').optional(),
    /** Overrides the platform's production gateway (sandbox, proxies). */
    gateway: z
      .string({ error: 'gateway must be an http(s) URL' })
      .trim()
      .regex(/^https?:\/\/\S+$/, 'gateway must be an http(s) URL')
      .max(500, 'gateway is too long')
      .optional(),
  })
  .strict();

const gatewayUrl = z
  .string({ error: 'gateway must be an http(s) URL' })
  .trim()
  .regex(/^https?:\/\/\S+$/, 'gateway must be an http(s) URL')
  .max(500, 'gateway is too long');

/** Editing a shop's connection settings (not its secrets: re-authorise or shops.updateCredentials). */
export const shopUpdateSchema = z
  .object({
    id,
    name: z.string().trim().min(1, 'shop name must not be empty').max(50, 'shop name is at most 50 characters').optional(),
    /** null: back to the platform's production gateway. */
    gateway: gatewayUrl.nullable().optional(),
    syncIntervalMinutes: z.number().int().min(1, 'sync at most every minute').max(1440, 'sync at least once a day').optional(),
    backfillDays: z.number().int().min(1).max(90, 'platforms keep at most 90 days').optional(),
  })
  .strict();

/** Tokens pasted by hand (re-authorise without the browser flow), optionally with a new app secret. */
export const shopCredentialsSchema = z
  .object({
    id,
    appKey: credential('app key').optional(),
    appSecret: credential('app secret').optional(),
    accessToken: credential('access token'),
    refreshToken: credential('refresh token').optional(),
    /** When the access token expires (epoch ms), if the platform said. */
    accessTokenExpiresAt: epochMs.optional(),
  })
  .strict();

export const PUSH_STATES = ['pending', 'sending', 'confirmed', 'failed', 'conflict', 'superseded'] as const;
export type PushState = (typeof PUSH_STATES)[number];

const shipItemSchema = z
  .object({
    id,
    carrierCode: z.enum(CARRIER_CODES, { error: `carrier must be one of: ${CARRIER_CODES.join(', ')}` }),
    waybillNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{6,40}$/, 'a waybill number is 6–40 letters, digits or dashes'),
  })
  .strict();

/** Method definitions: input schema, roles, and kind. Output types live in ApiOutputs below. */
export const methods = {
  'session.whoami': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'shops.list': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'shops.add': { kind: 'command', roles: ['owner'], input: shopAddSchema },
  'shops.pause': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ id }).strict() },
  'shops.resume': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ id }).strict() },
  'tags.list': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'tags.create': {
    kind: 'command',
    roles: ['owner', 'operator', 'service'],
    input: z.object({ name: z.string().trim().min(1).max(20), color: z.string().regex(/^#[0-9a-f]{6}$/i).optional() }).strict(),
  },
  'catalog.provinces': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'orders.list': {
    kind: 'query',
    roles: ROLES,
    input: z
      .object({
        filter: orderFilterSchema.default({}),
        sort: orderSortSchema.default({ field: 'paidAt', dir: 'desc' }),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
        /** Skip the total count (the CLI and follow-up pages do not need it). */
        withTotal: z.boolean().default(true),
      })
      .strict(),
  },
  'orders.counts': { kind: 'query', roles: ROLES, input: z.object({ filter: orderFilterSchema.default({}) }).strict() },
  'orders.ids': {
    kind: 'query',
    roles: ROLES,
    input: z.object({ filter: orderFilterSchema.default({}), sort: orderSortSchema.optional() }).strict(),
  },
  'orders.get': { kind: 'query', roles: ROLES, input: z.object({ id }).strict() },
  'orders.markRead': { kind: 'command', roles: ROLES, input: z.object({ ids, read: z.boolean().default(true) }).strict() },
  'orders.tag': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z
      .object({ ids, add: z.array(id).default([]), remove: z.array(id).default([]) })
      .strict()
      .refine((v) => v.add.length + v.remove.length > 0, 'add or remove at least one tag'),
  },
  'orders.setFlag': {
    kind: 'command',
    roles: ['owner', 'operator', 'service'],
    input: z
      .object({
        ids,
        flag: z.number().int().min(0).max(5).optional(),
        memo: z.string().max(500).nullable().optional(),
      })
      .strict()
      .refine((v) => v.flag !== undefined || v.memo !== undefined, 'set a flag, a memo, or both'),
  },
  'orders.hold': { kind: 'command', roles: ['owner', 'operator', 'service', 'packer'], input: z.object({ ids, reason }).strict() },
  'orders.release': { kind: 'command', roles: ['owner', 'operator', 'service'], input: z.object({ ids }).strict() },
  'orders.close': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ ids, reason }).strict() },
  'orders.review': { kind: 'command', roles: ['owner', 'operator', 'service'], input: z.object({ ids }).strict() },
  'orders.editAddress': {
    kind: 'command',
    roles: ['owner', 'operator', 'service'],
    input: z.object({ id, receiver: receiverEditSchema, reason: z.string().trim().max(200).optional() }).strict(),
  },
  'orders.addNote': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z.object({ id, body: z.string().trim().min(1).max(1000) }).strict(),
  },
  'orders.requestChange': {
    kind: 'command',
    roles: ['owner', 'operator', 'service'],
    input: z
      .object({
        id,
        lineNo: z.number().int().min(1),
        kind: z.enum(['price', 'quantity']),
        /** New unit price in fen, or new quantity. */
        value: z.number().int().min(0),
        reason,
      })
      .strict(),
  },
  'changeRequests.list': {
    kind: 'query',
    roles: ROLES,
    input: z.object({ state: z.enum(['pending', 'approved', 'rejected']).optional(), orderId: id.optional() }).strict(),
  },
  'changeRequests.decide': {
    kind: 'command',
    roles: ['owner', 'operator'],
    input: z.object({ id, approve: z.boolean(), note: z.string().trim().max(200).optional() }).strict(),
  },
  'orders.export': {
    kind: 'query',
    roles: ['owner', 'operator', 'service', 'finance'],
    input: z
      .object({
        ids: z.array(id).max(200_000).optional(),
        filter: orderFilterSchema.optional(),
        columns: z.array(z.enum(EXPORT_COLUMNS)).min(1, 'choose at least one column'),
        format: z.enum(['xlsx', 'csv']),
      })
      .strict()
      .refine((v) => v.ids !== undefined || v.filter !== undefined, 'export needs ids or a filter'),
  },
  'sync.status': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'sync.now': { kind: 'command', roles: ROLES, input: z.object({ shopId: id.optional() }).strict() },
  /** The Shops page: every shop with its connection, schedule and sync health. */
  'shops.overview': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'shops.update': { kind: 'command', roles: ['owner', 'operator'], input: shopUpdateSchema },
  'shops.updateCredentials': { kind: 'command', roles: ['owner'], input: shopCredentialsSchema },
  /**
   * Begin the platform's OAuth authorisation: returns the URL to open in the system browser. The
   * code comes back on a loopback redirect (completing by itself) or is pasted into authorizeComplete.
   */
  'shops.authorizeStart': { kind: 'command', roles: ['owner'], input: z.object({ id }).strict() },
  /** Finish an authorisation with the pasted code, or the whole redirect URL that carries it. */
  'shops.authorizeComplete': {
    kind: 'command',
    roles: ['owner'],
    input: z.object({ id, state: z.string().min(1).max(200), code: z.string().trim().min(1, 'paste the code or the redirect URL').max(4096) }).strict(),
  },
  'sync.log': {
    kind: 'query',
    roles: ROLES,
    input: z.object({ shopId: id.optional(), errorsOnly: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  },
  'quarantine.list': {
    kind: 'query',
    roles: ROLES,
    input: z.object({ shopId: id.optional(), includeResolved: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
  },
  /** Map quarantined payloads again with the current adapter (after a fix or a data correction). */
  'quarantine.retry': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ ids: z.array(id).min(1).max(1000) }).strict() },
  'pushes.list': {
    kind: 'query',
    roles: ROLES,
    input: z
      .object({ states: z.array(z.enum(PUSH_STATES)).optional(), shopId: id.optional(), orderId: id.optional(), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
  },
  /** Send failed or conflicting push-backs again now (the same frozen content). */
  'pushes.retry': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ ids: z.array(id).min(1).max(1000) }).strict() },
  /** Mark orders shipped with a carrier and waybill, and queue the platform's online send. */
  'orders.ship': { kind: 'command', roles: ['owner', 'operator', 'packer'], input: z.object({ items: z.array(shipItemSchema).min(1).max(2000) }).strict() },
  /** Decrypt one order's receiver through the platform (audited, with a reason). */
  'orders.revealReceiver': { kind: 'command', roles: ['owner', 'operator', 'service'], input: z.object({ id, reason }).strict() },
} as const satisfies Record<string, { kind: 'query' | 'command'; roles: readonly Role[]; input: z.ZodType }>;

export type MethodName = keyof typeof methods;
export type ApiInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type ApiParsedInput<M extends MethodName> = z.output<(typeof methods)[M]['input']>;

export interface Actor {
  userId: string;
  name: string;
  role: Role;
}

export interface ShopSummary {
  id: string;
  name: string;
  platform: Platform;
  state: 'active' | 'paused' | 'auth_expired';
  orderCount: number;
}

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

export interface ShopSyncState {
  shopId: string;
  shopName: string;
  platform: Platform;
  state: ShopSummary['state'];
  lastSuccessAt: number | null;
  lastError: string | null;
  syncing: boolean;
}

export interface ShopOverview extends ShopSummary {
  appKey: string | null;
  /** The gateway override, or null for the platform's production gateway. */
  gateway: string | null;
  syncIntervalMs: number;
  backfillDays: number;
  /** Orders modified before this platform time are stored: lag = now - cursorMs. */
  cursorMs: number | null;
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  /** As recorded: "CODE: message". The renderer turns the code into words. */
  lastError: string | null;
  /** Payloads pulled since midnight (Asia/Shanghai). */
  pulledToday: number;
  quarantined: number;
  pendingPushes: number;
  failedPushes: number;
  syncing: boolean;
  /** When the access token expires, when known. */
  accessTokenExpiresAt: number | null;
  /** True when the platform's OAuth flow can be started from here (needs the shop's app key). */
  canAuthorize: boolean;
}

export interface SyncRunView {
  id: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  trigger: 'schedule' | 'manual' | 'backfill';
  startedAt: number;
  finishedAt: number | null;
  pulled: number;
  changed: number;
  quarantined: number;
  error: string | null;
}

export interface QuarantineView {
  id: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  platformOrderId: string | null;
  reason: string;
  receivedAt: number;
  resolvedAt: number | null;
  /** The raw payload as JSON, cut to 4,000 characters for display. */
  payloadPreview: string;
}

export interface PushView {
  id: string;
  orderId: string;
  platformOrderId: string;
  shopId: string;
  shopName: string;
  platform: Platform;
  kind: 'ship' | 'memo';
  /** The frozen content: { carrierCode, waybillNo } or { memo, flag }. */
  payload: { carrierCode: CarrierCode; waybillNo: string } | { memo: string | null; flag: number };
  state: PushState;
  attempts: number;
  nextAt: number;
  lastError: string | null;
  createdAt: number;
  doneAt: number | null;
}

export interface AuthorizeStart {
  /** Open this in the system browser. */
  url: string;
  /** The loopback URL the platform redirects to (registered as the app's callback). */
  redirectUri: string;
  state: string;
  /** The loopback listener gives up after this (epoch ms); pasting the code still works until then. */
  expiresAt: number;
}

export interface RevealedReceiver {
  name: string;
  phone: string;
  address: string;
}

export interface ApiOutputs {
  'session.whoami': Actor;
  'shops.list': ShopSummary[];
  /** The new shop (its secrets are stored encrypted and never returned). */
  'shops.add': ShopSummary;
  'shops.pause': ShopSummary;
  'shops.resume': ShopSummary;
  'tags.list': TagView[];
  'tags.create': TagView;
  'catalog.provinces': string[];
  /** totalCapped: a search matched more than the counted maximum (the total shown is that maximum). */
  'orders.list': { rows: OrderRow[]; total: number | null; totalCapped?: boolean };
  'orders.counts': OrderCounts;
  'orders.ids': { ids: string[]; truncated: boolean };
  'orders.get': OrderDetail;
  'orders.markRead': BatchResult;
  'orders.tag': BatchResult;
  'orders.setFlag': BatchResult;
  'orders.hold': BatchResult;
  'orders.release': BatchResult;
  'orders.close': BatchResult;
  'orders.review': BatchResult;
  'orders.editAddress': BatchResult;
  'orders.addNote': NoteView;
  'orders.requestChange': ChangeRequestView;
  'changeRequests.list': ChangeRequestView[];
  'changeRequests.decide': ChangeRequestView;
  'orders.export': { fileName: string; mime: string; base64: string; rowCount: number };
  'sync.status': ShopSyncState[];
  'sync.now': { started: string[] };
  'shops.overview': ShopOverview[];
  'shops.update': ShopSummary;
  'shops.updateCredentials': ShopSummary;
  'shops.authorizeStart': AuthorizeStart;
  'shops.authorizeComplete': ShopSummary;
  'sync.log': SyncRunView[];
  'quarantine.list': QuarantineView[];
  'quarantine.retry': { resolved: number; failed: { id: string; reason: string }[] };
  'pushes.list': PushView[];
  'pushes.retry': { requeued: number };
  'orders.ship': BatchResult;
  'orders.revealReceiver': RevealedReceiver;
}
export type ApiOutput<M extends MethodName> = ApiOutputs[M];

/** Events the core pushes to every connected renderer. */
export interface ApiEvents {
  /** After each commit: which tables changed, so open queries that read them refresh. */
  'db.changed': { tables: string[] };
  'sync.progress': { shopId: string; phase: 'start' | 'page' | 'done' | 'error'; pulled: number; message?: string };
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES = ['db.changed', 'sync.progress'] as const satisfies readonly EventName[];

/** The surface every transport exposes to the renderer (window.shopfleet in Electron). */
export interface ShopfleetBridge {
  call<M extends MethodName>(name: M, input: ApiInput<M>): Promise<import('./result.ts').Result<ApiOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
