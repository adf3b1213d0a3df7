// Lenient payload parsing for platform adapters. Many field names in the platform notes are
// [UNVERIFIED] or not given at all (Kuaishou's order object, Douyin's order_phase_list items, the
// fields inside after_sale_info). A payload whose optional parts do not look as guessed is still a
// real order: the adapter keeps it, drops only the unreadable optional part (the raw payload keeps
// it, see order_payloads) and says so through the contract's `warn`. Only what an order cannot exist
// without — its id, status, amounts and lines — quarantines it.
import type { z } from 'zod';
import { AdapterPayloadError } from './contract.ts';

export type Warn = (message: string) => void;
export const noWarn: Warn = () => {};

/** A path as people read it: sku_order_list[0].product_pic. */
export function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out === '' ? '' : '.'}${String(seg)}`;
  return out === '' ? '(payload)' : out;
}

/** The first few zod issues as one line: "payment: Invalid input; orders: …". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${pathText(i.path)}: ${i.message}`)
    .join('; ');
}

/** The concrete prefix of `path` that `pattern` ("a.*.b", * = any array index) matches, or null. */
function matchPrefix(pattern: readonly string[], path: readonly PropertyKey[]): PropertyKey[] | null {
  if (path.length < pattern.length) return null;
  for (const [i, seg] of pattern.entries()) {
    const got = path[i];
    if (seg === '*' ? typeof got !== 'number' : String(got) !== seg) return null;
  }
  return path.slice(0, pattern.length);
}

function removeAt(root: unknown, path: readonly PropertyKey[]): void {
  let node: unknown = root;
  for (const seg of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  const last = path[path.length - 1];
  if (typeof node === 'object' && node !== null && last !== undefined && !Array.isArray(node)) delete (node as Record<PropertyKey, unknown>)[last];
}

/**
 * Parse `payload` with `schema`; where the only problems lie under `soft` paths ("buyer_words",
 * "sku_order_list.*.product_pic"; each must be optional in the schema), drop those parts, warn once
 * per part, and parse again. Any other problem throws AdapterPayloadError with the order id.
 */
export function parseLeniently<S extends z.ZodType>(
  schema: S,
  payload: unknown,
  soft: readonly string[],
  warn: Warn,
  orderId: string | null,
): z.output<S> {
  const patterns = soft.map((p) => p.split('.'));
  let input = payload;
  const dropped = new Set<string>();
  // Each pass drops every soft part zod reported; a second pass catches parts hidden behind the first.
  for (let pass = 0; pass < 3; pass++) {
    const r = schema.safeParse(input);
    if (r.success) return r.data;
    const hard = [];
    const drops = new Map<string, { at: PropertyKey[]; message: string }>();
    for (const issue of r.error.issues) {
      const at = patterns.map((p) => matchPrefix(p, issue.path)).find((m) => m !== null);
      if (!at || dropped.has(pathText(at))) hard.push(issue);
      else if (!drops.has(pathText(at))) drops.set(pathText(at), { at, message: issue.message });
    }
    if (hard.length > 0 || drops.size === 0) throw new AdapterPayloadError(describeIssues(hard.length > 0 ? hard : r.error.issues), orderId);
    if (input === payload) input = structuredClone(payload);
    for (const [text, d] of drops) {
      removeAt(input, d.at);
      dropped.add(text);
      warn(`${text} not readable (${d.message}); ignored, kept raw`);
    }
  }
  throw new AdapterPayloadError(`payload could not be read after dropping ${[...dropped].join(', ')}`, orderId);
}
