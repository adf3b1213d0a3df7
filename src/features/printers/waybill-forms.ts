// The waybill account forms without React: a number range as typed (text, so leading zeros keep
// their width) → waybillAccounts.addRange input, and a chosen file → the base64 importNumbers takes.

export interface RangeText {
  prefix: string;
  from: string;
  to: string;
}

export type RangeProblem = 'from' | 'to' | 'order' | 'prefix';

/**
 * The addRange input for a typed range, or which field is wrong. "000100"–"000199" keeps six
 * digits (width), so the numbers read as the carrier printed them on the roll.
 */
export function rangeInput(r: RangeText): { ok: true; value: { prefix: string; start: number; end: number; width?: number } } | { ok: false; problem: RangeProblem } {
  const prefix = r.prefix.trim();
  const from = r.from.trim();
  const to = r.to.trim();
  if (!/^[A-Za-z0-9]*$/.test(prefix)) return { ok: false, problem: 'prefix' };
  if (!/^\d{1,15}$/.test(from)) return { ok: false, problem: 'from' };
  if (!/^\d{1,15}$/.test(to)) return { ok: false, problem: 'to' };
  const start = Number(from);
  const end = Number(to);
  if (end < start) return { ok: false, problem: 'order' };
  const padded = from.length > 1 && from.startsWith('0');
  return { ok: true, value: { prefix, start, end, ...(padded || from.length === to.length ? { width: Math.max(from.length, to.length) } : {}) } };
}

/** How many numbers a range makes (for the confirm text); 0 when it is not valid. */
export function rangeSize(r: RangeText): number {
  const v = rangeInput(r);
  return v.ok ? v.value.end - v.value.start + 1 : 0;
}

/** A File's bytes as base64 (what the API carries across IPC/HTTP), in chunks so a big file does not overflow the call stack. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
