// The browser transport's event stream against a real WebSocket server: pushes reach listeners, and
// every (re)connect tells db.changed listeners that anything may have changed unseen.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ANY_TABLE } from '../../electron/shared/contract.ts';
import { createWebBridge } from './web-bridge.ts';

let server: http.Server;
let wss: WebSocketServer;
let base: string;
const realWebSocket = globalThis.WebSocket;

beforeEach(async () => {
  // Node 20 has no WebSocket global; the ws client speaks the same protocol the browser does.
  (globalThis as { WebSocket: unknown }).WebSocket = WebSocket;
  server = http.createServer();
  wss = new WebSocketServer({ server, path: '/api/events' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  (globalThis as { WebSocket: unknown }).WebSocket = realWebSocket;
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
  await new Promise((r) => server.close(r));
});

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('web bridge events', () => {
  it('refreshes every view when the stream opens and again after a reconnect; pushes arrive in between', async () => {
    const bridge = createWebBridge('tok', base);
    const seen: string[][] = [];
    const off = bridge.on('db.changed', (p) => seen.push(p.tables));
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual([ANY_TABLE]);

    const [client] = [...wss.clients];
    client!.send(JSON.stringify({ event: 'db.changed', payload: { tables: ['orders'] } }));
    await until(() => seen.length === 2);
    expect(seen[1]).toEqual(['orders']);

    // The host restarts: the socket drops, the bridge reconnects (after its 500 ms backoff) and says so.
    client!.terminate();
    await until(() => seen.length === 3);
    expect(seen[2]).toEqual([ANY_TABLE]);
    off();
    for (const c of wss.clients) c.terminate();
  });
});
