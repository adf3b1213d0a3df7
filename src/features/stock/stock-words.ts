// How the stock pages say figures: days of cover, movement reasons.

/** Days of cover for people: — when nothing sells, whole days from 10 up, one decimal below. */
export function formatCover(days: number | null): string {
  if (days === null) return '—';
  if (days >= 999) return '999+';
  return days >= 10 ? String(Math.floor(days)) : (Math.floor(days * 10) / 10).toFixed(1);
}
