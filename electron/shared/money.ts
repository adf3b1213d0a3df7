// Money crosses every boundary as integer fen; these turn fen into yuan text and back exactly,
// with no floating point (platforms send yuan strings like "12.90"; exports show "12.90").

/** 123456 → "1234.56", -5 → "-0.05". */
export function fenToYuan(fen: number): string {
  const abs = Math.abs(fen);
  const cents = abs % 100;
  return `${fen < 0 ? '-' : ''}${(abs - cents) / 100}.${cents.toString().padStart(2, '0')}`;
}

/** "12.9" → 1290, "12" → 1200, "-0.05" → -5. Throws on anything that is not a yuan amount with at most two decimals. */
export function yuanToFen(text: string): number {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) throw new Error(`not a yuan amount: "${text}"`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (!Number.isSafeInteger(fen)) throw new Error(`yuan amount out of range: "${text}"`);
  return m[1] ? -fen : fen;
}

/**
 * Split `total` fen over lines by weight, largest remainder first (ties to the earlier line), so the
 * lines add up exactly. Platforms that give only order-level totals use it to give each line its
 * share; with no weight at all the first line carries the whole total.
 */
export function allocateFen(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left -= 1;
  }
  return out;
}
