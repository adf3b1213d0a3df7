// The web host against a real core on a temp database: token, Host/Origin checks, headers,
// loopback-only binding, the API round trip and the event socket.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../core/app.ts';
import { CONTENT_SECURITY_POLICY, MAX_BODY_BYTES, startWebHost, type WebHost } from './web-host.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => any;
}

/** node:http rather than fetch, because fetch may not set Host or Origin (forbidden headers). */
function request(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

let dir: string;
let staticDir: string;
let core: Core;
let host: WebHost;
const logs: string[] = [];

const call = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  request(host.port, {
    method: 'POST',
    path: '/api/call',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}`, ...headers },
    body: JSON.stringify({ name, input }),
  });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-webhost-'));
  staticDir = path.join(dir, 'dist');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>店群订单台</title><div id="root"></div>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  core = await createCore({ dbFile: path.join(dir, 'station.db'), demo: false, sync: false });
  host = await startWebHost({ core, port: 0, staticDir, log: (l) => logs.push(l) });
});

afterAll(async () => {
  await host?.close();
  await core?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('web host', () => {
  it('prints a loopback URL with a random token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
    expect(host.port).toBeGreaterThan(0);
  });

  it('answers a call with a Result from the real core', async () => {
    const r = await call('session.whoami', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.json()).toMatchObject({ ok: true, value: { role: 'owner', name: '店主' } });
    const shops = (await call('shops.list', {})).json();
    expect(shops).toEqual({ ok: true, value: [] });
  });

  it('returns validation and unknown-method errors as Results, not HTTP errors', async () => {
    const bad = await call('orders.list', { limit: 'lots' });
    expect(bad.status).toBe(200);
    expect(bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(bad.json().error.message).toMatch(/limit/);
    const unknown = await call('orders.explode', {});
    expect(unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('refuses calls without the token, or with a wrong one, with 401 UNAUTHENTICATED', async () => {
    const body = JSON.stringify({ name: 'session.whoami', input: {} });
    const none = await request(host.port, { method: 'POST', path: '/api/call', body });
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const wrong = await request(host.port, { method: 'POST', path: '/api/call', body, headers: { Authorization: `Bearer ${host.token}x` } });
    expect(wrong.status).toBe(401);
    const scheme = await request(host.port, { method: 'POST', path: '/api/call', body, headers: { Authorization: `Basic ${host.token}` } });
    expect(scheme.status).toBe(401);
  });

  it('rejects malformed JSON and bodies without a method name with 400', async () => {
    const auth = { Authorization: `Bearer ${host.token}` };
    const junk = await request(host.port, { method: 'POST', path: '/api/call', headers: auth, body: '{"name": "session.whoami",' });
    expect(junk.status).toBe(400);
    expect(junk.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const noName = await request(host.port, { method: 'POST', path: '/api/call', headers: auth, body: '[1,2]' });
    expect(noName.status).toBe(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1024, 0x20);
    const r = await request(host.port, { method: 'POST', path: '/api/call', headers: { Authorization: `Bearer ${host.token}` }, body: big }).catch(
      (err: NodeJS.ErrnoException) => ({ status: err.code === 'EPIPE' || err.code === 'ECONNRESET' ? 413 : 0 }) as Reply,
    );
    expect(r.status).toBe(413);
  });

  it('only answers to loopback Host names on its own port (DNS rebinding)', async () => {
    const auth = { Authorization: `Bearer ${host.token}` };
    const body = JSON.stringify({ name: 'session.whoami', input: {} });
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1.nip.io:${host.port}`, `127.0.0.1:${host.port + 1}`]) {
      const r = await request(host.port, { method: 'POST', path: '/api/call', headers: { ...auth, Host: h }, body });
      expect(r.status, h).toBe(403);
      const page = await request(host.port, { headers: { Host: h } });
      expect(page.status, h).toBe(403);
    }
    const viaLocalhost = await request(host.port, { method: 'POST', path: '/api/call', headers: { ...auth, Host: `localhost:${host.port}` }, body });
    expect(viaLocalhost.status).toBe(200);
  });

  it('refuses cross-origin callers and accepts its own origin', async () => {
    const evil = await call('session.whoami', {}, { Origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const otherPort = await call('session.whoami', {}, { Origin: `http://127.0.0.1:${host.port + 1}` });
    expect(otherPort.status).toBe(403);
    const own = await call('session.whoami', {}, { Origin: `http://127.0.0.1:${host.port}` });
    expect(own.status).toBe(200);
  });

  it('serves the renderer with the CSP and nosniff headers, falling back to index.html for app routes', async () => {
    const page = await request(host.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('店群订单台');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = await request(host.port, { path: '/assets/app.js' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const route = await request(host.port, { path: '/orders/awaiting_print' });
    expect(route.text).toContain('店群订单台');
    const api = await call('session.whoami', {});
    expect(api.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const unknownApi = await request(host.port, { path: '/api/nothing' });
    expect(unknownApi.status).toBe(404);
  });

  it('listens on 127.0.0.1 only', async () => {
    const refused = (h: string) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect({ host: h, port: host.port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
    const outward = Object.values(os.networkInterfaces())
      .flat()
      .filter((i): i is os.NetworkInterfaceInfo => !!i && !i.internal)
      .map((i) => i.address);
    for (const address of ['::1', ...outward]) expect(await refused(address), address).toBe(true);
    expect(await refused('127.0.0.1')).toBe(false);
  });

  it('pushes db.changed to an authenticated WebSocket after a command', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?token=${host.token}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const message = new Promise<{ event: string; payload: { tables: string[] } }>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    const created = await call('tags.create', { name: '加急' });
    expect(created.json()).toMatchObject({ ok: true, value: { name: '加急' } });
    const pushed = await message;
    expect(pushed.event).toBe('db.changed');
    expect(pushed.payload.tables).toEqual(expect.arrayContaining(['ops']));
    ws.close();
  });

  it('refuses WebSockets without the token or from another origin', async () => {
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.once('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once('open', () => {
          resolve(101);
          ws.close();
        });
        ws.once('error', () => resolve(-1));
      });
    expect(await status(`ws://127.0.0.1:${host.port}/api/events`)).toBe(401);
    expect(await status(`ws://127.0.0.1:${host.port}/api/events?token=nope`)).toBe(401);
    expect(await status(`ws://127.0.0.1:${host.port}/api/events?token=${host.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await status(`ws://127.0.0.1:${host.port}/api/events?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port}` })).toBe(101);
  });

  it('explains how to build the renderer when dist/ is missing, and still serves the API', async () => {
    const bare = await startWebHost({ core, port: 0, staticDir: path.join(dir, 'nothing-here') });
    try {
      const page = await request(bare.port, {});
      expect(page.status).toBe(503);
      expect(page.text).toMatch(/npm run build:renderer/);
      const r = await request(bare.port, {
        method: 'POST',
        path: '/api/call',
        headers: { Authorization: `Bearer ${bare.token}` },
        body: JSON.stringify({ name: 'session.whoami', input: {} }),
      });
      expect(r.json()).toMatchObject({ ok: true });
      expect(bare.token).not.toBe(host.token);
    } finally {
      await bare.close();
    }
  });

  it('logs calls slower than 40 ms with the method name', async () => {
    const lines: string[] = [];
    // The real core behind a transport that takes 60 ms, as a slow query would.
    const slowCore: Core = { ...core, call: async (name, input, actor) => (await new Promise((r) => setTimeout(r, 60)), core.call(name, input, actor)) };
    const slow = await startWebHost({ core: slowCore, port: 0, staticDir, log: (l) => lines.push(l) });
    try {
      const r = await request(slow.port, {
        method: 'POST',
        path: '/api/call',
        headers: { Authorization: `Bearer ${slow.token}` },
        body: JSON.stringify({ name: 'orders.counts', input: {} }),
      });
      expect(r.json()).toMatchObject({ ok: true });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/slow call orders\.counts: \d+\.\d ms/);
      await call('session.whoami', {});
      expect(logs.filter((l) => l.includes('session.whoami'))).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('falls back to a free port when the wanted one is taken, unless strictPort', async () => {
    const second = await startWebHost({ core, port: host.port, staticDir, log: () => {} });
    try {
      expect(second.port).not.toBe(host.port);
    } finally {
      await second.close();
    }
    await expect(startWebHost({ core, port: host.port, strictPort: true, staticDir })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
