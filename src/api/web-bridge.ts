// The browser transport: POST /api/call for methods, a WebSocket on /api/events for pushes,
// reconnecting with capped exponential backoff so a restarted host is picked up again.
import { ANY_TABLE, type ApiEvents, type ApiInput, type ApiOutput, type EventName, type MethodName, type ShopfleetBridge } from '../../electron/shared/contract.ts';
import type { Result } from '../../electron/shared/result.ts';

type Listener = (payload: unknown) => void;

export function backoffDelay(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
}

export function createWebBridge(token: string | null, base: string = window.location.origin): ShopfleetBridge {
  const listeners = new Map<EventName, Set<Listener>>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const connect = (): void => {
    const url = new URL('/api/events', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('token', token);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      // Commits made before this socket was open (the page's first queries raced it, or the host
      // restarted) were pushed to nobody: every view refreshes once.
      for (const fn of listeners.get('db.changed') ?? []) fn({ tables: [ANY_TABLE] } satisfies ApiEvents['db.changed']);
    };
    ws.onmessage = (msg) => {
      try {
        const data = JSON.parse(String(msg.data)) as { event?: EventName; payload?: unknown };
        if (!data.event) return;
        for (const fn of listeners.get(data.event) ?? []) fn(data.payload);
      } catch {
        // A malformed push is dropped; the next db.changed refreshes anyway.
      }
    };
    ws.onclose = () => {
      socket = null;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        attempt += 1;
        connect();
      }, backoffDelay(attempt));
    };
  };

  return {
    async call<M extends MethodName>(name: M, input: ApiInput<M>): Promise<Result<ApiOutput<M>>> {
      const res = await fetch(new URL('/api/call', base), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ name, input }),
      });
      const text = await res.text();
      try {
        return JSON.parse(text) as Result<ApiOutput<M>>;
      } catch {
        return {
          ok: false,
          error: { code: res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', message: `HTTP ${res.status}: ${text.slice(0, 200)}` },
        };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      if (!socket && !timer) connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
  };
}
