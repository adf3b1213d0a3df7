// Scan sessions: counts per package and line, kept until ended, the least recently touched dropped
// first when too many parcels are left half-scanned.
import { describe, expect, it } from 'vitest';
import { ScanSessions } from './sessions.ts';

describe('ScanSessions', () => {
  it('counts per package and line, and forgets a package when it ends', () => {
    const s = new ScanSessions();
    expect(s.add('a', 1)).toBe(1);
    expect(s.add('a', 1)).toBe(2);
    expect(s.add('b', 1)).toBe(1);
    expect(s.scanned('a', 1)).toBe(2);
    expect(s.scanned('a', 2)).toBe(0);
    s.end('a');
    expect(s.scanned('a', 1)).toBe(0);
    expect(s.scanned('b', 1)).toBe(1);
  });

  it('drops the least recently touched session beyond its limit', () => {
    const s = new ScanSessions(2);
    s.add('a', 1);
    s.add('b', 1);
    s.counts('a'); // a is touched again, so b is now the oldest
    s.add('c', 1);
    expect(s.size).toBe(2);
    expect(s.scanned('b', 1)).toBe(0);
    expect(s.scanned('a', 1)).toBe(1);
    expect(s.scanned('c', 1)).toBe(1);
  });
});
