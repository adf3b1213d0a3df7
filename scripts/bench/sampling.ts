// What the stock benches share: a seeded generator (two runs measure the same data), a timer that
// samples a function, and the percentiles they report.

/** A small deterministic generator (mulberry32), so two runs measure the same data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** p50, p95 and max of the samples (ms), rounded to `decimals` places. */
export function stats(samples: number[], decimals: number): { p50: number; p95: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  const scale = 10 ** decimals;
  const round = (n: number) => Math.round(n * scale) / scale;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1] as number) };
}

/** Runs fn `runs` times and returns each run's milliseconds. */
export function time(runs: number, fn: (i: number) => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(i);
    out.push(performance.now() - t);
  }
  return out;
}
