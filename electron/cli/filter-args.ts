// Turns the CLI's filter flags into the workbench's OrderFilter, validated by the same schema the
// API uses — so `shopfleet orders list --q 张三` finds exactly what the search box finds.
import { orderFilterSchema, type OrderFilter, type ShopSummary } from '../shared/contract.ts';
import type { Core } from '../core/app.ts';
import { UsageError } from './usage.ts';
import { callOrThrow } from './call.ts';

export const FILTER_OPTIONS = {
  queue: { type: 'string' },
  status: { type: 'string', multiple: true },
  shop: { type: 'string', multiple: true },
  platform: { type: 'string', multiple: true },
  province: { type: 'string', multiple: true },
  sku: { type: 'string' },
  q: { type: 'string' },
} as const;

export interface FilterValues {
  queue?: string;
  status?: string[];
  shop?: string[];
  platform?: string[];
  province?: string[];
  sku?: string;
  q?: string;
}

/** Repeatable flags also take comma-separated lists: --status shipped,completed. */
const list = (values: string[] | undefined): string[] | undefined => {
  const out = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return out.length > 0 ? out : undefined;
};

/** A shop may be named by id or by its exact name; unknown shops are a usage error, not an empty list. */
async function resolveShops(core: Core, wanted: string[]): Promise<string[]> {
  const shops = await callOrThrow<ShopSummary[]>(core, 'shops.list', {});
  return wanted.map((w) => {
    const shop = shops.find((s) => s.id === w) ?? shops.find((s) => s.name === w);
    if (!shop) throw new UsageError(`Unknown shop "${w}" (see the shop names in the workbench, or use its id)`);
    return shop.id;
  });
}

export async function buildFilter(core: Core, values: FilterValues): Promise<OrderFilter> {
  const shops = list(values.shop);
  const candidate = {
    queue: values.queue,
    statuses: list(values.status),
    shopIds: shops ? await resolveShops(core, shops) : undefined,
    platforms: list(values.platform),
    provinces: list(values.province),
    sku: values.sku,
    q: values.q,
  };
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  const parsed = orderFilterSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = { statuses: 'status', shopIds: 'shop', platforms: 'platform', provinces: 'province' }[String(issue.path[0])] ?? String(issue.path[0]);
    throw new UsageError(`--${flag}: ${issue.message}`);
  }
  return parsed.data;
}
