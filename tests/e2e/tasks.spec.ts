// Working together on one station (the demo, no hub): a task made from the order drawer for
// oneself, counted on 我的任务 and moved to done there; a note whose @ picker names a person lands in
// that person's 我的任务 under @我的 and opens its order; the drawer's timeline shows both with who
// did them. Both screen sizes: a new page and new drawer sections must fit.
import { expect, test } from './fixtures.ts';
import { fitsWidth } from './stock-helpers.ts';

test.use({ demoOrders: 60 });

test('a task for oneself moved to done, an @mention in 我的任务, both in the timeline', async ({ page, app }) => {
  const row = page.getByTestId('order-row').first();
  const platformOrderId = (await row.getAttribute('data-platform-order-id'))!;
  await row.dblclick();
  const drawer = page.getByTestId('order-drawer');
  await expect(drawer.getByTestId('drawer-platform-order-id')).toHaveText(platformOrderId);

  // 新建任务 with a preset title, for oneself (the default).
  const tasks = drawer.getByTestId('drawer-tasks');
  await tasks.getByTestId('task-new').click();
  await tasks.getByTestId('task-preset-address').click();
  await expect(tasks.getByTestId('task-title')).toHaveValue('核对地址');
  await tasks.getByTestId('task-create').click();
  const orderTask = tasks.getByTestId('order-task');
  await expect(orderTask).toHaveCount(1);
  await expect(orderTask.getByTestId('task-state')).toHaveText('待办');
  await expect(page.getByTestId('task-count')).toHaveText('1');

  // A note: typing @ offers the team's people; the choice goes in as @名字.
  const me = (await page.getByTestId('whoami').locator('.whoami-name').textContent())!.trim();
  const note = drawer.getByTestId('note-input');
  await note.click();
  await note.pressSequentially('@');
  const picker = drawer.getByTestId('mention-picker');
  await expect(picker).toBeVisible();
  await picker.getByTestId('mention-option').filter({ hasText: me }).click();
  await expect(note).toHaveValue(`@${me} `);
  await note.pressSequentially('请核对门牌号');
  await drawer.getByTestId('note-add').click();
  await expect(drawer.getByTestId('note')).toContainText(`@${me} 请核对门牌号`);
  await expect(drawer.getByTestId('note').getByTestId('mention')).toHaveText(`@${me}`);

  // The timeline names who did what: the task and the note, by this person.
  const timeline = drawer.getByTestId('drawer-timeline');
  await expect(timeline.locator('[data-testid=timeline-entry][data-kind=task]')).toContainText('核对地址');
  await expect(timeline.locator('[data-testid=timeline-entry][data-kind=note]')).toContainText('请核对门牌号');
  await expect(timeline.locator('[data-testid=timeline-entry][data-kind=note]').getByTestId('timeline-who')).toContainText(me);
  await fitsWidth(page);
  await page.getByTestId('drawer-close').click();

  // 我的任务: the task is listed; done takes it off the open list and onto 已完成.
  await page.getByTestId('nav-tasks').click();
  await expect(page).toHaveURL(/#tasks$/);
  const taskRow = page.getByTestId('task-row').filter({ hasText: '核对地址' });
  await expect(taskRow).toHaveAttribute('data-state', 'open');
  await expect(taskRow).toContainText(platformOrderId);
  await fitsWidth(page);
  await taskRow.getByTestId('task-done').click();
  await expect(page.getByTestId('tasks-empty')).toBeVisible();
  await expect(page.getByTestId('task-count')).toHaveCount(0);
  await page.getByTestId('tasks-filter-done').click();
  await expect(page.getByTestId('task-row').filter({ hasText: '核对地址' })).toHaveAttribute('data-state', 'done');

  // @我的: the note that mentioned this person, which opens its order.
  await page.getByTestId('tasks-filter-mentions').click();
  const mention = page.getByTestId('mention-row');
  await expect(mention).toHaveCount(1);
  await expect(mention).toContainText('请核对门牌号');
  await mention.getByTestId('mention-open-order').click();
  await expect(page).toHaveURL(/#orders$/);
  await expect(page.getByTestId('order-drawer').getByTestId('drawer-platform-order-id')).toHaveText(platformOrderId);
  await expect(page.getByTestId('order-drawer').getByTestId('order-task').getByTestId('task-state')).toHaveText('已完成');
  expect(app.pageErrors).toEqual([]);
});
