// The app:// handler serves dist/ with the CSP header on every response and never escapes dist/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, createAppProtocolHandler, isAppUrl } from './app-protocol.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-dist-'));
const dist = path.join(root, 'dist');
fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>店群订单台</title>');
fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
fs.writeFileSync(path.join(root, 'secret.txt'), 'outside dist');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Stands in for net.fetch(file://…): reads the file, 404s when it is missing. */
const readFile = async (fileUrl: string): Promise<Response> => {
  const file = fileURLToPath(fileUrl);
  if (!fs.existsSync(file)) throw new Error('net::ERR_FILE_NOT_FOUND');
  const type = file.endsWith('.html') ? 'text/html' : 'text/javascript';
  return new Response(fs.readFileSync(file), { headers: { 'Content-Type': type } });
};
const handle = createAppProtocolHandler(dist, readFile);
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// protocol', () => {
  it('serves the entry page and assets with the strict CSP', async () => {
    const page = await get(APP_ENTRY_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('店群订单台');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await get('app://shopfleet/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it("uses default-src 'self' with self-only scripts, styles and connections", () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('answers renderer routes with the app shell', async () => {
    const res = await get('app://shopfleet/orders/abnormal');
    expect(await res.text()).toContain('店群订单台');
    expect((await get('app://shopfleet/')).status).toBe(200);
  });

  it('refuses paths that escape dist/, even percent-encoded', async () => {
    for (const url of ['app://shopfleet/%2e%2e/secret.txt', 'app://shopfleet/assets/%2E%2E%2F%2E%2E%2Fsecret.txt', 'app://shopfleet/..%5csecret.txt']) {
      const res = await get(url);
      expect([403, 404], url).toContain(res.status);
      expect(await res.text()).not.toContain('outside dist');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('404s missing files and other hosts, 405s writes', async () => {
    expect((await get('app://shopfleet/assets/missing.js')).status).toBe(404);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
  });

  it('recognises only its own origin as trusted', () => {
    expect(isAppUrl('app://shopfleet/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('https://shopfleet/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
