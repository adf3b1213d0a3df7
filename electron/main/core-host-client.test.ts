// CoreHostClient against a scripted host process: ids, crash handling, restarts and shutdown.
import { describe, expect, it } from 'vitest';
import type { HostToMain, MainToHost } from '../hosts/utility/protocol.ts';
import { CoreHostClient, type HostProcess } from './core-host-client.ts';

/** A host process whose replies the test scripts; records what main sent. */
class ScriptedHost implements HostProcess {
  sent: MainToHost[] = [];
  killed = false;
  private messageListeners: ((m: unknown) => void)[] = [];
  private exitListeners: ((code: number) => void)[] = [];
  constructor(private readonly onSend: (host: ScriptedHost, message: MainToHost) => void) {}
  postMessage(message: MainToHost) {
    this.sent.push(message);
    queueMicrotask(() => this.onSend(this, message));
  }
  onMessage(listener: (m: unknown) => void) {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number) => void) {
    this.exitListeners.push(listener);
  }
  kill() {
    this.killed = true;
    this.exit(1);
  }
  reply(message: HostToMain) {
    for (const fn of this.messageListeners) fn(message);
  }
  exit(code: number) {
    for (const fn of this.exitListeners) fn(code);
  }
}

const init = { dbFile: '/tmp/x.db', demo: false, sync: false };

/** Answers init with ready and calls with their own name, in reverse order of arrival. */
function echoHost(): ScriptedHost {
  const held: Extract<MainToHost, { type: 'call' }>[] = [];
  return new ScriptedHost((host, message) => {
    if (message.type === 'init') host.reply({ type: 'ready' });
    if (message.type === 'call') {
      held.push(message);
      if (held.length === 3) for (const m of held.reverse()) host.reply({ type: 'result', id: m.id, result: { ok: true, value: m.name } });
    }
    if (message.type === 'shutdown') host.reply({ type: 'closed' });
  });
}

describe('CoreHostClient', () => {
  it('sends init first and matches out-of-order results by id', async () => {
    const host = echoHost();
    const client = new CoreHostClient(() => host, init);
    await expect(client.start()).resolves.toEqual({ ok: true });
    expect(host.sent[0]).toEqual({ type: 'init', options: init });
    const results = await Promise.all(['a', 'b', 'c'].map((name) => client.call(name, {})));
    expect(results).toEqual([
      { ok: true, value: 'a' },
      { ok: true, value: 'b' },
      { ok: true, value: 'c' },
    ]);
  });

  it('answers calls in flight when the host dies, then restarts it', async () => {
    const hosts: ScriptedHost[] = [];
    const client = new CoreHostClient(() => {
      const host = new ScriptedHost((h, m) => m.type === 'init' && h.reply({ type: 'ready' }));
      hosts.push(host);
      return host;
    }, init);
    await client.start();
    const inFlight = client.call('orders.list', {});
    await Promise.resolve();
    hosts[0]!.exit(134);
    await expect(inFlight).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('134') } });
    expect(hosts).toHaveLength(2);
    expect(hosts[1]!.sent[0]).toEqual({ type: 'init', options: init });
  });

  it('gives up after maxRestarts and reports the start as failed', async () => {
    let spawned = 0;
    const client = new CoreHostClient(
      () => {
        spawned++;
        const host = new ScriptedHost((h, m) => m.type === 'init' && h.exit(1));
        return host;
      },
      init,
      { maxRestarts: 2 },
    );
    await expect(client.start()).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(spawned).toBe(3);
  });

  it('passes a fatal start error through and does not restart', async () => {
    let spawned = 0;
    const error = { code: 'NATIVE_ABI_MISMATCH' as const, message: 'run npm run build:native-electron' };
    const client = new CoreHostClient(() => {
      spawned++;
      return new ScriptedHost((h, m) => m.type === 'init' && h.reply({ type: 'fatal', error }));
    }, init);
    await expect(client.start()).resolves.toEqual({ ok: false, error });
    expect(spawned).toBe(1);
  });

  it('shuts down gracefully, or kills a host that does not answer', async () => {
    const polite = echoHost();
    const a = new CoreHostClient(() => polite, init);
    await a.start();
    await a.close();
    expect(polite.sent.at(-1)).toEqual({ type: 'shutdown' });
    expect(polite.killed).toBe(false);
    await expect(a.call('shops.list', {})).resolves.toMatchObject({ ok: false });

    const stuck = new ScriptedHost((h, m) => m.type === 'init' && h.reply({ type: 'ready' }));
    const b = new CoreHostClient(() => stuck, init, { closeTimeoutMs: 20 });
    await b.start();
    await b.close();
    expect(stuck.killed).toBe(true);
  });

  it('answers uncloneable input with VALIDATION_FAILED', async () => {
    const host = echoHost();
    const client = new CoreHostClient(() => host, init);
    await client.start();
    host.postMessage = () => {
      throw new Error('could not be cloned');
    };
    await expect(client.call('orders.list', { fn: () => 1 })).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('forwards events to every listener until unsubscribed', async () => {
    const host = echoHost();
    const client = new CoreHostClient(() => host, init);
    await client.start();
    const seen: string[] = [];
    const off = client.onEvent((event) => seen.push(`1:${event}`));
    client.onEvent((event) => seen.push(`2:${event}`));
    host.reply({ type: 'event', event: 'db.changed', payload: { tables: ['orders'] } });
    off();
    host.reply({ type: 'event', event: 'sync.progress', payload: {} });
    expect(seen).toEqual(['1:db.changed', '2:db.changed', '2:sync.progress']);
  });
});
