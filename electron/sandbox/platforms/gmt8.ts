// The platforms' wall-clock text as the loopback gateways write and read it: "yyyy-MM-dd HH:mm:ss" at
// GMT+8 (docs/platforms/taobao.md#requests, docs/platforms/jd.md; China keeps no daylight saving).
// Written here rather than borrowed from the adapters, so a time the adapter formats wrongly is read by
// a clock that did not make the same mistake.
const OFFSET_MS = 8 * 3_600_000;
const TEXT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Epoch ms → "yyyy-MM-dd HH:mm:ss" at GMT+8, the sub-second part dropped. */
export function formatGmt8(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatGmt8: not a finite epoch ms: ${ms}`);
  return new Date(Math.floor(ms / 1000) * 1000 + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * "yyyy-MM-dd HH:mm:ss" read as GMT+8 → epoch ms; NaN for text of any other shape (a gateway check on
 * the result then refuses it). Out-of-range fields roll over the way Date.UTC rolls them.
 */
export function parseGmt8(text: string): number {
  const m = TEXT.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
}
