// Was a code read by a barcode scanner or keyed in by hand? A keyboard-wedge scanner types a whole
// code in a burst (a few ms per character; printing.md: "fast characters, then Enter"); a person
// types at 100 ms or more per key, and a paste or an IME puts characters in without a key each.
// Only a scanned waybill proves a label exists (scan-back confirms an uncertain print with it), so
// anything else is reported as keyed.

/** Median gap between keystrokes under which the input is a scanner's burst. */
export const SCANNER_MAX_GAP_MS = 35;

/**
 * True when `code` did not come from a scanner: fewer key presses than characters (pasted, IME), or
 * keystrokes spaced like a person's. `keyTimes` are the times of the printable key presses since the
 * last Enter.
 */
export function keyedByHand(code: string, keyTimes: readonly number[]): boolean {
  if (keyTimes.length < [...code].length || keyTimes.length < 2) return true;
  const gaps = keyTimes.slice(1).map((t, i) => t - (keyTimes[i] as number)).sort((a, b) => a - b);
  return (gaps[Math.floor(gaps.length / 2)] as number) > SCANNER_MAX_GAP_MS;
}
