// Seeing sync (docs/team-hub.md#seeing-sync): a station without a hub says 单机 and how to join; a
// station joined to a real hub (tests/e2e/hub-fixture.ts) shows its link, counts and the ops the
// hub refused in words with what to do; the order another station claimed is named in the
// workbench after a pull; the team page lists people and stations, and the owner revokes a station
// with their password (a wrong one is refused in words), after which that station's sync is
// refused. Both screen sizes: the panel and the team page are new.
import { testDbOf } from '../../electron/testkit/station-db.ts';
import { claimOrders } from '../../electron/core/hub/claims.ts';
import { expect, test } from './fixtures.ts';
import { startStation, startTestHub, type TestHub, type TestStation } from './hub-fixture.ts';
import { fitsWidth } from './stock-helpers.ts';

test.use({ demoOrders: 5 });

let hub: TestHub | null = null;
const stations: TestStation[] = [];

test.afterEach(async () => {
  for (const s of stations.splice(0)) await s.close();
  await hub?.close();
  hub = null;
});

test('单机 without a hub; joined: status panel, a refusal in words, the claim named, team page, revoke', async ({ page, app }) => {
  test.setTimeout(150_000);
  // Without a hub: 单机, and the panel says how to join.
  expect(app.url).toBeTruthy();
  const area = page.getByTestId('team-sync');
  await expect(area).toHaveAttribute('data-state', 'solo');
  await expect(page.getByTestId('team-sync-open')).toHaveText('单机');
  await page.getByTestId('team-sync-open').click();
  await expect(page.getByTestId('team-sync-solo-hint')).toContainText('shopfleet hub invite');
  await expect(page.getByTestId('team-join-url')).toBeVisible();

  hub = await startTestHub();
  const a = await startStation({ hub, name: '一号打包台', demoOrders: 20, demoHistoryMs: 2 * 3600_000 });
  stations.push(a);
  const b = await startStation({ hub, name: '二号打包台', code: await hub.invite('xiaowang', 'packer') });
  stations.push(b);
  await b.sync();

  // B claims an order; A makes a change as someone the hub does not know.
  const dbA = testDbOf(a.core);
  const order = dbA.$client.prepare(`SELECT id, platform_order_id AS pid FROM orders WHERE status = 'awaiting_shipment' ORDER BY id LIMIT 1`).get() as { id: string; pid: string };
  const gate = await claimOrders(testDbOf(b.core), { cipher: b.core.secretCipher }, [order.id]);
  expect([...gate!.allowed]).toEqual([order.id]);
  const stranger = { userId: 'temp-1', name: '临时工', role: 'owner' as const };
  expect(await a.core.call('orders.setFlag', { ids: [order.id], memo: '临时工写的' }, stranger)).toMatchObject({ ok: true });
  const round = await a.sync();
  expect(round.refused).toBe(1);

  await page.goto(a.url);
  await expect(area).toHaveAttribute('data-state', 'online');
  await expect(page.getByTestId('team-sync-refused')).toHaveText('1 条被拒');
  await page.getByTestId('team-sync-open').click();
  const panel = page.getByTestId('team-sync-panel');
  await expect(panel.getByTestId('team-sync-station')).toContainText('一号打包台');
  await expect(panel.getByTestId('team-sync-last-pull')).toContainText('刚刚');
  await expect(panel.getByTestId('team-sync-waiting')).toContainText('0');
  const refusal = panel.getByTestId('team-sync-refusal');
  await expect(refusal).toHaveAttribute('data-reason', 'UNKNOWN_ACTOR');
  await expect(refusal).toContainText('团队服务器不认识做这步操作的人（临时工）');
  await expect(refusal).toContainText('怎么办：请用团队账号登录本工作站');
  const box = (await panel.boundingBox())!;
  const viewport = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  await fitsWidth(page);

  // The workbench names the station that works the claimed order.
  await page.keyboard.press('Escape');
  const row = page.locator(`[data-testid="order-row"][data-platform-order-id="${order.pid}"]`);
  await page.getByTestId('search-input').fill(order.pid);
  const claimed = row.getByTestId('claimed-badge');
  await expect(claimed).toHaveText('锁');
  await expect(claimed).toHaveAttribute('title', /由 二号打包台（xiaowang）处理中/);

  // The team page: people and stations; the owner revokes 二号打包台 with the password.
  await page.getByTestId('team-sync-open').click();
  await panel.getByTestId('team-sync-open-team').click();
  const team = page.getByTestId('team-page');
  await expect(team.locator('[data-testid="team-user"][data-name="xiaowang"]')).toContainText('打包员');
  await expect(team.locator('[data-testid="team-station"][data-name="一号打包台"]')).toContainText('本机');
  const bRow = team.locator('[data-testid="team-station"][data-name="二号打包台"]');
  await expect(bRow.getByTestId('team-station-state')).toHaveText('正常');
  await fitsWidth(page);
  await bRow.getByTestId('team-revoke').click();
  const dialog = page.getByTestId('team-revoke-dialog');
  await dialog.getByTestId('team-revoke-password').fill('not the password');
  await dialog.getByTestId('team-revoke-confirm').click();
  await expect(dialog.getByTestId('team-revoke-error')).toHaveText('用户名或密码不对。');
  await dialog.getByTestId('team-revoke-password').fill(hub.password);
  await dialog.getByTestId('team-revoke-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(bRow.getByTestId('team-station-state')).toContainText('已吊销');
  await expect(bRow.getByTestId('team-revoke')).toHaveCount(0);
  await expect(b.sync()).rejects.toThrow(/TOKEN_REVOKED/);
});
