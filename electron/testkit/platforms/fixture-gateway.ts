// Test support: a gateway that answers every request with one literal response body, read from a
// fixture file written by hand from a platform's documented answer (docs/platforms/<platform>.md).
// The adapter under test pulls from it as from the platform, so what it parses is exactly the
// platform's shape — not what the project's own sandbox happens to produce. Tests only.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { afterEach } from 'vitest';
import type { Platform, PlatformOrder } from '../../shared/model.ts';
import type { AdapterFactory, PlatformAdapter, PullWindow, ShopRecord } from '../../core/platforms/contract.ts';
import { pullPayloads } from './test-adapter.ts';

/** A fixture file's text, exactly as stored (the test parses nothing itself). */
export function fixtureText(url: URL): string {
  return readFileSync(url, 'utf8');
}

export interface FixtureGateway {
  url: string;
  /** Paths and methods the adapter called (tests check it asked the documented API). */
  requests: Array<{ method: string; path: string; body: string }>;
  close(): Promise<void>;
}

/** Serves `body` as a 200 JSON answer to every request on 127.0.0.1; closed after the test. */
export async function serveFixture(body: string): Promise<FixtureGateway> {
  const requests: FixtureGateway['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fixture gateway: no TCP address');
  const gw: FixtureGateway = {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  opened.push(gw);
  return gw;
}

const opened: FixtureGateway[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((g) => g.close()));
});

/** Pull one window from a fixture through the platform's adapter: every payload, and each mapped with its warnings. */
export async function pullFixture(opts: {
  platform: Platform;
  create: AdapterFactory;
  body: string;
  /** Appended to the gateway address, e.g. '/api/router'. */
  path?: string;
  window: PullWindow;
  now: number;
}): Promise<{ gateway: FixtureGateway; adapter: PlatformAdapter; payloads: unknown[]; orders: PlatformOrder[]; warnings: string[] }> {
  const gateway = await serveFixture(opts.body);
  const shop: ShopRecord = {
    id: `${opts.platform}-fixture`,
    name: '样例店',
    platform: opts.platform,
    state: 'active',
    settings: JSON.stringify({ gateway: `${gateway.url}${opts.path ?? ''}`, appKey: 'fixture-app', appSecret: 'fixture-secret', accessToken: 'fixture-token' }),
  };
  const adapter = opts.create(shop, { now: () => opts.now });
  const { payloads } = await pullPayloads(adapter, opts.window);
  const warnings: string[] = [];
  const orders = payloads.map((p) => adapter.toOrder(p, (m) => warnings.push(m)));
  return { gateway, adapter, payloads, orders, warnings };
}
