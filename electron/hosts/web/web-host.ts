// The web host: serves the built renderer and carries the API over HTTP + WebSocket on 127.0.0.1,
// so the unchanged React app runs in any browser (and Playwright) against a real core.
// `shopfleet serve` (and `npm run serve`) runs it on a station database and prints the URL with its token.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openBrowser from 'open';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES } from '../../shared/contract.ts';
import type { Result } from '../../shared/result.ts';
import { createCore, type Core } from '../../core/app.ts';
import { defaultDbFile } from '../cli/data-dir.ts';
import { RENDERER_SOURCES, rendererStamp, staleReason, writeStamp } from './freshness.mjs';
import { sandboxDemo } from '../../sandbox/index.ts';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; frame-ancestors 'none'";

/** Big enough for a 200 000-id batch command (uuid v7 ≈ 39 bytes each in JSON), small enough to refuse junk. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** docs/architecture.md#conventions (10): calls slower than this are logged with their method name. */
export const SLOW_CALL_MS = 40;
const ALLOWED_HOSTNAMES = new Set(['127.0.0.1', 'localhost']);

/**
 * The project folder (dist/ and the renderer's sources live there): the nearest folder upwards with
 * ShopFleet's package.json. Found by looking, because this module runs from electron/hosts/web/
 * (sources, tsx) and from dist-cli/ (the bundle), at different depths.
 */
export const repoRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'shopfleet') return dir;
    } catch {
      // no package.json here (or not ours): keep climbing
    }
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export interface WebHostOptions {
  core: Core;
  /** 0 = any free port. A taken non-zero port falls back to a free one unless strictPort. */
  port?: number;
  strictPort?: boolean;
  /** The built renderer (default: dist/ at the repository root). */
  staticDir?: string;
  /** Fixed token (tests); default a fresh random one per start. */
  token?: string;
  /** Further origins allowed to call, e.g. the Vite dev server (http://localhost:5173) proxying /api. */
  extraOrigins?: string[];
  /** Where slow calls and errors are reported (default console.warn). */
  log?: (line: string) => void;
}

export interface WebHost {
  /** http://127.0.0.1:PORT/#token=TOKEN — the token rides in the fragment so it never reaches a server log. */
  url: string;
  /** http://127.0.0.1:PORT without the token. */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Constant-time token check: hash both sides so lengths match and timing says nothing. */
function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function bearerToken(req: http.IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * DNS rebinding defence: a page from evil.example that re-points its name at 127.0.0.1 still sends
 * `Host: evil.example`, so only loopback names (on our port) are served.
 */
function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  let url: URL;
  try {
    url = new URL(`http://${hostHeader}`);
  } catch {
    return false;
  }
  if (!ALLOWED_HOSTNAMES.has(url.hostname)) return false;
  const p = url.port === '' ? 80 : Number(url.port);
  return p === port;
}

/** Browsers send Origin on cross-origin requests and WebSocket handshakes; only our own page may call. */
function originAllowed(origin: string | undefined, port: number, extra: readonly string[]): boolean {
  if (origin === undefined) return true; // not a browser cross-origin request (curl, the CLI, tests)
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}` || extra.includes(origin);
}

function setSecurityHeaders(res: http.ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A refusal sent before the body was read: close the connection so the unread body cannot poison the next request. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody) res.setHeader('Connection', 'close');
  sendJson(res, status, body);
}

function failure(code: 'UNAUTHENTICATED' | 'VALIDATION_FAILED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INTERNAL', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // Loopback only: the station's data never listens on a LAN interface.
    server.listen(port, '127.0.0.1');
  });
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const { core } = opts;
  const log = opts.log ?? ((line: string) => console.warn(line));
  const token = opts.token ?? crypto.randomBytes(32).toString('base64url');
  const extraOrigins = opts.extraOrigins ?? [];
  const staticDir = path.resolve(opts.staticDir ?? path.join(repoRoot, 'dist'));
  const hasRenderer = fs.existsSync(path.join(staticDir, 'index.html'));
  // sirv indexes the folder once at start (dev: false) and falls back to index.html for app routes.
  const serveStatic = hasRenderer ? sirv(staticDir, { dev: false, etag: true, single: true, gzip: false, brotli: false }) : null;
  let port = 0;

  async function handleCall(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      refuse(req, res, 405, failure('VALIDATION_FAILED', 'Use POST /api/call'));
      return;
    }
    if (!tokenMatches(bearerToken(req), token)) {
      refuse(req, res, 401, failure('UNAUTHENTICATED', 'Missing or wrong token: open the URL the web host printed'));
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        refuse(req, res, 413, failure('VALIDATION_FAILED', `Request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, failure('VALIDATION_FAILED', 'Body is not valid JSON'));
      return;
    }
    if (typeof body !== 'object' || body === null || typeof (body as { name?: unknown }).name !== 'string') {
      sendJson(res, 400, failure('VALIDATION_FAILED', 'Body must be {"name": string, "input": object}'));
      return;
    }
    const { name, input } = body as { name: string; input?: unknown };
    const started = performance.now();
    const result = await core.call(name, input ?? {});
    const ms = performance.now() - started;
    if (ms > SLOW_CALL_MS) log(`[web-host] slow call ${name}: ${ms.toFixed(1)} ms`);
    sendJson(res, 200, result);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostAllowed(req.headers.host, port)) {
      refuse(req, res, 403, failure('FORBIDDEN', 'Host not allowed: use http://127.0.0.1'));
      return;
    }
    if (!originAllowed(req.headers.origin, port, extraOrigins)) {
      refuse(req, res, 403, failure('FORBIDDEN', 'Cross-origin requests are not allowed'));
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname === '/api/call') return handleCall(req, res);
    if (pathname.startsWith('/api/')) {
      refuse(req, res, 404, failure('NOT_FOUND', `No API route ${pathname}`));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!serveStatic) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`ShopFleet renderer is not built (no ${path.join(staticDir, 'index.html')}). Run: npm run build:renderer\n`);
      return;
    }
    serveStatic(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`[web-host] ${req.method} ${req.url?.split('?')[0]} failed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) sendJson(res, 500, failure('INTERNAL', 'Web host error'));
      else res.destroy();
    });
  });
  server.requestTimeout = 120_000;

  // Events: one subscription per event on the core, fanned out to every authenticated socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const clients = new Set<WebSocket>();
  const unsubscribe = EVENT_NAMES.map((event) =>
    core.on(event, (payload) => {
      if (clients.size === 0) return;
      const message = JSON.stringify({ event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(message);
    }),
  );

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port, extraOrigins)) return refuse(403, 'Forbidden');
    if (url.pathname !== '/api/events') return refuse(404, 'Not Found');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
    });
  });

  const wanted = opts.port ?? 0;
  try {
    await listen(server, wanted);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || wanted === 0 || opts.strictPort) throw err;
    log(`[web-host] port ${wanted} is taken; using a free port instead`);
    await listen(server, 0);
  }
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | null = null;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close: () =>
      (closed ??= (async () => {
        for (const off of unsubscribe) off();
        for (const ws of clients) ws.terminate();
        clients.clear();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      })()),
  };
}

/**
 * Build the renderer when dist/ has none or its sources changed since (a `git pull`, an edit), so
 * `npm run serve` never serves a stale UI. Sources: freshness.mjs RENDERER_SOURCES.
 */
export async function ensureRenderer(staticDir: string = path.join(repoRoot, 'dist'), root: string = repoRoot): Promise<boolean> {
  const why = staleReason(root, rendererStamp(staticDir), RENDERER_SOURCES);
  if (why === null) return true;
  const viteBin = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  process.stderr.write(`[web-host] building the renderer (${why}): vite build…\n`);
  // A child process the event loop waits on, not spawnSync: the station is already open and its
  // demo gateways and sync answer meanwhile.
  const built =
    fs.existsSync(viteBin) &&
    (await new Promise<boolean>((resolve) => {
      const child = spawn(process.execPath, [viteBin, 'build', '--outDir', staticDir, '--emptyOutDir'], { cwd: root, stdio: ['ignore', 2, 2] });
      child.on('error', () => resolve(false));
      child.on('close', (code) => resolve(code === 0));
    }));
  if (built && fs.existsSync(path.join(staticDir, 'index.html'))) {
    writeStamp(staticDir);
    return true;
  }
  process.stderr.write('[web-host] could not build the renderer. Fix: npm ci && npm run build:renderer\n');
  return false;
}

export interface ServeOptions {
  dbFile?: string;
  port?: number;
  /** Create the demo team when the database has no shops (default true). */
  demo?: boolean;
  sync?: boolean;
  open?: boolean;
  staticDir?: string;
}

/** Open a station database and serve it: what `npm run serve` and `shopfleet serve` do. */
export async function serveStation(options: ServeOptions): Promise<{ core: Core; host: WebHost; close(): Promise<void> }> {
  const dbFile = path.resolve(options.dbFile ?? defaultDbFile());
  const staticDir = options.staticDir ?? path.join(repoRoot, 'dist');
  // The database first: a damaged or unwritable station is reported before any build is spent.
  const core = await createCore({ dbFile, demo: options.demo ?? true, demoProvider: sandboxDemo, sync: options.sync ?? true });
  if (!options.staticDir) await ensureRenderer(staticDir);
  let host: WebHost;
  try {
    host = await startWebHost({ core, port: options.port ?? 5178, staticDir });
  } catch (err) {
    await core.close();
    throw err;
  }
  process.stdout.write(`ShopFleet 店群订单台 — ${dbFile}\n${host.url}\n`);
  if (options.open) {
    // A missing browser (headless server, CI) is not an error: the URL is printed above.
    openBrowser(host.url).catch((err: unknown) => process.stderr.write(`[web-host] could not open a browser: ${String(err)}\n`));
  }
  return {
    core,
    host,
    close: async () => {
      await host.close();
      await core.close();
    },
  };
}

/** Stop cleanly on Ctrl+C / SIGTERM so SQLite checkpoints its WAL. */
export function closeOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        // One sentence: the station is stopping either way, and a stack trace tells its user nothing.
        process.stderr.write(`[web-host] could not close cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
