import { describe, expect, it } from 'vitest';
import type { StockRow } from '../../../electron/shared/contract.ts';
import { NO_FILTER } from './stock-list-store.ts';
import { pageInput } from './use-stock-pages.ts';

const row = (sku: string, warehouse: string): StockRow => ({
  sku,
  warehouse,
  title: 't',
  spec: '',
  onHand: 0,
  reserved: 0,
  available: 0,
  safety: 0,
  threshold: 0,
  skuAvailable: 0,
  low: true,
  mapped: false,
  bundle: false,
  perDay: 0,
  daysOfCover: null,
});

describe('the stock list page input', () => {
  it('the first page has no cursor; a later one starts after the last row loaded', () => {
    expect(pageInput(NO_FILTER, [], 50)).toEqual({ limit: 50 });
    expect(pageInput(NO_FILTER, [row('A', 'WH1'), row('B', 'WH2')], 50)).toEqual({ limit: 50, after: { sku: 'B', warehouse: 'WH2' } });
  });

  it('passes only the filters that are on, and a trimmed search', () => {
    expect(pageInput({ warehouse: 'WH1', low: true, out: true, unmapped: true, q: '  杯 ' }, [], 10)).toEqual({
      limit: 10,
      warehouse: 'WH1',
      low: true,
      out: true,
      unmapped: true,
      q: '杯',
    });
    expect(pageInput({ ...NO_FILTER, q: '   ' }, [], 10)).toEqual({ limit: 10 });
  });
});
