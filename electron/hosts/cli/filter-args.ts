// Which orders a command works on: one set of flags for every command that takes orders (orders
// list, export, the order actions, print labels, pick lists, slips), turned into the workbench's
// OrderFilter and validated by the same schema the API uses — so `--q 张三` finds exactly what the
// search box finds — or into the order ids named by --orders.
import { MAX_BATCH_IDS, id as idSchema, orderFilterSchema, type OrderFilter, type ShopSummary, type TagView } from '../../shared/contract.ts';
import { ORDER_STATUSES, QUEUES } from '../../shared/model.ts';
import type { Core } from '../../core/app.ts';
import { UsageError } from './usage.ts';
import { callOrThrow } from './call.ts';

export const SELECTION_OPTIONS = {
  orders: { type: 'string', multiple: true },
  queue: { type: 'string' },
  tab: { type: 'string' },
  status: { type: 'string', multiple: true },
  shop: { type: 'string', multiple: true },
  platform: { type: 'string', multiple: true },
  province: { type: 'string', multiple: true },
  sku: { type: 'string' },
  q: { type: 'string' },
  search: { type: 'string' },
  abnormal: { type: 'string', multiple: true },
  'seller-flag': { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  type: { type: 'string' },
  'has-message': { type: 'boolean' },
  'has-memo': { type: 'boolean' },
  unread: { type: 'boolean' },
  /** reserved | short (缺货) */
  stock: { type: 'string' },
  'paid-from': { type: 'string' },
  'paid-to': { type: 'string' },
  'created-from': { type: 'string' },
  'created-to': { type: 'string' },
} as const;

/** The selection flags with --db, for commands that act on chosen orders of one station's database. */
export const STATION_SELECTION_OPTIONS = { db: { type: 'string' }, ...SELECTION_OPTIONS } as const;

/** The older name, kept for callers that only filter. */
export const FILTER_OPTIONS = SELECTION_OPTIONS;

export interface SelectionValues {
  orders?: string[];
  queue?: string;
  tab?: string;
  status?: string[];
  shop?: string[];
  platform?: string[];
  province?: string[];
  sku?: string;
  q?: string;
  search?: string;
  abnormal?: string[];
  'seller-flag'?: string[];
  tag?: string[];
  type?: string;
  'has-message'?: boolean;
  'has-memo'?: boolean;
  unread?: boolean;
  stock?: string;
  'paid-from'?: string;
  'paid-to'?: string;
  'created-from'?: string;
  'created-to'?: string;
}
export type FilterValues = SelectionValues;

/** Repeatable flags also take comma-separated lists: --status shipped,completed. */
const list = (values: string[] | undefined): string[] | undefined => {
  const out = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return out.length > 0 ? out : undefined;
};

/** Were any "which orders" flags given at all? Commands that change orders refuse to act on none. */
export function hasSelection(values: SelectionValues): boolean {
  return Object.keys(SELECTION_OPTIONS).some((k) => {
    const v = values[k as keyof SelectionValues];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
}

const CHINA_OFFSET_MS = 8 * 3600_000;

/** DATE flags: YYYY-MM-DD in China time (a -to day is included whole), or an ISO time with a zone. */
export function parseDateFlag(flag: string, raw: string | undefined, endOfDay: boolean): number | undefined {
  if (raw === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const start = Date.parse(`${raw}T00:00:00+08:00`);
    // Date.parse rolls 2026-02-30 over to March: only a day that reads back the same is real.
    if (!Number.isNaN(start) && new Date(start + CHINA_OFFSET_MS).toISOString().slice(0, 10) === raw) return endOfDay ? start + 86_400_000 - 1 : start;
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/.test(raw)) {
    const ms = Date.parse(raw);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(`--${flag} must be a date YYYY-MM-DD (China time) or an ISO time with a zone, e.g. 2026-03-01T08:00:00+08:00 (got "${raw}")`);
}

/** A shop may be named by id or by its exact name; unknown shops are a usage error, not an empty list. */
async function resolveShops(core: Core, wanted: string[]): Promise<string[]> {
  const shops = await callOrThrow<ShopSummary[]>(core, 'shops.list', {});
  return wanted.map((w) => {
    const shop = shops.find((s) => s.id === w) ?? shops.find((s) => s.name === w);
    if (!shop) throw new UsageError(`Unknown shop "${w}" (see: shopfleet shops list --db FILE, or use its id)`);
    return shop.id;
  });
}

/** Tags by id or exact name. */
export async function resolveTags(core: Core, wanted: string[], flag = 'tag'): Promise<string[]> {
  const tags = await callOrThrow<TagView[]>(core, 'tags.list', {});
  return wanted.map((w) => {
    const tag = tags.find((t) => t.id === w) ?? tags.find((t) => t.name === w);
    if (!tag) throw new UsageError(`--${flag}: unknown tag "${w}" (tags: ${tags.map((t) => t.name).join(', ') || 'none yet'})`);
    return tag.id;
  });
}

const QUEUE_WORDS: readonly string[] = [...QUEUES, 'all', 'abnormal'];

/**
 * --queue (or --tab) is the status tab; --status is the platform status. A tab name given to
 * --status that is no status (awaiting_print, pending_review, …) means that tab: the print commands
 * documented it that way, and no status has such a name, so nothing is ambiguous.
 */
function queueOf(values: SelectionValues): { queue: string | undefined; statuses: string[] | undefined } {
  const named = [values.queue, values.tab].filter((v): v is string => v !== undefined && v.trim() !== '').map((v) => v.trim());
  const statuses: string[] = [];
  for (const s of list(values.status) ?? []) {
    if ((ORDER_STATUSES as readonly string[]).includes(s)) statuses.push(s);
    else if (QUEUE_WORDS.includes(s)) named.push(s);
    else throw new UsageError(`--status: unknown "${s}" (a status: ${ORDER_STATUSES.join(', ')}; or a tab: ${QUEUE_WORDS.join(', ')})`);
  }
  const distinct = [...new Set(named)];
  if (distinct.length > 1) throw new UsageError(`one status tab at a time (got ${distinct.join(' and ')})`);
  return { queue: distinct[0], statuses: statuses.length > 0 ? statuses : undefined };
}

/** The filter flags as the workbench's OrderFilter (--orders is not a filter: see selectedIds). */
export async function buildFilter(core: Core, values: SelectionValues): Promise<OrderFilter> {
  const shops = list(values.shop);
  const tags = list(values.tag);
  const { queue, statuses } = queueOf(values);
  if (values.q !== undefined && values.search !== undefined && values.q !== values.search) throw new UsageError('--q and --search are the same flag: give one');
  const flags = list(values['seller-flag'])?.map((f) => {
    const n = Number(f);
    if (!Number.isInteger(n) || n < 0 || n > 5) throw new UsageError(`--seller-flag must be 0–5 (got "${f}")`);
    return n;
  });
  const candidate = {
    queue,
    statuses,
    shopIds: shops ? await resolveShops(core, shops) : undefined,
    platforms: list(values.platform),
    provinces: list(values.province),
    sku: values.sku,
    q: values.q ?? values.search,
    abnormal: list(values.abnormal),
    sellerFlags: flags,
    tagIds: tags ? await resolveTags(core, tags) : undefined,
    orderType: values.type,
    hasBuyerMessage: values['has-message'],
    hasSellerMemo: values['has-memo'],
    unread: values.unread,
    stock: values.stock,
    paidFrom: parseDateFlag('paid-from', values['paid-from'], false),
    paidTo: parseDateFlag('paid-to', values['paid-to'], true),
    createdFrom: parseDateFlag('created-from', values['created-from'], false),
    createdTo: parseDateFlag('created-to', values['created-to'], true),
  };
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  const parsed = orderFilterSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag =
      {
        statuses: 'status',
        shopIds: 'shop',
        platforms: 'platform',
        provinces: 'province',
        sellerFlags: 'seller-flag',
        tagIds: 'tag',
        orderType: 'type',
        paidFrom: 'paid-from',
        paidTo: 'paid-to',
        createdFrom: 'created-from',
        createdTo: 'created-to',
      }[String(issue.path[0])] ?? String(issue.path[0]);
    throw new UsageError(`--${flag}: ${issue.message}`);
  }
  return parsed.data;
}

/** Our order ids for --orders: each an order id, or a platform order number unique at this station. */
export async function resolveOrderRefs(core: Core, refs: string[]): Promise<string[]> {
  // A ref no order id or number could be (too long, say) is simply unknown, not a malformed call.
  const askable = [...new Set(refs.filter((r) => idSchema.safeParse(r).success))];
  const found = new Map<string, string[]>();
  for (let i = 0; i < askable.length; i += MAX_BATCH_IDS) {
    const part = await callOrThrow<{ ref: string; ids: string[] }[]>(core, 'orders.resolveRefs', { refs: askable.slice(i, i + MAX_BATCH_IDS) });
    for (const r of part) found.set(r.ref, r.ids);
  }
  const unknown: string[] = [];
  const ids = refs.flatMap((ref) => {
    const hits = found.get(ref) ?? [];
    if (hits.length === 1) return hits;
    unknown.push(hits.length > 1 ? `${ref} (in more than one shop: use the order id)` : ref);
    return [];
  });
  if (unknown.length > 0) throw new UsageError(`unknown order(s): ${unknown.join(', ')}`);
  return [...new Set(ids)];
}

export type Selection = { kind: 'ids'; ids: string[] } | { kind: 'filter'; filter: OrderFilter };

/** --orders, or the filter flags; not both (a filter would silently narrow the named orders). */
export async function resolveSelection(core: Core, values: SelectionValues): Promise<Selection> {
  const refs = list(values.orders);
  if (refs) {
    const { orders: _orders, ...rest } = values;
    if (hasSelection(rest)) throw new UsageError('--orders names the orders itself: give --orders or filter flags, not both');
    return { kind: 'ids', ids: await resolveOrderRefs(core, refs) };
  }
  return { kind: 'filter', filter: await buildFilter(core, values) };
}

/**
 * The ids of the selected orders, oldest paid first for a filter (the order a batch is packed in).
 * `required`: a command that changes orders refuses an empty selection rather than acting on all.
 */
export async function selectedIds(core: Core, values: SelectionValues, opts: { command: string; required: boolean }): Promise<string[]> {
  if (opts.required && !hasSelection(values)) {
    throw new UsageError(`${opts.command} needs the orders: --orders ID,ID,... or filter flags (e.g. --queue awaiting_print; --queue all for every order)`);
  }
  const selection = await resolveSelection(core, values);
  if (selection.kind === 'ids') return selection.ids;
  const r = await callOrThrow<{ ids: string[]; truncated: boolean }>(core, 'orders.ids', { filter: selection.filter, sort: { field: 'paidAt', dir: 'asc' } });
  if (r.truncated) throw new UsageError(`more than ${r.ids.length} orders match: narrow the filter`);
  return r.ids;
}
