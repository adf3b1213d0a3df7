// The core host's loop: open the core on 'init', answer 'call's with Results, forward core
// events, and close the database cleanly on 'shutdown'. Free of electron so it tests under Node.
import { EVENT_NAMES } from '../../shared/contract.ts';
import { AppError, apiErrorOf, type ApiError, type Result } from '../../shared/result.ts';
import type { Core, CoreOptions } from '../../core/app.ts';
import { createRawKeyCipher, keyFileFor } from '../../core/shops/secrets.ts';
import type { Endpoint, HostToMain, MainToHost } from './protocol.ts';
import { sandboxDemo } from '../../sandbox/index.ts';

export interface ServeDeps {
  createCore: (options: CoreOptions) => Promise<Core>;
  /** Called after a clean shutdown (the entry exits the process here). */
  onClosed?: () => void;
}

function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) return apiErrorOf(err);
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

function isMessage(value: unknown): value is MainToHost {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function serveCore(endpoint: Endpoint<unknown, HostToMain>, deps: ServeDeps): void {
  let core: Core | null = null;
  let fatal: ApiError | null = null;
  let starting: Promise<void> | null = null;
  const unsubscribe: (() => void)[] = [];

  // A Result that cannot be structured-cloned must still reach main as a Result.
  const reply = (id: number, result: Result<unknown>): void => {
    try {
      endpoint.postMessage({ type: 'result', id, result });
    } catch (err) {
      endpoint.postMessage({ type: 'result', id, result: { ok: false, error: { code: 'INTERNAL', message: `result could not be sent: ${String(err)}` } } });
    }
  };

  const start = async (message: Extract<MainToHost, { type: 'init' }>): Promise<void> => {
    try {
      const { dbFile, nativeBinding, migrationsFolder, fontsDir, demo, sync, osKeychainKey } = message.options;
      // Where labels find their faces (electron/core/labels/font.ts reads it), set before the core starts
      // its background worker, which prints and inherits this environment. A station's own setting wins.
      if (fontsDir) process.env.SHOPFLEET_FONT_DIR ??= fontsDir;
      core = await deps.createCore({
        dbFile,
        demo,
        demoProvider: sandboxDemo,
        sync,
        // The keychain's key; rows written earlier with the local key file still open (and move over on their next write).
        ...(osKeychainKey ? { secretCipher: createRawKeyCipher(Buffer.from(osKeychainKey, 'base64'), 'os-keychain', keyFileFor(dbFile)) } : {}),
        ...(nativeBinding ? { nativeBinding } : {}),
        ...(migrationsFolder ? { migrationsFolder } : {}),
      });
      for (const event of EVENT_NAMES) {
        unsubscribe.push(core.on(event, (payload) => endpoint.postMessage({ type: 'event', event, payload })));
      }
      endpoint.postMessage({ type: 'ready' });
    } catch (err) {
      fatal = toApiError(err);
      console.error('[core-host] core failed to start', err);
      endpoint.postMessage({ type: 'fatal', error: fatal });
    }
  };

  const answer = async (message: Extract<MainToHost, { type: 'call' }>): Promise<void> => {
    if (starting) await starting;
    if (!core) {
      reply(message.id, { ok: false, error: fatal ?? { code: 'INTERNAL', message: 'the core has not been started' } });
      return;
    }
    try {
      reply(message.id, await core.call(message.name, message.input));
    } catch (err) {
      // core.call already returns Results; this guards against a transport-level surprise.
      reply(message.id, { ok: false, error: toApiError(err) });
    }
  };

  const shutdown = async (): Promise<void> => {
    if (starting) await starting;
    for (const off of unsubscribe.splice(0)) off();
    try {
      await core?.close();
    } catch (err) {
      console.error('[core-host] close failed', err);
    }
    core = null;
    endpoint.postMessage({ type: 'closed' });
    deps.onClosed?.();
  };

  endpoint.onMessage((message) => {
    if (!isMessage(message)) return;
    switch (message.type) {
      case 'init':
        if (starting) return; // one core per host
        starting = start(message);
        return;
      case 'call':
        if (typeof message.id !== 'number' || typeof message.name !== 'string') return;
        void answer(message);
        return;
      case 'shutdown':
        void shutdown();
        return;
    }
  });
}
