// Reading one step of a platform's logistics trace into our trace event, the same way for every
// platform: its time (Beijing wall-clock text or epoch seconds/ms), its words, and its state — from
// the platform's node code where we know it, else from the words (status-words.ts). The place is the
// station the platform names, else the city carriers put in 【】 at the start of the words. A step
// without a readable time, words or state is skipped: a trace is advisory and one odd step must not
// hide the rest.
import { statusFromText, type TraceStatus } from '../tracking/status-words.ts';
import type { ParcelTraceEvent } from './contract.ts';
import { parseGmt8 } from './gmt8.ts';

const GMT8_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** Epoch values below this are seconds (it is 2001-09-09 in ms, year 33658 in seconds). */
const MS_FROM = 1e12;

export const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

/** A step's time as epoch ms, or null: "yyyy-MM-dd HH:mm:ss" (UTC+8), or epoch seconds or ms as a number or digits. */
export function stepTime(v: unknown): number | null {
  const t = text(v);
  if (GMT8_TEXT.test(t)) return parseGmt8(t);
  if (/^\d{9,13}$/.test(t)) {
    const n = Number(t);
    return n < MS_FROM ? n * 1000 : n;
  }
  return null;
}

export interface RawStep {
  time: unknown;
  description: unknown;
  /** The platform's node code (action, state), looked up in `codes`. */
  code?: unknown;
  /** Words naming the state when the code is unknown, tried before the description. */
  stateWords?: unknown;
  /** The station the platform names, if any. */
  site?: unknown;
}

export function readStep(step: RawStep, codes: Readonly<Record<string, TraceStatus>>): ParcelTraceEvent | null {
  const at = stepTime(step.time);
  const description = text(step.description);
  if (at === null || description === '') return null;
  const status = codes[text(step.code).toUpperCase()] ?? statusFromText(text(step.stateWords)) ?? statusFromText(description);
  if (status === null) return null;
  const site = text(step.site);
  const place = /^【([^】]{1,30})】/.exec(description);
  return { at, status, description, location: site !== '' ? site : place ? (place[1] as string) : null };
}

/** Each readable step, skipping the rest. */
export function readSteps(steps: unknown, read: (step: Record<string, unknown>) => ParcelTraceEvent | null): ParcelTraceEvent[] {
  const out: ParcelTraceEvent[] = [];
  if (!Array.isArray(steps)) return out;
  for (const s of steps) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) continue;
    const e = read(s as Record<string, unknown>);
    if (e) out.push(e);
  }
  return out;
}
