// The window and every web contents are locked down: secure webPreferences, no navigation, no
// new windows, no webviews, no permissions; only http(s) links leave, via shell.openExternal.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; loaded: string[] }[] = [];
  class BrowserWindow {
    readonly loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return { windows, BrowserWindow, shell: { openExternal: vi.fn(() => Promise.resolve()) } };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, shell: electron.shell }));

const { createMainWindow } = await import('./window.ts');
const { lockDownSession, lockDownWebContents, secureWebPreferences } = await import('./security.ts');
const { APP_ENTRY_URL } = await import('./app-protocol.ts');

/** A web contents double: records handlers so the test can fire Electron's events at them. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  fire(name: string, url?: string): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

beforeEach(() => electron.shell.openExternal.mockClear());

describe('main window', () => {
  it('is created with isolated, sandboxed, node-free webPreferences and the bundled preload, loading app://', () => {
    createMainWindow('/app/dist-electron/preload.cjs');
    const win = electron.windows.at(-1)!;
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.loaded).toEqual([APP_ENTRY_URL]);
    expect(APP_ENTRY_URL.startsWith('app://')).toBe(true);
  });

  it('never turns a security switch on through a spread default', () => {
    const prefs = secureWebPreferences('/p.cjs') as Record<string, unknown>;
    for (const key of ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'webviewTag']) {
      expect(prefs[key], key).toBe(false);
    }
  });
});

describe('web contents lockdown', () => {
  it('blocks every navigation and sends only http(s) links to the system browser', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never);
    expect(contents.fire('will-navigate', 'https://open.taobao.com/doc')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://open.taobao.com/doc');
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', 'app://shopfleet/other.html')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('denies window.open, opening only http(s) externally', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never);
    expect(contents.openHandler!({ url: 'https://www.jd.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'smb://host/share' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://www.jd.com/']]);
  });

  it('blocks redirects and webview attachment', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents as never);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.fire('will-attach-webview')).toBe(true);
  });
});

describe('session lockdown', () => {
  it('denies every permission request, check and device permission', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    };
    lockDownSession(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'openExternal']) {
      const callback = vi.fn();
      (handlers.request as (...a: unknown[]) => void)({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect((handlers.check as (...a: unknown[]) => boolean)({}, permission, 'app://shopfleet', {})).toBe(false);
    }
    expect((handlers.device as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
  });
});
