import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../../electron/shared/contract.ts';
import { PageCache, type PageFetcher } from './page-cache.ts';

const row = (i: number): OrderRow => ({ id: `o${i}`, platformOrderId: `P${i}` }) as OrderRow;

/** A fetcher over an in-memory list that records each request and resolves when told. */
function source(n: number) {
  let data = Array.from({ length: n }, (_, i) => row(i));
  const calls: { offset: number; limit: number; withTotal: boolean; resolve: () => void }[] = [];
  const fetcher: PageFetcher = (offset, limit, withTotal) =>
    new Promise((resolve) => {
      calls.push({ offset, limit, withTotal, resolve: () => resolve({ rows: data.slice(offset, offset + limit), total: withTotal ? data.length : null }) });
    });
  return {
    fetcher,
    calls,
    setData: (d: OrderRow[]) => (data = d),
    flush: async () => {
      while (calls.length) {
        calls.shift()!.resolve();
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

describe('PageCache', () => {
  it('loads page 0 with the total first, then the pages in view without the total', async () => {
    const src = source(1000);
    const cache = new PageCache('k', src.fetcher, 100);
    cache.ensure(450, 520);
    expect(src.calls.map((c) => [c.offset, c.withTotal])).toEqual([[0, true]]);
    await src.flush();
    expect(cache.total).toBe(1000);
    expect(cache.rowAt(450)?.id).toBe('o450');
    expect(cache.rowAt(520)?.id).toBe('o520');
    expect(cache.rowAt(700)).toBeUndefined();
    expect(cache.idsInRange(498, 502)).toEqual(['o498', 'o499', 'o500', 'o501', 'o502']);
    expect(cache.idsInRange(150, 160)).toBeNull();
  });

  it('does not fetch a page twice while it is in flight or fresh', async () => {
    const src = source(500);
    const cache = new PageCache('k', src.fetcher, 100);
    cache.ensure(0, 50);
    cache.ensure(0, 60);
    expect(src.calls).toHaveLength(1);
    await src.flush();
    const before = cache.version;
    cache.ensure(0, 99);
    expect(src.calls).toHaveLength(0);
    expect(cache.version).toBe(before);
  });

  it('keeps stale rows visible on invalidate and replaces them when the refetch lands', async () => {
    const src = source(300);
    const cache = new PageCache('k', src.fetcher, 100);
    cache.ensure(0, 10);
    await src.flush();
    src.setData(Array.from({ length: 120 }, (_, i) => row(i + 1000)));
    cache.invalidate();
    expect(cache.rowAt(0)?.id).toBe('o0');
    await src.flush();
    expect(cache.total).toBe(120);
    expect(cache.rowAt(0)?.id).toBe('o1000');
  });

  it('drops pages beyond a shrunken total', async () => {
    const src = source(300);
    const cache = new PageCache('k', src.fetcher, 100);
    cache.ensure(250, 260);
    await src.flush();
    expect(cache.rowAt(250)?.id).toBe('o250');
    src.setData(Array.from({ length: 50 }, (_, i) => row(i)));
    cache.ensure(0, 10);
    cache.invalidate();
    await src.flush();
    expect(cache.total).toBe(50);
    expect(cache.rowAt(250)).toBeUndefined();
    expect(cache.loadedRows()).toHaveLength(50);
  });
});
