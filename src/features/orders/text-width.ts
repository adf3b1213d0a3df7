// The width of a short text in the page's own font, measured on a canvas (no layout pass), so a
// table cell can decide what fits before it renders. Remembered per text: the labels are few.
const cache = new Map<string, number>();
let context: CanvasRenderingContext2D | null | undefined;

/** Wide (CJK and full-width) characters take a whole em; other text about 0.6 em — when there is no canvas. */
function estimate(text: string, sizePx: number): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? sizePx : sizePx * 0.6;
  return w;
}

/** `weight`: the heaviest the text is shown in (unread rows are bolder), so what fits there fits everywhere. */
export function textWidth(text: string, sizePx: number, weight = 400): number {
  const key = `${weight} ${sizePx}\u0000${text}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (context === undefined) context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  let width: number;
  if (context) {
    context.font = `${weight} ${sizePx}px ${getComputedStyle(document.body).fontFamily}`;
    width = context.measureText(text).width;
  } else {
    width = estimate(text, sizePx) * (weight > 400 ? 1.05 : 1);
  }
  cache.set(key, width);
  return width;
}
