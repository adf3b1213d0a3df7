// The preload (bundled to dist-electron/preload.cjs, runs sandboxed): exposes exactly
// window.shopfleet = { call, on } and nothing of ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ShopfleetBridge } from '../shared/contract.ts';
import type { Result } from '../shared/result.ts';
import { BRIDGE_EVENTS, CALL_CHANNEL, EVENT_CHANNEL, NAVIGATE_CHANNEL, isBridgeEvent, isViewHash } from './channels.ts';

type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();

// One IPC subscription for all events; renderer listeners never see the IpcRendererEvent.
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(payload);
    } catch (err) {
      console.error(`[shopfleet] listener for ${name} failed`, err);
    }
  }
});

// Main names a view (a clicked notification): setting the hash is how the page's router hears it
// (a hashchange, as a typed address or a link would), so no bridge method is needed for it.
ipcRenderer.on(NAVIGATE_CHANNEL, (_event: IpcRendererEvent, hash: unknown) => {
  if (isViewHash(hash) && window.location.hash !== hash) window.location.hash = hash;
});

async function call(name: unknown, input: unknown): Promise<Result<unknown>> {
  if (typeof name !== 'string') return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'method name must be a string' } };
  try {
    return (await ipcRenderer.invoke(CALL_CHANNEL, name, input)) as Result<unknown>;
  } catch (err) {
    // invoke rejects when the input cannot be cloned; the bridge still answers with a Result.
    return { ok: false, error: { code: 'VALIDATION_FAILED', message: err instanceof Error ? err.message : String(err) } };
  }
}

function on(event: unknown, listener: unknown): () => void {
  if (!isBridgeEvent(event)) {
    throw new Error(`shopfleet.on: unknown event "${String(event)}"; allowed: ${BRIDGE_EVENTS.join(', ')}`);
  }
  if (typeof listener !== 'function') throw new Error('shopfleet.on: listener must be a function');
  const set = listeners.get(event) ?? new Set<Listener>();
  listeners.set(event, set);
  const fn = listener as Listener;
  set.add(fn);
  return () => {
    set.delete(fn);
  };
}

export const bridge = { call, on } as unknown as ShopfleetBridge;

contextBridge.exposeInMainWorld('shopfleet', bridge);
