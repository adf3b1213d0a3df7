// Stock-alert notifications in the Electron main process, with the electron module mocked: a change
// to stock_alerts makes main claim the new alerts and show one Notification each (or one summary),
// nothing is shown twice, other tables' changes do not claim, and an unsupported notification
// centre leaves the alerts unclaimed for the web page.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertClaim, AlertNotice, EventName } from '../shared/contract.ts';
import type { Result } from '../shared/result.ts';
import { claimTexts } from '../shared/stock-alert-notice.ts';

const shown = vi.hoisted(() => ({ list: [] as { title: string; body: string; clicks: (() => void)[] }[], supported: true }));
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => shown.supported;
    private readonly entry: { title: string; body: string; clicks: (() => void)[] };
    constructor(o: { title: string; body: string }) {
      this.entry = { title: o.title, body: o.body, clicks: [] };
    }
    on(event: string, fn: () => void) {
      if (event === 'click') this.entry.clicks.push(fn);
      return this;
    }
    show() {
      shown.list.push(this.entry);
    }
  },
}));

const { followStockAlerts } = await import('./stock-notifications.ts');

const notice = (sku: string, over: Partial<AlertNotice> = {}): AlertNotice => ({
  id: `a-${sku}`,
  kind: 'low',
  sku,
  title: '女装纯棉T恤',
  warehouse: null,
  shopName: null,
  details: { available: 2, threshold: 5, lowBy: ['threshold'] },
  ...over,
});

/** A core host double whose claim hands out each queued alert once, as the core's claim does. */
function hostWith(queue: AlertNotice[]) {
  const listeners = new Set<(e: EventName, p: unknown) => void>();
  const calls: string[] = [];
  return {
    calls,
    emit: (e: EventName, p: unknown) => listeners.forEach((l) => l(e, p)),
    call: async (name: string, input: unknown): Promise<Result<unknown>> => {
      calls.push(name);
      const taken = queue.splice(0);
      const notices = taken.slice(0, 3);
      const claim: AlertClaim = { notices, total: taken.length, show: claimTexts({ notices, total: taken.length }, (input as { lang: 'zh' | 'en' }).lang) };
      return { ok: true, value: claim };
    },
    onEvent: (l: (e: EventName, p: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

beforeEach(() => {
  shown.list.length = 0;
  shown.supported = true;
});

describe('stock alert notifications in main', () => {
  it('shows one Notification per new alert when stock_alerts changes, in the app language, once', async () => {
    const queue = [notice('NZ-2301-BK-M'), notice('SOCK-01', { kind: 'push_failed', shopName: '杭州女装旗舰店', details: { error: '商品参加活动中，库存被锁定' } })];
    const host = hostWith(queue);
    const focus = vi.fn();
    const f = followStockAlerts(host, { lang: 'zh', onClick: focus });
    host.emit('db.changed', { tables: ['orders'] });
    await f.claim();
    expect(host.calls).toEqual(['alerts.claimNotifications']);
    expect(shown.list.map((n) => [n.title, n.body])).toEqual([
      ['库存偏低 · NZ-2301-BK-M', '女装纯棉T恤 — 可用 2，不高于预警库存 5'],
      ['库存推送失败 · SOCK-01', '女装纯棉T恤 — 杭州女装旗舰店：商品参加活动中，库存被锁定'],
    ]);
    shown.list[0]!.clicks[0]!();
    // The click leads to the 预警 view, not only to the window.
    expect(focus.mock.calls).toEqual([['#stock/alerts']]);
    host.emit('db.changed', { tables: ['stock_alerts'] });
    await f.claim();
    expect(shown.list).toHaveLength(2);
    f.stop();
  });

  it('claims after a stock_alerts change (and after a reconnect), never for other tables', async () => {
    const queue: AlertNotice[] = [];
    const host = hostWith(queue);
    const f = followStockAlerts(host, { lang: 'en' });
    host.emit('db.changed', { tables: ['orders', 'audit_log'] });
    host.emit('sync.progress', { shopId: 's', phase: 'done', pulled: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(host.calls).toEqual([]);
    queue.push(notice('A-1', { kind: 'out', details: { available: 0, waiting: true } }));
    host.emit('db.changed', { tables: ['stock_alerts', 'ops'] });
    await new Promise((r) => setTimeout(r, 0));
    expect(shown.list.map((n) => n.title)).toEqual(['Out of stock · A-1']);
    expect(shown.list[0]!.body).toBe('女装纯棉T恤 — 0 available, orders are waiting');
    queue.push(notice('A-2'));
    host.emit('db.changed', { tables: ['*'] });
    await new Promise((r) => setTimeout(r, 0));
    expect(shown.list).toHaveLength(2);
    f.stop();
    queue.push(notice('A-3'));
    host.emit('db.changed', { tables: ['stock_alerts'] });
    await new Promise((r) => setTimeout(r, 0));
    expect(shown.list).toHaveLength(2);
  });

  it('many at once make one summary notification', async () => {
    const host = hostWith(['K-1', 'K-2', 'K-3', 'K-4', 'K-5'].map((s) => notice(s)));
    const f = followStockAlerts(host, { lang: 'zh' });
    await f.claim();
    expect(shown.list.map((n) => [n.title, n.body])).toEqual([['5 条新的库存预警', 'K-1、K-2、K-3 等，请在 库存 › 预警 查看']]);
  });

  it('without a notification centre, claims nothing (the alerts wait for a face that can show them)', async () => {
    shown.supported = false;
    const queue = [notice('X-1')];
    const host = hostWith(queue);
    await followStockAlerts(host, { lang: 'zh' }).claim();
    expect(host.calls).toEqual([]);
    expect(queue).toHaveLength(1);
  });
});
