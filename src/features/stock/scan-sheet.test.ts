import { describe, expect, it } from 'vitest';
import type { SkuView } from '../../../electron/shared/contract.ts';
import { addScan, addUnknown, markDone, newSheet, pending, removeLine, requestIdOf, setQuantity } from './scan-sheet.ts';

const sku = (code: string, barcodes: string[]): SkuView => ({
  id: code,
  code,
  title: `t-${code}`,
  spec: '',
  barcodes,
  costFen: null,
  weightG: null,
  imageUrl: null,
  location: null,
  safetyStock: 0,
  lowStockThreshold: 0,
  leadTimeDays: 7,
});

describe('a scanned sheet', () => {
  it('each scan adds one to its SKU’s line; unknown codes are kept and counted', () => {
    let s = newSheet('s1');
    s = addScan(s, sku('A', []));
    s = addScan(s, sku('B', []));
    s = addScan(s, sku('A', []));
    s = addUnknown(s, 'X');
    s = addUnknown(s, 'X');
    expect(s.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect(s.last).toBe('A');
    expect(s.unknown).toEqual([{ code: 'X', times: 2 }]);
  });

  it('a recorded line is locked: scans, edits and removal leave it, and it is not sent again', () => {
    let s = addScan(addScan(newSheet('s1'), sku('A', [])), sku('B', []));
    s = markDone(s, 'A', { before: 0, after: 1, delta: 1, repeated: false });
    s = addScan(s, sku('A', []));
    s = setQuantity(s, 'A', 9);
    s = removeLine(s, 'A');
    expect(s.lines.find((l) => l.sku === 'A')?.quantity).toBe(1);
    expect(pending(s, 'receive').map((l) => l.sku)).toEqual(['B']);
  });

  it('a receive of 0 is nothing to send; a count of 0 is an empty shelf', () => {
    const s = setQuantity(addScan(newSheet('s1'), sku('A', [])), 'A', 0);
    expect(pending(s, 'receive')).toEqual([]);
    expect(pending(s, 'count').map((l) => l.sku)).toEqual(['A']);
  });

  it('the request id depends on the sheet, the mode and the SKU only', () => {
    expect(requestIdOf({ id: 's1' }, 'receive', 'A')).toBe(requestIdOf({ id: 's1' }, 'receive', 'A'));
    expect(requestIdOf({ id: 's1' }, 'receive', 'A')).not.toBe(requestIdOf({ id: 's2' }, 'receive', 'A'));
    expect(requestIdOf({ id: 's1' }, 'receive', 'A')).not.toBe(requestIdOf({ id: 's1' }, 'count', 'A'));
  });
});
