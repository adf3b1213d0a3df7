// Ids of rows a..b of a query for shift-click ranges, fetching any rows not loaded yet.
import type { OrderFilter, OrderSort } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import type { PageCache } from './page-cache.ts';

export async function rangeIds(cache: PageCache, filter: OrderFilter, sort: OrderSort, a: number, b: number): Promise<string[]> {
  const loaded = cache.idsInRange(a, b);
  if (loaded) return loaded;
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  const ids: string[] = [];
  for (let offset = from; offset <= to; offset += 1000) {
    const limit = Math.min(1000, to - offset + 1);
    const page = await api.call('orders.list', { filter, sort, offset, limit, withTotal: false });
    ids.push(...page.rows.map((r) => r.id));
  }
  return ids;
}
