// The only ipcMain user: answers the preload's `shopfleet:call` by forwarding to the core host,
// and relays allow-listed core events to windows. Never throws across IPC; errors are Results.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Result } from '../shared/result.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, isBridgeEvent } from '../preload/channels.ts';
import { isAppUrl } from './app-protocol.ts';

export interface CoreCaller {
  call(name: string, input: unknown): Promise<Result<unknown>>;
}

const MAX_METHOD_NAME = 100;

/** Only our own app:// pages may call the core (not a stray frame or an injected page). */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  return isAppUrl(event.senderFrame?.url);
}

export async function handleCall(core: CoreCaller, event: IpcMainInvokeEvent, name: unknown, input: unknown): Promise<Result<unknown>> {
  if (!trustedSender(event)) return { ok: false, error: { code: 'FORBIDDEN', message: '调用来源不受信任' } };
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_METHOD_NAME) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: '方法名必须是字符串' } };
  }
  try {
    return await core.call(name, input);
  } catch (err) {
    return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
  }
}

/** Register the call handler; returns a function that removes it. */
export function registerIpc(core: CoreCaller): () => void {
  ipcMain.handle(CALL_CHANNEL, (event, name: unknown, input: unknown) => handleCall(core, event, name, input));
  return () => ipcMain.removeHandler(CALL_CHANNEL);
}

/** Send one core event to the given windows' contents, if it is on the allow-list. */
export function relayEvent(targets: readonly WebContents[], event: string, payload: unknown): void {
  if (!isBridgeEvent(event)) return;
  for (const contents of targets) {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
  }
}
