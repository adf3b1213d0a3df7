// The main entry's wiring, with Electron replaced by a recording double: what happens before
// 'ready', the single-instance lock, the missing-native-module dialog, and a normal start that
// forks the core host with the right paths and serves app://.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-app-'));
afterAll(() => fs.rmSync(appRoot, { recursive: true, force: true }));

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  const state = { lock: true, windows: [] as { options: Record<string, unknown> }[], forks: [] as { modulePath: string; sent: unknown[] }[] };
  return { calls, state };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const { calls, state } = fake;
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), state.lock),
    whenReady: () => (calls.push('whenReady'), Promise.resolve()),
    getAppPath: () => appRoot,
    paths: new Map<string, string>(),
    getPath(name: string) {
      return this.paths.get(name) ?? path.join(appRoot, `path-${name}`);
    },
    setPath(name: string, value: string) {
      this.paths.set(name, value);
    },
    getLocale: () => 'zh-CN',
    getVersion: () => '0.1.0',
    quit: () => calls.push('quit'),
    exit: (code: number) => calls.push(`exit:${code}`),
  });
  class BrowserWindow extends Emitter {
    webContents = { isDestroyed: () => false, send: () => {} };
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push(this);
    }
    loadURL = () => Promise.resolve();
    isDestroyed = () => false;
    static getAllWindows = () => state.windows;
  }
  const session = { defaultSession: Object.assign(new Emitter(), { setPermissionRequestHandler: () => calls.push('permissions'), setPermissionCheckHandler: () => {}, setDevicePermissionHandler: () => {} }) };
  return {
    app,
    BrowserWindow,
    session,
    dialog: { showErrorBox: (title: string) => calls.push(`errorBox:${title}`), showMessageBox: () => Promise.resolve() },
    net: { fetch: () => Promise.reject(new Error('not used')) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => calls.push(`registerSchemes:${schemes.map((s) => s.scheme).join()}`),
      handle: (scheme: string) => calls.push(`handle:${scheme}`),
    },
    shell: { openExternal: () => Promise.resolve(), openPath: () => Promise.resolve('') },
    // A keychain that works: wrapping is reversible and not the identity.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`wrapped:${Buffer.from(plain).toString('hex')}`),
      decryptString: (data: Buffer) => Buffer.from(data.toString().slice('wrapped:'.length), 'hex').toString(),
    },
    Menu: { setApplicationMenu: () => calls.push('menu'), buildFromTemplate: (t: unknown) => t },
    ipcMain: { handle: (channel: string) => calls.push(`ipc:${channel}`), removeHandler: () => {} },
    utilityProcess: {
      fork: (modulePath: string) => {
        const child = Object.assign(new Emitter(), { sent: [] as unknown[], modulePath, kill: () => true, postMessage: (m: unknown) => child.sent.push(m) });
        state.forks.push(child);
        return child;
      },
    },
  };
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const nativeDir = path.join(appRoot, 'native-electron', `${process.platform}-${process.arch}`);

beforeEach(() => {
  vi.resetModules();
  fake.calls.length = 0;
  fake.state.windows.length = 0;
  fake.state.forks.length = 0;
  fake.state.lock = true;
  fs.rmSync(nativeDir, { recursive: true, force: true });
});

describe('main entry', () => {
  it('sandboxes renderers and registers app:// before ready; a second instance just quits', async () => {
    fake.state.lock = false;
    await import('./index.ts');
    await flush();
    expect(fake.calls).toEqual(['enableSandbox', 'registerSchemes:app', 'requestSingleInstanceLock', 'quit']);
    expect(fake.state.windows).toHaveLength(0);
  });

  it('explains a missing Electron-ABI better-sqlite3 and exits without forking the core host', async () => {
    await import('./index.ts');
    await flush();
    expect(fake.calls).toContain('handle:app');
    expect(fake.calls).toContain('errorBox:数据库模块与 Electron 不匹配');
    expect(fake.calls).toContain('exit:1');
    expect(fake.state.forks).toHaveLength(0);
  });

  it('forks the core host with the data-dir database and opens one locked-down window', async () => {
    fs.mkdirSync(nativeDir, { recursive: true });
    fs.writeFileSync(path.join(nativeDir, 'better_sqlite3.node'), 'stand-in');
    await import('./index.ts');
    await flush();
    expect(fake.calls).toEqual(expect.arrayContaining(['permissions', 'handle:app', 'menu', 'ipc:shopfleet:call']));
    expect(fake.state.forks).toHaveLength(1);
    const host = fake.state.forks[0]!;
    expect(host.modulePath).toBe(path.join(appRoot, 'dist-electron', 'core-host.cjs'));
    expect(host.sent[0]).toEqual({
      type: 'init',
      options: {
        osKeychainKey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
        dbFile: path.join(appRoot, 'path-appData', 'ShopFleet', 'shopfleet.db'),
        nativeBinding: path.join(nativeDir, 'better_sqlite3.node'),
        migrationsFolder: path.join(appRoot, 'electron', 'core', 'db', 'migrations'),
        fontsDir: path.join(appRoot, 'resources', 'fonts'),
        demo: true,
        sync: true,
      },
    });
    expect(fake.state.windows).toHaveLength(1);
    expect(fake.state.windows[0]!.options.webPreferences).toMatchObject({
      preload: path.join(appRoot, 'dist-electron', 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    // A fatal start (e.g. the binary is for another ABI) is shown and the app quits.
    (host as unknown as EventEmitter).emit('message', { type: 'fatal', error: { code: 'NATIVE_ABI_MISMATCH', message: 'NODE_MODULE_VERSION' } });
    await flush();
    expect(fake.calls.slice(-2)).toEqual(['errorBox:数据库模块与 Electron 不匹配', 'quit']);
  });
});
