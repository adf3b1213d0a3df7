// The renderer's one way to reach the core: the Electron bridge when present, else the web host.
// Calls resolve to the value or throw an ApiCallError carrying the contract's error code.
import type { ApiEvents, ApiInput, ApiOutput, EventName, MethodName, ShopfleetBridge } from '../../electron/shared/contract.ts';
import { ApiCallError, toApiCallError } from './api-error.ts';
import { takeToken } from './token.ts';
import { createWebBridge } from './web-bridge.ts';

declare global {
  interface Window {
    shopfleet?: ShopfleetBridge;
  }
}

export interface ApiClient {
  call<M extends MethodName>(name: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export function createClient(bridge: ShopfleetBridge): ApiClient {
  return {
    async call(name, input) {
      let result;
      try {
        result = await bridge.call(name, input);
      } catch (err) {
        throw toApiCallError(name, err);
      }
      if (!result.ok) throw new ApiCallError(name, result.error);
      return result.value;
    },
    on: (event, listener) => bridge.on(event, listener),
  };
}

function pickBridge(): ShopfleetBridge {
  if (typeof window !== 'undefined' && window.shopfleet) return window.shopfleet;
  return createWebBridge(takeToken());
}

let instance: ApiClient | null = null;

/** The shared client, created on first use (so tests can import modules without a window). */
export const api: ApiClient = {
  call: (name, input) => (instance ??= createClient(pickBridge())).call(name, input),
  on: (event, listener) => (instance ??= createClient(pickBridge())).on(event, listener),
};
