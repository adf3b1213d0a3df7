// Signing in at a station joined to a team hub (a real hub process on a temp PGlite dir, the station
// a web host joined to it; tests/e2e/hub-fixture.ts). The join signs the code's person in; the header's
// 切换 switches to a packer by PIN (a wrong PIN says how many tries are left); signing out shows the
// sign-in screen, where a customer-service person signs in by password and the packing page leaves
// the nav; their memo edit reaches the hub as theirs, not refused as an unknown actor. Both screen
// sizes: the sign-in screen and the switch dialog are new.
import { testDbOf } from '../../electron/testkit/station-db.ts';
import { expect, test } from './fixtures.ts';
import { startStation, startTestHub, type TestHub, type TestStation } from './hub-fixture.ts';
import { fitsWidth } from './stock-helpers.ts';

let hub: TestHub | null = null;
let station: TestStation | null = null;

test.afterEach(async () => {
  await station?.close();
  await hub?.close();
  station = null;
  hub = null;
});

/** People with a password and a PIN, as the owner sets them on the hub (POST /v1/invites). */
async function addPerson(h: TestHub, body: Record<string, unknown>): Promise<void> {
  const post = async (path: string, json: unknown, token?: string) => {
    const res = await fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(json),
    });
    expect(res.ok, `${path} ${res.status}`).toBe(true);
    return res.json();
  };
  const session = await post('/v1/login', { user: h.owner, password: h.password });
  await post('/v1/invites', body, session.token);
}

test('join signs the owner in; 切换 by PIN; sign out; sign in by password; the hub takes the memo as theirs', async ({ page }) => {
  test.setTimeout(120_000);
  // The hub's owner is "boss", a name the station's own owner (店主) does not share.
  hub = await startTestHub({ owner: 'boss', password: 'boss password' });
  await addPerson(hub, { user: '小李', role: 'packer', password: 'packer password', pin: '2468' });
  await addPerson(hub, { user: '客服小王', role: 'service', password: 'service password' });
  station = await startStation({ hub, name: '一号打包台', demoOrders: 20 });

  await page.goto(station.url);
  const whoami = page.getByTestId('whoami');
  await expect(whoami).toContainText('boss');
  await expect(page.getByTestId('nav-packing')).toBeVisible();

  // The quick switch: pick 小李, who has a PIN, and the PIN field comes first.
  await page.getByTestId('switch-person').click();
  const dialog = page.getByTestId('switch-dialog');
  await dialog.getByTestId('signin-person-小李').click();
  await expect(dialog.getByTestId('signin-toggle')).toHaveText('用密码登录');
  await dialog.getByTestId('signin-secret').fill('0000');
  await dialog.getByTestId('signin-submit').click();
  await expect(dialog.getByTestId('signin-error')).toHaveText('密码或 PIN 不对，还可以再试 4 次');
  await fitsWidth(page);
  await dialog.getByTestId('signin-secret').fill('2468');
  await dialog.getByTestId('signin-submit').click();
  await expect(dialog).toBeHidden();
  await expect(whoami).toContainText('小李');
  await expect(whoami).toHaveAttribute('data-role', 'packer');

  // Signing out: the station shows its sign-in screen, and nothing else answers.
  await page.getByTestId('switch-person').click();
  await page.getByTestId('sign-out').click();
  const screen = page.getByTestId('signin-screen');
  await expect(screen).toBeVisible();
  await expect(screen).toContainText('测试店群');
  await expect(page.getByTestId('whoami')).toHaveCount(0);
  const refused = await station.core.call('orders.list', {});
  expect(refused).toMatchObject({ ok: false, error: { reason: 'session.sign_in_needed' } });
  const card = await screen.locator('.signin-card').boundingBox();
  const viewport = page.viewportSize()!;
  expect(card!.y + card!.height).toBeLessThanOrEqual(viewport.height);
  await fitsWidth(page);

  // 客服小王 has no PIN: the password it is.
  await screen.getByTestId('signin-person-客服小王').click();
  await expect(screen.getByTestId('signin-toggle')).toHaveCount(0);
  await screen.getByTestId('signin-secret').fill('service password');
  await screen.getByTestId('signin-submit').click();
  await expect(whoami).toContainText('客服小王');
  await expect(whoami).toHaveAttribute('data-role', 'service');
  // Customer service does not pack: the 验货 page leaves the nav.
  await expect(page.getByTestId('nav-orders')).toBeVisible();
  await expect(page.getByTestId('nav-packing')).toHaveCount(0);

  // A command with no actor named acts as the person signed in, and the hub applies it as theirs.
  const id = (await station.core.call('orders.ids', { filter: {} })) as { ok: true; value: { ids: string[] } };
  expect(await station.core.call('orders.setFlag', { ids: [id.value.ids[0]], memo: '客服改的备注' })).toMatchObject({ ok: true });
  const round = await station.sync();
  expect(round.refused).toBe(0);
  const status = (await station.core.call('hub.status', {})) as { ok: true; value: { opsWaiting: number; opsRefused: number } };
  expect(status.value).toMatchObject({ opsWaiting: 0, opsRefused: 0 });
  const op = testDbOf(station.core).$client.prepare(`SELECT actor, hub_state FROM ops WHERE name = 'orders.setFlag' ORDER BY seq DESC LIMIT 1`).get();
  expect(op).toEqual({ actor: '客服小王', hub_state: 'acked' });
});
