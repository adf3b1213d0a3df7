// Was a code read by a barcode scanner or keyed in by hand? A keyboard-wedge scanner types a whole
// code in a burst (a few ms per character, then Enter); a person
// types at 100 ms or more per key, and a paste or an IME puts characters in without a key each.
// Only a scanned waybill proves a label exists (scan-back confirms an uncertain print with it), so
// anything else is reported as keyed.

/** Median gap between keystrokes under which the input is a scanner's burst. */
export const SCANNER_MAX_GAP_MS = 35;

/**
 * True when `code` did not come from a scanner: not exactly one key press per character (pasted,
 * IME, or edited after a burst), or keystrokes spaced like a person's. `code` is the field's value
 * as it stood at Enter (untrimmed); `keyTimes` the times of the key presses that typed it — the
 * caller forgets them whenever the field changes any other way (keyTimesStale).
 */
export function keyedByHand(code: string, keyTimes: readonly number[]): boolean {
  if (keyTimes.length !== [...code].length || keyTimes.length < 2) return true;
  const gaps = keyTimes.slice(1).map((t, i) => t - (keyTimes[i] as number)).sort((a, b) => a - b);
  return (gaps[Math.floor(gaps.length / 2)] as number) > SCANNER_MAX_GAP_MS;
}

/**
 * Whether an input event leaves the recorded key times meaningless: anything but plain typing (a
 * paste, a deletion, an IME composition, a drop) means the field no longer holds only what the keys
 * typed, so a fast burst earlier (a half-read label) must not vouch for what is there now.
 */
export function keyTimesStale(inputType: string | undefined): boolean {
  return inputType !== 'insertText';
}
