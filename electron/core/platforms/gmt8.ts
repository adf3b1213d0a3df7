// Platform wall-clock time: "yyyy-MM-dd HH:mm:ss" at fixed UTC+8 (China has no DST), as TOP, JD
// and the sandbox send and expect it, whatever the station's own time zone.
const GMT8_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Date part per GMT+8 day number: bulk generation formats millions of times on a few dozen days. */
const dayText = new Map<number, string>();

/** Epoch ms → "yyyy-MM-dd HH:mm:ss" in GMT+8 (sub-second part dropped). */
export function formatGmt8(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`formatGmt8: not a finite epoch ms: ${ms}`);
  const local = Math.floor(ms) + GMT8_MS;
  const day = Math.floor(local / DAY_MS);
  let date = dayText.get(day);
  if (date === undefined) {
    const d = new Date(day * DAY_MS);
    date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    if (dayText.size > 4096) dayText.clear();
    dayText.set(day, date);
  }
  const secs = Math.floor((local - day * DAY_MS) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${date} ${pad2(h)}:${pad2(m)}:${pad2(secs % 60)}`;
}

/** "yyyy-MM-dd HH:mm:ss" read as GMT+8 → epoch ms. */
export function parseGmt8(text: string): number {
  const n = (from: number, to: number): number => Number(text.slice(from, to));
  return Date.UTC(n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13), n(14, 16), n(17, 19)) - GMT8_MS;
}
