// The privileged app:// scheme that serves the built renderer (dist/) instead of file://, with a
// strict Content-Security-Policy on every response. No path can escape dist/.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_HOST = 'shopfleet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Only our own files run; images may also be data:/blob: (previews, label thumbnails). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** For protocol.registerSchemesAsPrivileged, which must run before app 'ready'. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: a real origin for same-origin ES modules; codeCache: V8 caches our scripts across starts.
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Is this URL one of our own pages (used to trust IPC senders)? */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

/**
 * The protocol.handle handler. `fetchFile` is Electron's net.fetch in the app (it reads asar and
 * sets Content-Type); tests pass a file reader.
 */
export function createAppProtocolHandler(distDir: string, fetchFile: (fileUrl: string) => Promise<Response>) {
  const root = path.resolve(distDir);
  return async (request: Request): Promise<Response> => {
    let url: URL;
    let pathname: string;
    try {
      url = new URL(request.url);
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return plain(400, 'bad request');
    }
    if (url.host !== APP_HOST) return plain(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    if (pathname.includes('\0')) return plain(400, 'bad request');
    // A path without an extension is a renderer route: answer with the app shell.
    const relative = pathname === '/' || path.posix.extname(pathname) === '' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = path.resolve(root, relative);
    if (file !== root && !file.startsWith(root + path.sep)) return plain(403, 'forbidden');
    let upstream: Response;
    try {
      upstream = await fetchFile(pathToFileURL(file).toString());
    } catch {
      return plain(404, 'not found');
    }
    if (!upstream.ok) return plain(upstream.status === 404 ? 404 : 500, 'not found');
    const headers = new Headers(upstream.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    return new Response(request.method === 'HEAD' ? null : upstream.body, { status: 200, headers });
  };
}
