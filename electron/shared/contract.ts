// The one API contract: every method the renderer, CLI and tests may call, with its zod input,
// its output type, who may call it, and whether it changes state. One implementation
// (electron/core/api/handlers.ts) serves it over IPC, HTTP+WebSocket and in-process.
import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from './carriers.ts';
import { carrierLabelSettingsSchema, labelSettingsTargetSchema, LABEL_TEMPLATE_IDS, type LabelSettings, type LabelTemplateId } from './label-settings.ts';
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
import { MAX_LINE_QUANTITY, MAX_ORDER_FEN } from './limits.ts';
import { lineText, multilineText, nameSchema } from './text-guard.ts';

// Every input is bounded here: strings by length, lists by size, numbers by range. Lists of ids
// reach SQL through electron/core/db/chunk.ts, so their cap is about work, not SQL's variable limit.
const id = z.string().min(1).max(64);
/** A batch of orders: as many as a station holds (select all in the workbench), never unbounded. */
export const MAX_BATCH_IDS = 200_000;
const ids = z.array(id).min(1, 'select at least one order').max(MAX_BATCH_IDS, `at most ${MAX_BATCH_IDS.toLocaleString('en-US')} orders at once`);
/** Up to 2100-01-01: anything later is a typo or an attack, not a date. */
export const MAX_EPOCH_MS = 4_102_444_800_000;
const epochMs = z.number().int().nonnegative().max(MAX_EPOCH_MS, 'a time before the year 2100');
const reason = lineText(z.string().trim().min(1, 'a reason is required').max(200, 'a reason is at most 200 characters'));
/** An optional one-line note or reason (may be empty). */
const optionalLine = (max: number) => lineText(z.string().trim().max(max, `at most ${max} characters`)).optional();
/** The most shops a filter may name: far more than any shop group runs. */
export const MAX_FILTER_SHOPS = 2000;
/** A list of values of one enumeration: each at most a few times over. */
const enumList = <T extends readonly [string, ...string[]]>(values: T) => z.array(z.enum(values)).max(64, 'at most 64 values');

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
    name: nameSchema('shop name', 50),
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

const gatewayUrl = lineText(
  z
    .string({ error: 'gateway must be an http(s) URL' })
    .trim()
    .regex(/^https?:\/\/\S+$/, 'gateway must be an http(s) URL')
    .max(500, 'gateway is too long'),
);

/** Editing a shop's connection settings (not its secrets: re-authorise or shops.updateCredentials). */
export const shopUpdateSchema = z
  .object({
    id,
    name: nameSchema('shop name', 50).optional(),
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
      .max(40, 'a waybill number is 6–40 letters, digits or dashes')
      .regex(/^[A-Za-z0-9-]{6,40}$/, 'a waybill number is 6–40 letters, digits or dashes'),
  })
  .strict();

/** Pick lists and packing slips: which orders, as what. ESC/POS width is the receipt paper (58 or 80 mm; default 80). */
export const printDocRenderSchema = z
  .object({
    ids: z.array(id).min(1, 'select at least one order').max(5000, 'at most 5,000 orders per document'),
    format: z.enum(['pdf', 'escpos'], { error: 'format must be pdf or escpos' }),
    width: z.union([z.literal(58), z.literal(80)], { error: 'receipt width must be 58 or 80 (mm)' }).optional(),
  })
  .strict();

/** Queueing a pick list / packing slips on a printer; without printerId, the printer assigned to that document type. */
export const printDocQueueSchema = z
  .object({
    ids: z.array(id).min(1, 'select at least one order').max(5000, 'at most 5,000 orders per document'),
    printerId: id.optional(),
    /** The caller's id for this request: the same requestId again returns the job already queued. */
    requestId: lineText(z.string().trim().min(1).max(100)).optional(),
  })
  .strict();

/** When the platform is told "shipped": when the label is printed, when the parcel is scan-verified, or only by orders.ship. */
export const SHIP_ON_CHOICES = ['print', 'scan', 'manual'] as const;
export type ShipOn = (typeof SHIP_ON_CHOICES)[number];

// ---- Printing (issue 4): shapes the printers page, the print queue and the batch dialog share ----
export const PRINTER_LANGUAGES = ['tspl', 'zpl', 'escpos', 'pdf'] as const;
export type PrinterLanguage = (typeof PRINTER_LANGUAGES)[number];
export const PRINTER_DOCUMENT_TYPES = ['waybill', 'pick_list', 'packing_slip'] as const;
export type PrinterDocumentType = (typeof PRINTER_DOCUMENT_TYPES)[number];
export const PRINT_JOB_STATES = ['queued', 'sending', 'sent', 'confirmed', 'failed', 'uncertain', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];
/** A job in one of these holds its printer's lane: nothing after it prints until a person acts (queue.ts nextJob). */
export const LANE_HOLDING_STATES = ['failed', 'uncertain'] as const satisfies readonly PrintJobState[];
export const LABEL_TEMPLATES = ['76x130', '100x150', '100x180'] as const;
export type LabelTemplate = (typeof LABEL_TEMPLATES)[number];
/** The order a batch prints in (and so the seq/total each label carries). */
export const PRINT_SORTS = ['sku', 'shop', 'paidAt', 'province'] as const;
export type PrintSort = (typeof PRINT_SORTS)[number];
/** Why an order may not print in a batch (print.precheck, print.labels). */
export const PRINT_PROBLEMS = [
  'not_found',
  'unpaid',
  'closed',
  'shipped',
  'held',
  'refund_requested',
  'address_incomplete',
  'pending_review',
  'already_printed',
] as const;
export type PrintProblem = (typeof PRINT_PROBLEMS)[number];

/**
 * A printer's settings: the keys the core knows, typed and ranged (printing/printers.ts checks them
 * again), plus at most a few flat extras (a string, number or boolean each) — never a nested tree.
 */
const printerSettingScalar = z.union([z.string().max(200, 'at most 200 characters'), z.number().min(-1e9).max(1e9), z.boolean(), z.null()], {
  error: 'a printer setting is a text, a number or true/false',
});
const printerSettingsInput = z
  .object({
    offsetXDots: z.number().int().min(-400).max(400),
    offsetYDots: z.number().int().min(-400).max(400),
    widthMm: z.number().min(20).max(220),
    heightMm: z.number().min(10).max(400),
    gapMm: z.number().min(0).max(20),
    timeoutMs: z.number().int().min(1000).max(120_000),
    statusQuery: z.boolean(),
    template: z.enum(LABEL_TEMPLATES),
  })
  .partial()
  .catchall(printerSettingScalar)
  .superRefine((v, ctx) => {
    const keys = Object.keys(v);
    if (keys.length > 32) ctx.addIssue({ code: 'custom', message: 'at most 32 printer settings' });
    for (const k of keys) if (k.length > 64) ctx.addIssue({ code: 'custom', path: [k.slice(0, 64)], message: 'a setting name is at most 64 characters' });
  });
const printerFieldsSchema = {
  name: lineText(z.string().trim().min(1, '请填写打印机名称').max(40, '打印机名称最多 40 个字')),
  uri: lineText(z.string().trim().min(1, '请填写打印机地址').max(300, '打印机地址最多 300 个字符')),
  lang: z.enum(PRINTER_LANGUAGES, { error: '打印语言应为 tspl、zpl、escpos 或 pdf' }),
  dpi: z.number({ error: '分辨率应为 203 或 300 dpi' }).int().min(203, '分辨率应为 203 或 300 dpi').max(300, '分辨率应为 203 或 300 dpi').refine((d) => d === 203 || d === 300, '分辨率应为 203 或 300 dpi'),
  documents: z.array(z.enum(PRINTER_DOCUMENT_TYPES)).max(PRINTER_DOCUMENT_TYPES.length, '单据类型有重复'),
  settings: printerSettingsInput,
};
export const printerAddSchema = z
  .object({ ...printerFieldsSchema, dpi: printerFieldsSchema.dpi.default(203), documents: printerFieldsSchema.documents.default([]), settings: printerSettingsInput.default({}) })
  .strict();
export const printerPatchSchema = z.object(printerFieldsSchema).partial().strict();

export const waybillAccountAddSchema = z
  .object({
    name: nameSchema('account name', 60),
    carrierCode: z.enum(CARRIER_CODES, { error: `carrier must be one of: ${CARRIER_CODES.join(', ')}` }),
    kind: z.enum(['platform', 'pool']),
    shopId: id.nullable().default(null),
    sender: z
      .object({
        name: nameSchema('sender name', 40),
        mobile: z.string().trim().max(20, 'a phone number').regex(/^[0-9+\- ]{6,20}$/, 'a phone number'),
        province: lineText(z.string().trim().min(1).max(20)),
        city: lineText(z.string().trim().min(1).max(30)),
        district: lineText(z.string().trim().max(30)).default(''),
        address: lineText(z.string().trim().min(1).max(200)),
      })
      .strict()
      .nullable()
      .default(null),
    shopIds: z.array(id).max(MAX_FILTER_SHOPS, `at most ${MAX_FILTER_SHOPS} shops`).default([]),
    options: z
      .record(lineText(z.string().min(1).max(64)), lineText(z.string().max(2000, 'an option is at most 2,000 characters')))
      .refine((o) => Object.keys(o).length <= 32, 'at most 32 options')
      .default({}),
  })
  .strict();

/** The serial part of a waybill number range (digits after the prefix): 15 digits at most. */
export const MAX_WAYBILL_SERIAL = 999_999_999_999_999;
/** Numbers one range adds (waybills/pool.ts MAX_RANGE checks it again). */
export const MAX_WAYBILL_RANGE = 1_000_000;

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
    input: z.object({ name: nameSchema('tag name', 20), color: z.string().max(7).regex(/^#[0-9a-f]{6}$/i).optional() }).strict(),
  },
  'catalog.provinces': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'orders.list': {
    kind: 'query',
    roles: ROLES,
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
  },
  'orders.counts': { kind: 'query', roles: ROLES, input: z.object({ filter: orderFilterSchema.default({}) }).strict() },
  'orders.ids': {
    kind: 'query',
    roles: ROLES,
    input: z
      .object({
        filter: orderFilterSchema.default({}),
        sort: orderSortSchema.optional(),
        /** Only which of these orders the filter still matches (a selection after a batch action). */
        within: z.array(id).max(MAX_BATCH_IDS).optional(),
      })
      .strict(),
  },
  /** Orders per shop under the filter (the counts beside each shop in the shop filter). */
  'orders.shopCounts': { kind: 'query', roles: ROLES, input: z.object({ filter: orderFilterSchema.default({}) }).strict() },
  'filterPresets.list': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  /** Save the filter under a name; an existing preset of that name is overwritten. */
  'filterPresets.save': {
    kind: 'command',
    roles: ROLES,
    input: z.object({ name: presetName, filter: orderFilterSchema, relative: presetRelativeSchema }).strict(),
  },
  'filterPresets.rename': { kind: 'command', roles: ROLES, input: z.object({ id, name: presetName }).strict() },
  'filterPresets.delete': { kind: 'command', roles: ROLES, input: z.object({ id }).strict() },
  'orders.get': { kind: 'query', roles: ROLES, input: z.object({ id }).strict() },
  'orders.markRead': { kind: 'command', roles: ROLES, input: z.object({ ids, read: z.boolean().default(true) }).strict() },
  'orders.tag': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z
      .object({ ids, add: z.array(id).max(100, 'at most 100 tags at once').default([]), remove: z.array(id).max(100, 'at most 100 tags at once').default([]) })
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
        memo: multilineText(z.string().max(500, 'a memo is at most 500 characters')).nullable().optional(),
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
    input: z.object({ id, receiver: receiverEditSchema, reason: optionalLine(200) }).strict(),
  },
  'orders.addNote': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z.object({ id, body: multilineText(z.string().trim().min(1).max(1000, 'a note is at most 1,000 characters')) }).strict(),
  },
  'orders.requestChange': {
    kind: 'command',
    roles: ['owner', 'operator', 'service'],
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
  },
  'changeRequests.list': {
    kind: 'query',
    roles: ROLES,
    input: z.object({ state: z.enum(['pending', 'approved', 'rejected']).optional(), orderId: id.optional() }).strict(),
  },
  'changeRequests.decide': {
    kind: 'command',
    roles: ['owner', 'operator'],
    input: z.object({ id, approve: z.boolean(), note: optionalLine(200) }).strict(),
  },
  'orders.export': {
    kind: 'query',
    roles: ['owner', 'operator', 'service', 'finance'],
    input: z
      .object({
        ids: z.array(id).max(MAX_BATCH_IDS, `at most ${MAX_BATCH_IDS.toLocaleString('en-US')} orders at once`).optional(),
        filter: orderFilterSchema.optional(),
        columns: z.array(z.enum(EXPORT_COLUMNS)).min(1, 'choose at least one column').max(EXPORT_COLUMNS.length * 2, 'a column at most twice'),
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
      .object({ states: enumList(PUSH_STATES).optional(), shopId: id.optional(), orderId: id.optional(), limit: z.number().int().min(1).max(1000).default(200) })
      .strict(),
  },
  /** Send failed or conflicting push-backs again now (the same frozen content). */
  'pushes.retry': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ ids: z.array(id).min(1).max(1000) }).strict() },
  /** Mark orders shipped with a carrier and waybill, and queue the platform's online send. */
  'orders.ship': { kind: 'command', roles: ['owner', 'operator', 'packer'], input: z.object({ items: z.array(shipItemSchema).min(1).max(2000) }).strict() },
  /** 批量发货: ship orders with the waybills already allocated to their packages (printed on their labels). */
  'orders.shipPrinted': { kind: 'command', roles: ['owner', 'operator', 'packer'], input: z.object({ ids: z.array(id).min(1).max(20_000) }).strict() },
  /** Decrypt one order's receiver through the platform (audited, with a reason). */
  'orders.revealReceiver': { kind: 'command', roles: ['owner', 'operator', 'service'], input: z.object({ id, reason }).strict() },
  /** One package's trace timeline, or every package of one order (newest event first per package). */
  'tracking.list': {
    kind: 'query',
    roles: ROLES,
    input: z.union([z.object({ packageId: id }).strict(), z.object({ orderId: id }).strict()]),
  },
  /** Import trace events from a carrier CSV (waybill no., time, status text, description, location). */
  'tracking.import': {
    kind: 'command',
    roles: ['owner', 'operator', 'service'],
    input: z
      .object({
        fileName: lineText(z.string().trim().min(1).max(255)),
        base64: z.string().min(1).max(70_000_000),
        /** Import the good rows and report the bad ones; false = nothing is imported while any row is bad. */
        skipBad: z.boolean().default(false),
      })
      .strict(),
  },
  /** Shipped packages whose trace looks wrong (stale, returned, odd signing), oldest problem first. */
  'tracking.exceptions': {
    kind: 'query',
    roles: ROLES,
    input: z.object({ limit: z.number().int().min(1).max(5000).default(500) }).strict().default({ limit: 500 }),
  },
  /** Transit time (shipped → signed) by carrier and receiver province, for packages shipped in [from, to). */
  'tracking.scorecard': {
    kind: 'query',
    roles: ['owner', 'operator', 'finance'],
    input: z.object({ from: epochMs, to: epochMs }).strict(),
  },
  /** A pick list (拣货单) for orders: lines aggregated by outer SKU code, sorted by location; A4 PDF or ESC/POS bytes for a 58/80 mm receipt printer. */
  'pickList.render': { kind: 'query', roles: ['owner', 'operator', 'service', 'packer'], input: printDocRenderSchema },
  /** Packing slips (发货单), one per order, receiver as stored (masked); A4 PDF or ESC/POS bytes. */
  'packingSlips.render': { kind: 'query', roles: ['owner', 'operator', 'service', 'packer'], input: printDocRenderSchema },
  /** Queue a pick list on a printer (default: the one assigned to pick lists). requestId makes a retried call queue nothing new. */
  'print.pickList': { kind: 'command', roles: ['owner', 'operator', 'service', 'packer'], input: printDocQueueSchema },
  /** Queue packing slips on a printer (default: the one assigned to packing slips). */
  'print.packingSlips': { kind: 'command', roles: ['owner', 'operator', 'service', 'packer'], input: printDocQueueSchema },
  /** The label template settings (面单模板): the default and each carrier's own. */
  'labels.settings': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  /** Set one carrier's label settings (or the default); settings null = that carrier follows the default again. */
  'labels.updateSettings': {
    kind: 'command',
    roles: ['owner', 'operator'],
    input: z.object({ carrier: labelSettingsTargetSchema, settings: carrierLabelSettingsSchema.nullable() }).strict(),
  },
  /**
   * A label as the printer gets it (the 1-bit raster at its DPI) as a PNG: an order's, or a 样张 sample.
   * settings = unsaved edits for a live preview; printerId applies that printer's DPI and calibration offset.
   */
  'labels.preview': {
    kind: 'query',
    roles: ROLES,
    input: z
      .object({
        orderId: id.optional(),
        carrierCode: z.enum(CARRIER_CODES).optional(),
        template: z.enum(LABEL_TEMPLATE_IDS).optional(),
        settings: carrierLabelSettingsSchema.optional(),
        dpi: z.union([z.literal(203), z.literal(300)], { error: 'dpi must be 203 or 300' }).optional(),
        printerId: id.optional(),
      })
      .strict(),
  },
  /** The same label as a vector PDF (pdf-lib, CJK subset): an order's, or a sample. */
  'labels.previewPdf': {
    kind: 'query',
    roles: ROLES,
    input: z
      .object({
        orderId: id.optional(),
        sample: z.literal(true).optional(),
        carrierCode: z.enum(CARRIER_CODES).optional(),
        template: z.enum(LABEL_TEMPLATE_IDS).optional(),
        settings: carrierLabelSettingsSchema.optional(),
      })
      .strict()
      .refine((v) => (v.orderId !== undefined) !== (v.sample === true), 'pass an orderId or sample: true (not both)'),
  },
  /**
   * Scan verification (验货): a waybill number (or platform order number) scanned at the packing
   * station → the package, its order's lines with expected/scanned counts and codes, and an
   * intercept verdict (拦截: refund, closed, held). Starts (or resumes) the package's scan session.
   */
  'packing.scanWaybill': {
    kind: 'query',
    roles: ['owner', 'operator', 'packer'],
    input: z
      .object({
        code: z.string().trim().min(1, 'scan a waybill or order number').max(64),
        /** Typed or pasted, not read by a scanner: the waybill then proves no label exists (no scan-back). */
        keyed: z.boolean().optional(),
      })
      .strict(),
  },
  /** One item barcode / outer SKU code scanned into a package: the matched line, or a refusal (wrong, extra, unknown) as a result. */
  'packing.scanItem': {
    kind: 'query',
    roles: ['owner', 'operator', 'packer'],
    input: z.object({ packageId: id, code: z.string().trim().min(1, 'scan an item').max(64) }).strict(),
  },
  /** Every line scanned: mark the package verified (已验货), and ship it when the station ships on scan. Refused (a result) when incomplete or intercepted. */
  'packing.complete': { kind: 'command', roles: ['owner', 'operator', 'packer'], input: z.object({ packageId: id }).strict() },
  /** The packing station's settings: mandatory verification, and when the platform is told "shipped". */
  'station.settings': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'station.updateSettings': {
    kind: 'command',
    roles: ['owner', 'operator'],
    input: z
      .object({
        verificationRequired: z.boolean().optional(),
        shipOn: z.enum(SHIP_ON_CHOICES).optional(),
        prefetchWaybills: z.boolean().optional(),
        autoReviewClean: z.boolean().optional(),
      })
      .strict()
      .refine(
        (v) => v.verificationRequired !== undefined || v.shipOn !== undefined || v.prefetchWaybills !== undefined || v.autoReviewClean !== undefined,
        'change at least one setting',
      ),
  },
  // ---- Printers, the print queue, waybill accounts and batch printing (issue 4; print-api) ----
  'printers.list': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'printers.add': { kind: 'command', roles: ['owner', 'operator'], input: printerAddSchema },
  'printers.update': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ id, patch: printerPatchSchema }).strict() },
  /** Only a printer that has never printed (its jobs are the history); pause it otherwise. */
  'printers.remove': { kind: 'command', roles: ['owner', 'operator'], input: z.object({ id }).strict() },
  /** A packer must be able to stop a lane at once (paper jam, wrong stock). */
  'printers.setPaused': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z.object({ id, paused: z.boolean(), reason: optionalLine(200) }).strict(),
  },
  'printers.testPrint': { kind: 'command', roles: ['owner', 'operator', 'service', 'packer'], input: z.object({ id }).strict() },
  /** Asks the printer over its own link when that link is bidirectional (TSPL/ESC-POS/ZPL status). */
  'printers.status': { kind: 'query', roles: ROLES, input: z.object({ id }).strict() },
  /** CUPS queues (`lpstat -e`, `lpstat -v`) where CUPS is installed, and /dev/usb/lp* device files — nothing else (no network scan). */
  'printers.discover': { kind: 'query', roles: ['owner', 'operator'], input: z.object({}).strict() },
  /** A folder printer's newest labels, with the pictures, for the on-screen preview (labels carry buyers' addresses: not finance). */
  'printers.output': {
    kind: 'query',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z.object({ id, limit: z.number().int().min(1).max(20).default(6) }).strict(),
  },
  /** Newest first. */
  'printJobs.list': {
    kind: 'query',
    roles: ROLES,
    input: z
      .object({
        printerId: id.optional(),
        states: enumList(PRINT_JOB_STATES).optional(),
        batchId: id.optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
  },
  'printJobs.retry': { kind: 'command', roles: ['owner', 'operator', 'service', 'packer'], input: z.object({ id }).strict() },
  'printJobs.cancel': { kind: 'command', roles: ['owner', 'operator', 'service', 'packer'], input: z.object({ id, reason: optionalLine(200) }).strict() },
  /** An explicit reprint (same waybill, marked 重打): needs a reason; counted and limited by role. */
  'printJobs.reprint': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z.object({ id, reason: lineText(z.string().trim().min(2, '重打需要填写原因（至少 2 个字）').max(200, '原因最多 200 个字')), printerId: id.optional(), idemKey: z.string().trim().min(1).max(200).optional() }).strict(),
  },
  /** A job a crash left 'uncertain': 'printed' confirms it, 'reprint' queues a marked reprint. */
  'printJobs.resolveUncertain': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z.object({ id, resolution: z.enum(['printed', 'reprint']) }).strict(),
  },
  'waybillAccounts.list': { kind: 'query', roles: ROLES, input: z.object({}).strict() },
  'waybillAccounts.add': { kind: 'command', roles: ['owner', 'operator'], input: waybillAccountAddSchema },
  /** Add prefix + start..end (zero-padded to width) to a pool account. */
  'waybillAccounts.addRange': {
    kind: 'command',
    roles: ['owner', 'operator'],
    input: z
      .object({
        accountId: id,
        prefix: z.string().trim().regex(/^[A-Za-z0-9]*$/, '前缀只能是字母和数字').max(20).default(''),
        start: z.number().int().nonnegative().max(MAX_WAYBILL_SERIAL, '起始号最多 15 位数字'),
        end: z.number().int().nonnegative().max(MAX_WAYBILL_SERIAL, '结束号最多 15 位数字'),
        width: z.number().int().min(1).max(30).optional(),
        skipExisting: z.boolean().default(false),
      })
      .strict()
      .refine((v) => v.end >= v.start, '结束号不能小于起始号')
      .refine((v) => v.end - v.start < MAX_WAYBILL_RANGE, { path: ['end'], message: `一次最多添加 ${MAX_WAYBILL_RANGE.toLocaleString('en-US')} 个单号，请分段添加` }),
  },
  /** Numbers from an .xlsx or .csv file (first column); all-or-nothing unless skipBad. */
  'waybillAccounts.importNumbers': {
    kind: 'command',
    roles: ['owner', 'operator'],
    input: z
      .object({
        accountId: id,
        fileName: lineText(z.string().trim().min(1).max(255).regex(/\.(xlsx|csv|txt)$/i, '请导入 .xlsx 或 .csv 文件')),
        base64: z.string().min(1).max(70_000_000),
        skipBad: z.boolean().default(false),
      })
      .strict(),
  },
  /** Before a batch: what stops each order from printing, and orders it could be merged with. */
  'print.precheck': { kind: 'query', roles: ['owner', 'operator', 'service', 'packer'], input: z.object({ ids: z.array(id).min(1, 'select at least one order').max(20_000) }).strict() },
  /**
   * The batch print flow: pre-checks → packages → waybills (with print.progress) → one job per
   * package in the chosen order with seq/total. Re-running it on the same orders prints nothing
   * twice and allocates nothing twice; skipProblems=false refuses the batch while any order has a problem.
   */
  'print.labels': {
    kind: 'command',
    roles: ['owner', 'operator', 'service', 'packer'],
    input: z
      .object({
        ids: z.array(id).min(1, 'select at least one order').max(20_000),
        printerId: id,
        sortBy: z.enum(PRINT_SORTS).default('paidAt'),
        template: z.enum(LABEL_TEMPLATES).optional(),
        accountId: id.optional(),
        skipProblems: z.boolean().default(true),
      })
      .strict(),
  },
  'print.batch': { kind: 'query', roles: ROLES, input: z.object({ batchId: id }).strict() },
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
  /** Carrier and waybill number of each parcel that has one (快递 / 面单号), first parcel first. */
  waybills: OrderWaybill[];
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
  /** Orders kept although part of their payload could not be read; the first messages say which and why. */
  warnings: number;
  warningSamples: string[];
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

/** Where a package's trace stands (packages.tracking_state). */
export const TRACKING_STATES = ['none', 'collected', 'in_transit', 'delivering', 'signed', 'returned', 'exception'] as const;
export type TrackingState = (typeof TRACKING_STATES)[number];

/** One trace event of a package. */
export interface TraceEventView {
  at: number;
  status: Exclude<TrackingState, 'none'>;
  description: string;
  location: string | null;
  source: 'platform' | 'csv';
}

/** One package with its trace timeline (newest first). */
export interface PackageTraceView {
  packageId: string;
  orderId: string;
  seq: number;
  carrierCode: string;
  waybillNo: string | null;
  shippedAt: number | null;
  trackingState: TrackingState;
  lastTraceAt: number | null;
  signedAt: number | null;
  events: TraceEventView[];
}

/** One bad CSV row (1-based line number in the file, the header is line 1). */
export interface TraceImportLineError {
  line: number;
  waybillNo: string | null;
  reason: string;
}

export interface TraceImportResult {
  /** Rows read (not counting the header). */
  rows: number;
  /** New trace events written. */
  imported: number;
  /** Rows that were already recorded (same package, time and description). */
  duplicates: number;
  /** Packages whose tracking state was recomputed. */
  packages: number;
  /** The first 100 bad rows by line; errorCount counts them all. */
  errors: TraceImportLineError[];
  errorCount: number;
  /** False when there were bad rows and skipBad was off: nothing was written. */
  committed: boolean;
}

export const TRACKING_EXCEPTION_REASONS = ['stale_warning', 'stale_exception', 'returned', 'carrier_exception', 'signed_before_shipped', 'signed_by_proxy'] as const;
export type TrackingExceptionReason = (typeof TRACKING_EXCEPTION_REASONS)[number];

export interface TrackingExceptionView {
  packageId: string;
  orderId: string;
  platformOrderId: string;
  shopName: string;
  carrierCode: string;
  waybillNo: string | null;
  reason: TrackingExceptionReason;
  /** warning: look soon; exception: act now. */
  severity: 'warning' | 'exception';
  /** Since when the problem stands (last trace or shipment for stale ones, the event otherwise), epoch ms. */
  since: number;
  /** now − since, ms. */
  ageMs: number;
  trackingState: TrackingState;
  lastDescription: string | null;
}

export interface TrackingExceptions {
  rows: TrackingExceptionView[];
  /** For the header badge: every package with an exception-severity problem (not capped by limit). */
  alertCount: number;
  warningCount: number;
}

export interface ScorecardRow {
  carrierCode: string;
  province: string;
  /** Packages shipped in the window. */
  shipped: number;
  /** Of those, signed for (they give the transit times). */
  signed: number;
  medianHours: number | null;
  p90Hours: number | null;
  /** Packages in the window with an exception (returned, carrier exception, stale ≥ 48 h, odd signing) ÷ shipped. */
  exceptionRate: number;
}

/** A rendered document to save or print: the file's bytes as base64. */
export interface RenderedDocument {
  fileName: string;
  /** application/pdf, or application/octet-stream for ESC/POS bytes. */
  mime: string;
  base64: string;
}

/** A pick list or packing slips put in a printer's queue. */
export interface PrintDocQueued {
  jobId: string;
  printerId: string;
  printerName: string;
  /** false: this requestId was queued before; that job is returned and nothing new is queued. */
  created: boolean;
}

/** A label preview: the PNG of exactly the bitmap the printer would get. */
export interface LabelPreview {
  pngBase64: string;
  widthPx: number;
  heightPx: number;
  template: LabelTemplateId;
  dpi: number;
  /** No waybill yet (or a made-up sample): the label carries 样张/SAMPLE. */
  sample: boolean;
  /** The carrier whose settings were used (null: the default). */
  carrierCode: CarrierCode | null;
}

/** The packing station's settings (electron/core/station/settings.ts), one JSON value in the meta table. */
export interface StationSettings {
  /** True: no route (orders.ship, ship on print) ships an order before its packages are scan-verified. */
  verificationRequired: boolean;
  shipOn: ShipOn;
  /** Allocate waybill numbers for printable orders in the background while online, so printing works offline. */
  prefetchWaybills: boolean;
  /** 自动审单: clean paid orders (orders/auto-review.ts) go from 待审核 to 待打单 as they arrive. */
  autoReviewClean: boolean;
  /** Read-only: the demo team set this station up, so its defaults are the demo's (shown as 演示). */
  demoStation: boolean;
}

/** Why a scanned parcel must not leave (拦截). */
export const INTERCEPT_REASONS = ['refund_requested', 'refund_in_progress', 'refunded', 'closed', 'held', 'package_cancelled'] as const;
export type InterceptReason = (typeof INTERCEPT_REASONS)[number];

export interface PackingIntercept {
  reason: InterceptReason;
  /** The hold or close reason as someone wrote it, when there is one. */
  detail: string | null;
  /** The label was printed before this was found: a parcel exists and must be pulled from the line. */
  afterPrint: boolean;
}

/** One order line at the packing station: what to put in, how many, and the codes that match it. */
export interface PackingLine {
  lineNo: number;
  title: string;
  skuName: string | null;
  /** The line's outer SKU code (商家编码) as the platform sent it. */
  outerSkuCode: string | null;
  /** The matched local SKU's barcode, when it has one. */
  barcode: string | null;
  /** The matched local SKU's location (储位). */
  location: string | null;
  imageUrl: string | null;
  isGift: boolean;
  isBundle: boolean;
  expected: number;
  scanned: number;
}

export interface PackingPackage {
  packageId: string;
  orderId: string;
  platformOrderId: string;
  shopName: string;
  platform: Platform;
  seq: number;
  /** The order's packages that are not cancelled. */
  packageCount: number;
  carrierCode: string;
  waybillNo: string | null;
  printedAt: number | null;
  verifiedAt: number | null;
  verifiedBy: string | null;
  orderStatus: OrderStatus;
  stage: FulfilmentStage;
  /** When the order was shipped (here or on the platform), else null. */
  shippedAt: number | null;
  buyerMessage: string | null;
  sellerMemo: string | null;
  receiverName: string;
  receiverProvince: string;
  receiverCity: string;
}

/** A package's scan session: its lines with counts so far, and whether it must be intercepted. */
export interface PackingScan {
  package: PackingPackage;
  lines: PackingLine[];
  intercept: PackingIntercept | null;
  /** Every line has its expected count scanned (or the package was verified before). */
  complete: boolean;
}

export type PackingScanWaybillResult =
  | { kind: 'package'; scan: PackingScan }
  /** No package has this waybill number and no order this platform number. */
  | { kind: 'not_found'; code: string }
  /** The order exists but has no package yet (no waybill allocated, nothing printed). */
  | { kind: 'no_package'; code: string; orderId: string; platformOrderId: string };

/** Why a scanned item was refused: not in this order, more than ordered, a code nobody knows, or the package cannot take scans. */
export const SCAN_REFUSALS = ['wrong_item', 'extra', 'unknown_code', 'intercepted', 'already_verified'] as const;
export type ScanRefusal = (typeof SCAN_REFUSALS)[number];

export type PackingScanItemResult =
  | { outcome: 'matched'; code: string; lineNo: number; scan: PackingScan }
  | {
      outcome: 'refused';
      reason: ScanRefusal;
      code: string;
      /** extra: the line that is already complete. */
      lineNo: number | null;
      /** wrong_item: the product the code belongs to (from the SKU list or another order's line). */
      itemTitle: string | null;
      scan: PackingScan;
    };

export type PackingCompleteResult =
  | {
      outcome: 'verified';
      verifiedAt: number;
      verifiedBy: string;
      /** It was verified before this call (a repeated complete changes nothing but may still ship). */
      alreadyVerified: boolean;
      /** The station ships on scan and orders.ship shipped the order now. */
      shipped: boolean;
      /** Ships on scan but orders.ship skipped it: its skip code (SHIP_SKIP_REASONS, or no_waybill). */
      shipSkipped: string | null;
      scan: PackingScan;
    }
  | { outcome: 'refused'; reason: 'incomplete' | 'intercepted'; scan: PackingScan };

/** A printer as the printers page shows it. */
export interface PrinterView {
  id: string;
  name: string;
  /** tcp://HOST:9100 | usb:/dev/usb/lp0 | cups:QUEUE | spooler:NAME | component:NAME */
  uri: string;
  lang: PrinterLanguage;
  dpi: number;
  documents: PrinterDocumentType[];
  /** Calibration offsets (offsetXDots/offsetYDots), stock size (widthMm/heightMm/gapMm), timeoutMs, statusQuery, template. */
  settings: Record<string, unknown>;
  paused: boolean;
  createdAt: number;
  /**
   * Failed and uncertain jobs on this printer. Any one of them holds the printer's lane — nothing
   * after it prints — until a person retries, cancels or answers it (queue.ts nextJob).
   */
  held: { failed: number; uncertain: number };
}

/** A folder printer's newest output files, newest first (printing/folder-output.ts). */
export interface PrinterOutputView {
  printerId: string;
  dir: string;
  files: {
    jobId: string;
    fileName: string;
    /** png: the label as printed; pdf; or the printer's own commands (tspl/zpl/escpos) kept as sent. */
    kind: 'png' | 'pdf' | 'tspl' | 'zpl' | 'escpos';
    bytes: number;
    writtenAt: number;
    docType: string | null;
    orderId: string | null;
    platformOrderId: string | null;
    waybillNo: string | null;
    /** The file itself for png and pdf (null for the rest, and for very large files). */
    base64: string | null;
  }[];
}

/** The printer's answer: 'status' over a bidirectional link, 'one_way' when the link cannot answer, 'unreachable' with the reason. */
export interface PrinterStatusView {
  kind: 'status' | 'one_way' | 'unreachable';
  /** null when the printer could not be asked. */
  ready: boolean | null;
  printing: boolean;
  /** paper_out, head_open, paper_jam, ribbon_out, paused, cover_open, overheat, printer_error (status), or the failure reason (unreachable). */
  problems: string[];
  /** In Chinese, for display. */
  words: string;
}

/** A printer found on this machine (CUPS queues, /dev/usb/lp* devices, Windows printers), not yet necessarily added. */
export interface DiscoveredPrinter {
  uri: string;
  name: string;
  source: 'cups' | 'usb' | 'spooler';
  /** The CUPS device URI, the device file, or a Windows printer's driver and port. */
  detail: string;
  /** The language its name or driver suggests (Gprinter → tspl, Zebra → zpl, …); null when nothing does. */
  lang: PrinterLanguage | null;
  /** Id of the printer already added with this URI, else null. */
  printerId: string | null;
}

export interface PrintJobView {
  id: string;
  printerId: string;
  printerName: string;
  idemKey: string;
  docType: PrinterDocumentType | 'test';
  packageId: string | null;
  orderId: string | null;
  platformOrderId: string | null;
  waybillNo: string | null;
  batchId: string | null;
  seq: number | null;
  total: number | null;
  reprintOf: string | null;
  reprintReason: string | null;
  /** 1, 2, … for reprints (the 重打 count printed on the label); null for originals. */
  reprintCount: number | null;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  createdBy: string;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

export interface WaybillAccountInfo {
  id: string;
  name: string;
  carrierCode: CarrierCode;
  kind: 'platform' | 'pool';
  shopId: string | null;
  settings: {
    sender: { name: string; mobile: string; province: string; city: string; district: string; address: string } | null;
    shopIds: string[];
    options: Record<string, string>;
  };
  createdAt: number;
  /** Pool accounts: numbers free and used; null for platform accounts. */
  pool: { free: number; used: number } | null;
}

export interface WaybillImportResult {
  /** False when bad rows stopped the import (nothing was added). */
  imported: boolean;
  added: number;
  rows: number;
  /** The first 100 bad rows by line; badTotal and badCounts count them all. */
  bad: { line: number; value: string; problem: WaybillImportProblem; message: string }[];
  badTotal: number;
  badCounts: Partial<Record<WaybillImportProblem, number>>;
}
export type WaybillImportProblem = 'blank' | 'duplicate_in_file' | 'already_in_pool' | 'bad_characters';

/** One order before a batch: what stops it, and orders of the same buyer and receiver it could be merged with. */
export interface PrintPrecheck {
  id: string;
  ok: boolean;
  problems: PrintProblem[];
  /** Same shop, same queue, same buyer and receiver (name, phone, address): candidates to merge before printing. */
  mergeCandidates: string[];
  /** The order's package already has a waybill number (nothing will be allocated for it). */
  hasWaybill: boolean;
}

export interface PrintLabelsResult {
  batchId: string;
  /** Jobs queued by this call. */
  queued: number;
  /** Packages whose label was queued before (same package + waybill): not queued again. */
  alreadyQueued: number;
  /** Orders not queued: a stable code (a PrintProblem, no_account, pool_exhausted, refused, platform_error, …) and the reason in words. */
  failed: { id: string; code: string; reason: string }[];
}

export interface PrintBatchView {
  batchId: string;
  /** Jobs in the batch, in print order (seq). */
  jobs: PrintJobView[];
  counts: Record<PrintJobState, number>;
  /** Nothing left queued or sending. */
  finished: boolean;
  /**
   * Failed or uncertain jobs from outside this batch (an earlier batch, a pick list, a test page)
   * holding the lane of a printer this batch still waits on, oldest first: the batch prints nothing
   * more there until a person deals with them.
   */
  blockedBy: PrintJobView[];
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
  'orders.shopCounts': Record<string, number>;
  'filterPresets.list': FilterPreset[];
  'filterPresets.save': FilterPreset[];
  'filterPresets.rename': FilterPreset[];
  'filterPresets.delete': FilterPreset[];
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
  'orders.shipPrinted': BatchResult;
  'orders.revealReceiver': RevealedReceiver;
  'printers.list': PrinterView[];
  'printers.add': PrinterView;
  'printers.update': PrinterView;
  'printers.remove': { removed: true };
  'printers.setPaused': PrinterView;
  'printers.testPrint': PrintJobView;
  'printers.status': PrinterStatusView;
  'printers.discover': DiscoveredPrinter[];
  'printers.output': PrinterOutputView;
  'printJobs.list': PrintJobView[];
  'printJobs.retry': PrintJobView;
  'printJobs.cancel': PrintJobView;
  'printJobs.reprint': PrintJobView;
  'printJobs.resolveUncertain': PrintJobView;
  'waybillAccounts.list': WaybillAccountInfo[];
  'waybillAccounts.add': WaybillAccountInfo;
  'waybillAccounts.addRange': { added: number; skipped: number };
  'waybillAccounts.importNumbers': WaybillImportResult;
  'print.precheck': PrintPrecheck[];
  'print.labels': PrintLabelsResult;
  'print.batch': PrintBatchView;
  'packing.scanWaybill': PackingScanWaybillResult;
  'packing.scanItem': PackingScanItemResult;
  'packing.complete': PackingCompleteResult;
  'station.settings': StationSettings;
  'station.updateSettings': StationSettings;
  'labels.settings': LabelSettings;
  'labels.updateSettings': LabelSettings;
  'labels.preview': LabelPreview;
  'labels.previewPdf': { base64: string; fileName: string };
  'pickList.render': RenderedDocument;
  'packingSlips.render': RenderedDocument;
  'print.pickList': PrintDocQueued;
  'print.packingSlips': PrintDocQueued;
  'tracking.list': PackageTraceView[];
  'tracking.import': TraceImportResult;
  'tracking.exceptions': TrackingExceptions;
  'tracking.scorecard': ScorecardRow[];
}
export type ApiOutput<M extends MethodName> = ApiOutputs[M];

/** Events the core pushes to every connected renderer. */
export interface ApiEvents {
  /** After each commit: which tables changed, so open queries that read them refresh. */
  /** The tables a commit touched; ANY_TABLE ('*') when anything may have changed unseen (the renderer's event stream (re)connected). */
  'db.changed': { tables: string[] };
  'sync.progress': { shopId: string; phase: 'start' | 'page' | 'done' | 'error'; pulled: number; message?: string };
  /** A batch print's progress (print.labels): waybills allocated, then labels queued, of the batch's total. */
  'print.progress': { batchId: string; phase: 'allocate' | 'queue'; done: number; total: number };
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES = ['db.changed', 'sync.progress', 'print.progress'] as const satisfies readonly EventName[];

/** In db.changed: every table — what a renderer hears when its event stream (re)connects, because commits made meanwhile were not pushed to it. */
export const ANY_TABLE = '*';

/** The surface every transport exposes to the renderer (window.shopfleet in Electron). */
export interface ShopfleetBridge {
  call<M extends MethodName>(name: M, input: ApiInput<M>): Promise<import('./result.ts').Result<ApiOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}
