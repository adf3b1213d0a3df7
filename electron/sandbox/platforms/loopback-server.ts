// The HTTP skeleton every loopback platform server (the sandboxes under pdd/, jd/, douyin/, kuaishou/,
// taobao/) shares: reading a request body, writing an answer, the faults that cut a body or answer 502,
// and listening on 127.0.0.1 with the shared transport faults (server-faults.ts) gating each request.
// Each platform's server.ts keeps its protocol: routes, params, signing, error bodies and codes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { PlatformOrder } from '../../shared/model.ts';
import type { ServerFaults } from './server-faults.ts';
import type { SandboxProduct } from './server-products.ts';

/**
 * The platform-shaped faults the pdd, jd, douyin and kuaishou servers switch on, in their own error
 * shapes (each server says what its badPayload breaks):
 * - 'http5xx': the gateway answers 502 with an HTML page;
 * - 'throttled': the platform's throttling error;
 * - 'tokenExpired': the platform's expired-token error;
 * - 'malformedJson': a 200 whose body is cut-off JSON;
 * - 'badPayload': every listed order has one broken field.
 */
export type ProtocolFault = 'http5xx' | 'throttled' | 'tokenExpired' | 'malformedJson' | 'badPayload';

/** What a loopback platform server starts with. */
export interface LoopbackServerOptions {
  orders: PlatformOrder[];
  appKey: string;
  appSecret: string;
  accessToken: string;
  now?: () => number;
  /** Loopback port to listen on (default 0: any free port). `shopfleet sandbox --port N` sets it. */
  port?: number;
  /** The shop's products, served by the platform's listing APIs (default: none). */
  products?: SandboxProduct[];
}

/** A server whose platform listing APIs serve a mutable product set (server-products.ts). */
export interface ProductListingServer {
  /** Mutable: change, add or remove products between listing calls. */
  products: SandboxProduct[];
}

/** What every loopback platform server offers tests and the sandbox CLI; each adds its own records (shipments, calls). */
export interface LoopbackPlatformServer<F> {
  /** The gateway address the adapter's `gateway` setting points at. */
  url: string;
  /** Switch a fault on for every following request (null: off). */
  setFault(f: F | null): void;
  /** Mutable: change, add or remove orders between pulls. */
  orders: PlatformOrder[];
  close(): Promise<void>;
}

/**
 * The part of a server's handle every platform shares: its address, the fault switch, and its orders
 * and products, read and replaced live (a test changes them between pulls). A server adds its own
 * records (shipments, calls) with Object.assign, which keeps these accessors.
 */
export function serverHandle<F>(
  url: string,
  state: { orders: PlatformOrder[]; products: SandboxProduct[] },
  setFault: (f: F | null) => void,
  close: () => Promise<void>,
): LoopbackPlatformServer<F> & ProductListingServer {
  return {
    url,
    setFault,
    get orders() {
      return state.orders;
    },
    set orders(next: PlatformOrder[]) {
      state.orders = next;
    },
    get products() {
      return state.products;
    },
    set products(next: SandboxProduct[]) {
      state.products = next;
    },
    close,
  };
}

/** The whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes one complete answer (the length set, so a client never waits for more); JSON unless `type` says otherwise. */
export function send(res: ServerResponse, status: number, body: string, type = 'application/json;charset=UTF-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The 5xx fault's answer: a 502 HTML page, as the load balancer in front of a platform's API sends. */
export function sendBadGateway(res: ServerResponse): void {
  send(res, 502, '<html><body>502 Bad Gateway</body></html>', 'text/html');
}

/** The malformed-JSON fault's body: the first half of a real answer, as a connection cut mid-body leaves it. */
export const cutOff = (text: string): string => text.slice(0, Math.floor(text.length / 2));

export interface LoopbackListenOptions {
  /** For the error when no TCP address comes back, e.g. 'jd server'. */
  name: string;
  port?: number;
  faults: ServerFaults;
  /** The fault switched on now (read per request). */
  fault(): unknown;
  /** The platform's protocol: answers one request that passed the shared faults. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Answers a request whose handler threw unexpectedly, in the platform's error shape (headers not sent yet). */
  internalError(res: ServerResponse): void;
}

/**
 * Listens on 127.0.0.1: every request first passes the shared transport faults (a slow answer, or one
 * never given), then goes to `handle`. Returns the port and close(), which also drops the requests
 * the timeout fault holds and any open keep-alive connection, so a test's server never outlives it.
 */
export async function listenLoopback(opts: LoopbackListenOptions): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    opts.faults
      .gate(opts.fault(), res)
      .then((go) => (go ? opts.handle(req, res) : undefined))
      .catch(() => {
        if (!res.headersSent) opts.internalError(res);
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${opts.name}: no TCP address`);
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        opts.faults.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
