import { describe, expect, it } from 'vitest';
import { hashOf, parseHash } from './nav-store.ts';

describe('the URL hash of a page', () => {
  it('stock views and a SKU detail round-trip, codes with any characters included', () => {
    for (const place of [
      { page: 'stock', stockView: 'list', stockSku: null },
      { page: 'stock', stockView: 'receive', stockSku: null },
      { page: 'stock', stockView: 'mapping', stockSku: null },
      { page: 'stock', stockView: 'sku', stockSku: 'NZ-2301/黑色 M#1' },
    ] as const) {
      const hash = hashOf({ shopView: 'shops', shopId: null, ...place });
      expect(parseHash(hash)).toMatchObject(place);
    }
    expect(hashOf({ page: 'stock', stockView: 'sku', stockSku: 'A B', shopView: 'shops', shopId: null })).toBe('#stock/sku/A%20B');
  });

  it('an unknown stock view, or a SKU view without a code, lands on the list', () => {
    expect(parseHash('#stock')).toMatchObject({ page: 'stock', stockView: 'list', stockSku: null });
    expect(parseHash('#stock/nothing')).toMatchObject({ page: 'stock', stockView: 'list' });
    expect(parseHash('#stock/sku')).toMatchObject({ page: 'stock', stockView: 'list', stockSku: null });
    expect(parseHash('#stock/sku/%E0%A4%A')).toMatchObject({ page: 'stock', stockView: 'list', stockSku: null });
  });

  it('other pages read as before', () => {
    expect(parseHash('#shops/log/shop-1')).toMatchObject({ page: 'shops', shopView: 'log', shopId: 'shop-1', stockView: 'list' });
    expect(parseHash('#packing')).toMatchObject({ page: 'packing' });
    expect(parseHash('#tasks')).toMatchObject({ page: 'tasks' });
    expect(hashOf({ page: 'tasks', shopView: 'shops', shopId: null, stockView: 'list', stockSku: null })).toBe('#tasks');
    expect(parseHash('')).toMatchObject({ page: 'orders' });
  });
});
