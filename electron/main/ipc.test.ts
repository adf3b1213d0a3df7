// ipc.ts forwards shopfleet:call to the core, answers with Results (never throws across IPC),
// refuses untrusted senders, and relays only allow-listed events.
import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../shared/result.ts';

const electron = vi.hoisted(() => ({ handlers: new Map<string, (...args: unknown[]) => unknown>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => electron.handlers.set(channel, fn),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
  },
}));

const { registerIpc, relayEvent } = await import('./ipc.ts');
const { CALL_CHANNEL, EVENT_CHANNEL } = await import('../preload/channels.ts');

const fromApp = { senderFrame: { url: 'app://shopfleet/index.html' } };

function setup(call: (name: string, input: unknown) => Promise<Result<unknown>>) {
  const core = { call: vi.fn(call) };
  const dispose = registerIpc(core);
  const invoke = (event: unknown, ...args: unknown[]) => electron.handlers.get(CALL_CHANNEL)!(event, ...args) as Promise<Result<unknown>>;
  return { core, dispose, invoke };
}

describe('ipc', () => {
  it('forwards a call to the core and returns its Result', async () => {
    const { core, dispose, invoke } = setup(async (name) => ({ ok: true, value: { echoed: name } }));
    await expect(invoke(fromApp, 'shops.list', {})).resolves.toEqual({ ok: true, value: { echoed: 'shops.list' } });
    expect(core.call).toHaveBeenCalledWith('shops.list', {});
    dispose();
    expect(electron.handlers.has(CALL_CHANNEL)).toBe(false);
  });

  it('passes error Results through unchanged', async () => {
    const error = { code: 'FORBIDDEN' as const, message: 'no' };
    const { dispose, invoke } = setup(async () => ({ ok: false, error }));
    await expect(invoke(fromApp, 'orders.close', { ids: ['a'], reason: 'x' })).resolves.toEqual({ ok: false, error });
    dispose();
  });

  it('turns a throwing core into an INTERNAL Result instead of a rejected invoke', async () => {
    const { dispose, invoke } = setup(async () => {
      throw new Error('host crashed');
    });
    await expect(invoke(fromApp, 'shops.list', {})).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'host crashed' } });
    dispose();
  });

  it('refuses non-string method names and untrusted senders without reaching the core', async () => {
    const { core, dispose, invoke } = setup(async () => ({ ok: true, value: null }));
    const bad = (await invoke(fromApp, { name: 'shops.list' }, {})) as Extract<Result<unknown>, { ok: false }>;
    expect(bad.error.code).toBe('UNKNOWN_METHOD');
    for (const sender of [{ senderFrame: { url: 'https://evil.example/' } }, { senderFrame: null }, {}]) {
      const res = (await invoke(sender, 'shops.list', {})) as Extract<Result<unknown>, { ok: false }>;
      expect(res.error.code).toBe('FORBIDDEN');
    }
    expect(core.call).not.toHaveBeenCalled();
    dispose();
  });

  it('relays allow-listed events to live windows only', () => {
    const live = { isDestroyed: () => false, send: vi.fn() };
    const dead = { isDestroyed: () => true, send: vi.fn() };
    relayEvent([live, dead] as never, 'db.changed', { tables: ['orders'] });
    relayEvent([live] as never, 'secrets.dump', { all: true });
    expect(live.send.mock.calls).toEqual([[EVENT_CHANNEL, 'db.changed', { tables: ['orders'] }]]);
    expect(dead.send).not.toHaveBeenCalled();
  });
});
