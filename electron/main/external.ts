// The one way out of the app to the web: only http(s) URLs reach the system browser.
// Everything else (file:, javascript:, custom schemes that launch programs) is refused.
import { shell } from 'electron';

export function isExternalWebUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Open an http(s) link in the default browser; returns false (and does nothing) for anything else. */
export function openExternalSafe(raw: string): boolean {
  if (!isExternalWebUrl(raw)) return false;
  shell.openExternal(raw).catch((err: unknown) => console.error('[external] could not open', raw, err));
  return true;
}
