// Smoke: the built renderer loads from the web host and shows the demo data; the API answers only
// with the token; nothing on the page breaks the CSP or throws.
import type { OrderRow } from '../../electron/shared/contract.ts';
import { expect, test } from './fixtures.ts';

test('the page loads real data and the API answers only with the token', async ({ page, app, request }) => {
  await expect(page).toHaveTitle(/ShopFleet|店群订单台/);
  // The renderer took the token from the fragment and removed it from the address bar.
  await expect.poll(() => page.url()).not.toContain('token=');

  // The newest paid order, read in-process, is on screen: the page fetched it through the web host.
  const newest = await app.core.call('orders.list', { filter: {}, limit: 1, withTotal: false });
  if (!newest.ok) throw new Error(newest.error.message);
  const first = (newest.value as { rows: OrderRow[] }).rows[0]!;
  await expect(page.getByText(first.platformOrderId, { exact: true }).first()).toBeVisible();

  const withToken = await request.post(`${app.origin}/api/call`, {
    headers: { Authorization: `Bearer ${app.token}` },
    data: { name: 'shops.list', input: {} },
  });
  expect(withToken.status()).toBe(200);
  const body = (await withToken.json()) as { ok: boolean; value: { orderCount: number }[] };
  expect(body.ok).toBe(true);
  expect(body.value.reduce((n, s) => n + s.orderCount, 0)).toBe(600);
  expect(withToken.headers()['content-security-policy']).toContain("default-src 'self'");

  const without = await request.post(`${app.origin}/api/call`, { data: { name: 'shops.list', input: {} } });
  expect(without.status()).toBe(401);
  expect(await without.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

  expect(app.pageErrors).toEqual([]);
});
