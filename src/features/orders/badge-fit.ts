// How many of a row's abnormal-reason badges the 异常 column shows side by side: as many as fit in
// its width, the rest folded into one "+N" badge whose tooltip names them all — never a badge cut
// in half at the column's edge.

/** Characters of badge text the column holds at its width (11 px badge text, two badges' padding). */
export const ABNORMAL_CHARS = 7;

/** How many of `labels` to show before folding the rest into "+N" (always at least one). */
export function badgesThatFit(labels: readonly string[], budget = ABNORMAL_CHARS): number {
  if (labels.length <= 1) return labels.length;
  const len = (s: string) => [...s].length;
  // Everything fits: show everything.
  if (labels.reduce((n, l) => n + len(l), 0) <= budget) return labels.length;
  // Otherwise leave room for the "+N" badge (about two characters wide).
  let used = 2;
  let shown = 0;
  for (const l of labels) {
    if (shown > 0 && used + len(l) > budget) break;
    used += len(l);
    shown++;
  }
  return shown;
}

/**
 * How many badges of these widths (px, padding included) stand side by side in `room` px with `gap`
 * between them, the first always shown. When some are left out, a "+N" marker `moreWidth` wide must
 * still fit after the last one shown — so a column shows whole badges or a count, never half a word.
 */
export function badgesThatFitWidth(widths: readonly number[], room: number, gap: number, moreWidth: number): number {
  if (widths.length <= 1) return widths.length;
  const all = widths.reduce((n, w, i) => n + w + (i > 0 ? gap : 0), 0);
  if (all <= room) return widths.length;
  let used = widths[0]!;
  let shown = 1;
  while (shown < widths.length && used + gap + widths[shown]! + gap + moreWidth <= room) {
    used += gap + widths[shown]!;
    shown++;
  }
  return shown;
}
