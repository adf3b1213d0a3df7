// The preload exposes exactly window.shopfleet = { call, on }: calls always resolve to Results,
// `on` accepts only the contract's events, and no ipcRenderer object reaches the page.
import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES } from '../shared/contract.ts';
import { BRIDGE_EVENTS, CALL_CHANNEL, EVENT_CHANNEL, NAVIGATE_CHANNEL } from './channels.ts';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcListeners: new Map<string, (...args: unknown[]) => void>(),
  invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, fn: (...args: unknown[]) => void) => electron.ipcListeners.set(channel, fn),
  },
}));

await import('./index.ts');
const bridge = electron.exposed.get('shopfleet') as {
  call: (name: unknown, input?: unknown) => Promise<unknown>;
  on: (event: unknown, fn: unknown) => () => void;
};
const emit = (name: unknown, payload: unknown) => electron.ipcListeners.get(EVENT_CHANNEL)!({ sender: 'ipc-event' }, name, payload);

describe('preload bridge', () => {
  it('exposes only shopfleet with exactly call and on', () => {
    expect([...electron.exposed.keys()]).toEqual(['shopfleet']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('restates the contract event list exactly', () => {
    expect([...BRIDGE_EVENTS].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('invokes the call channel and returns the Result', async () => {
    electron.invoke.mockResolvedValueOnce({ ok: true, value: [] });
    await expect(bridge.call('shops.list', {})).resolves.toEqual({ ok: true, value: [] });
    expect(electron.invoke).toHaveBeenLastCalledWith(CALL_CHANNEL, 'shops.list', {});
  });

  it('answers a non-string method name without touching IPC', async () => {
    electron.invoke.mockClear();
    await expect(bridge.call(42)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(electron.invoke).not.toHaveBeenCalled();
  });

  it('turns a rejected invoke (uncloneable input) into a Result', async () => {
    electron.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    await expect(bridge.call('orders.list', { f: () => 1 })).resolves.toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'An object could not be cloned.' },
    });
  });

  it('refuses events outside the allow-list', () => {
    expect(() => bridge.on('ipc.raw', () => {})).toThrow(/unknown event/);
    expect(() => bridge.on({ toString: () => 'db.changed' }, () => {})).toThrow(/unknown event/);
    expect(() => bridge.on('db.changed', 'not a function')).toThrow(/listener/);
  });

  it('delivers payloads (not the IPC event) to subscribers until they unsubscribe', () => {
    const changed = vi.fn();
    const progress = vi.fn();
    const off = bridge.on('db.changed', changed);
    bridge.on('sync.progress', progress);
    emit('db.changed', { tables: ['orders'] });
    emit('sync.progress', { shopId: 's1', phase: 'page', pulled: 50 });
    off();
    emit('db.changed', { tables: ['tags'] });
    expect(changed.mock.calls).toEqual([[{ tables: ['orders'] }]]);
    expect(progress.mock.calls).toEqual([[{ shopId: 's1', phase: 'page', pulled: 50 }]]);
  });

  it('keeps delivering when one listener throws', () => {
    const after = vi.fn();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    bridge.on('db.changed', () => {
      throw new Error('renderer bug');
    });
    bridge.on('db.changed', after);
    emit('db.changed', { tables: ['shops'] });
    expect(after).toHaveBeenCalledWith({ tables: ['shops'] });
    errors.mockRestore();
  });

  it("shows the view main names (a clicked notification) by the page's hash, and nothing that is not a view's hash", () => {
    const page = { location: { hash: '#orders' } };
    vi.stubGlobal('window', page);
    try {
      const navigate = (hash: unknown) => electron.ipcListeners.get(NAVIGATE_CHANNEL)!({ sender: 'ipc-event' }, hash);
      navigate('#stock/alerts');
      expect(page.location.hash).toBe('#stock/alerts');
      for (const bad of ['javascript:alert(1)', '#stock/alerts?token=x', 'stock/alerts', 42, '#a b']) {
        navigate(bad);
        expect(page.location.hash).toBe('#stock/alerts');
      }
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
