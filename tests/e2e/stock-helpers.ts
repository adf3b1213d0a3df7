// What the stock e2e specs arrange through the core (the same API the page calls): warehouses and
// SKUs of their own, so the tests read the same whatever stock the demo team comes with.
import { expect, type AppHandle } from './fixtures.ts';

export async function call<T>(app: AppHandle, name: string, input: unknown): Promise<T> {
  const res = await app.core.call(name, input);
  if (!res.ok) throw new Error(`${name}: ${res.error.code} ${res.error.message}`);
  return res.value as T;
}

/** Adds a warehouse unless the demo already has one with this code. */
export async function warehouse(app: AppHandle, code: string, name: string): Promise<void> {
  const all = await call<{ code: string }[]>(app, 'warehouses.list', {});
  if (!all.some((w) => w.code === code)) await call(app, 'warehouses.add', { code, name });
}

export interface LedgerRow {
  id: string;
  reason: string;
  delta: number;
  balance: number;
  reference: string | null;
  correctedBy: string | null;
}

export async function ledger(app: AppHandle, sku: string): Promise<LedgerRow[]> {
  return call<LedgerRow[]>(app, 'stock.ledger', { sku });
}

/** The page must fit the screen: nothing wider than the window, so no sideways scrolling. */
export async function fitsWidth(page: import('@playwright/test').Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
}
