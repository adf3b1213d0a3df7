// Reading one listed product leniently, for every adapter's listProducts: a product whose id or SKU
// ids cannot be read is quarantined (kept raw with the reason) and the rest of the page goes on;
// optional parts that do not look as documented are dropped with a warning (lenient.ts), so a shop
// with one odd product still gets every other product mapped. docs/platforms/products.md.
import type { z } from 'zod';
import type { QuarantinedProduct } from '../../shared/stock-model.ts';
import { AdapterPayloadError } from './contract.ts';
import { parseLeniently, type Warn } from './lenient.ts';

/** A product id as listed (a number or a numeric string on most platforms), or null when there is none to read. */
export function listedId(raw: unknown, key: string): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const v = (raw as Record<string, unknown>)[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && v !== '') return v;
  return null;
}

/**
 * Parses one listed product with `schema`, dropping unreadable `soft` parts with a warning that names
 * the product. Returns the parsed value, or the quarantine record when what a product cannot be
 * mapped without is unreadable.
 */
export function readListed<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  soft: readonly string[],
  warn: Warn,
  productId: string | null,
): { ok: true; value: z.output<S> } | { ok: false; quarantined: QuarantinedProduct } {
  const named: Warn = (m) => warn(`product ${productId ?? '(no id)'}: ${m}`);
  try {
    return { ok: true, value: parseLeniently(schema, raw, soft, named, productId) };
  } catch (e) {
    if (!(e instanceof AdapterPayloadError)) throw e;
    return { ok: false, quarantined: { platformProductId: productId, reason: e.reason, raw } };
  }
}

/** Text or null: empty strings are "not set" on every platform's listing (a blank 商家编码 is no code). */
export const textOrNull = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v);

/**
 * Products per listing call: the shop's `productPageSize` setting (tests use small pages), else the
 * platform's largest page; kept within the platform's [min, max].
 */
export function productPageSize(settings: Record<string, unknown>, max: number, min = 1): number {
  const v = settings.productPageSize;
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? Math.min(Math.max(v, min), max) : max;
}
