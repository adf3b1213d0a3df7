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
