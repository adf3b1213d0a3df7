// Electron main entry (bundled to dist-electron/main.cjs): single instance, locked-down window,
// app:// protocol, menu, downloads, and the core host in a utility process behind ipc.ts.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, net, protocol, session, shell } from 'electron';
import type { ApiError } from '../shared/result.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol.ts';
import { CoreHostClient } from './core-host-client.ts';
import { forkCoreHost } from './core-host-process.ts';
import { handleDownloads } from './downloads.ts';
import { registerIpc, relayEvent } from './ipc.ts';
import { installMenu, menuLocaleFor } from './menu.ts';
import { resolveAppPaths, type AppPaths } from './paths.ts';
import { loadKeychainKey } from './secret-key.ts';
import { lockDownSession, lockDownWebContents } from './security.ts';
import { showStartupError } from './startup-error.ts';
import { followStockAlerts } from './stock-notifications.ts';
import { createMainWindow, showView, WINDOW_TITLE } from './window.ts';

const DATA_DIR_NAME = 'ShopFleet';

let mainWindow: BrowserWindow | null = null;

function focusOrCreateWindow(preload: string): BrowserWindow {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return mainWindow;
  }
  const win = createMainWindow(preload);
  mainWindow = win;
  win.on('closed', () => (mainWindow = null));
  return win;
}

/** Missing Electron-ABI build in development: say so before spawning a host that would fail. */
function missingNativeBinding(paths: AppPaths): ApiError | null {
  if (fs.existsSync(paths.nativeBinding)) return null;
  return {
    code: 'NATIVE_ABI_MISMATCH',
    message: `找不到 Electron 版 better-sqlite3：${paths.nativeBinding}。请运行 npm run build:native-electron。`,
  };
}

async function main(): Promise<void> {
  await app.whenReady();
  const paths = resolveAppPaths({
    isPackaged: app.isPackaged,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    userData: app.getPath('userData'),
    platform: process.platform,
    arch: process.arch,
  });

  lockDownSession(session.defaultSession);
  handleDownloads(session.defaultSession, () => app.getPath('downloads'));
  protocol.handle(APP_SCHEME, createAppProtocolHandler(paths.distDir, (fileUrl) => net.fetch(fileUrl)));
  installMenu({
    locale: menuLocaleFor(app.getLocale()),
    isMac: process.platform === 'darwin',
    isDev: !app.isPackaged,
    openDataDir: () => void shell.openPath(app.getPath('userData')),
    showAbout: () =>
      void dialog.showMessageBox({ type: 'info', title: WINDOW_TITLE, message: `${WINDOW_TITLE} ${app.getVersion()}`, detail: `数据目录：${app.getPath('userData')}` }),
  });

  const missing = missingNativeBinding(paths);
  if (missing) {
    showStartupError(missing, app.isPackaged);
    app.exit(1);
    return;
  }

  // Shops' secrets: the keychain-wrapped data key, or (null) the local key file with one warning.
  const osKeychainKey = loadKeychainKey({ userData: app.getPath('userData'), dbFile: paths.dbFile });
  const host = new CoreHostClient(() => forkCoreHost(paths.coreHost), {
    ...(osKeychainKey ? { osKeychainKey } : {}),
    dbFile: paths.dbFile,
    nativeBinding: paths.nativeBinding,
    migrationsFolder: paths.migrationsFolder,
    fontsDir: paths.fontsDir,
    // The core creates the demo team only when the database has no shops (first start).
    demo: process.env.SHOPFLEET_DEMO !== '0',
    sync: true,
  });
  registerIpc(host);
  host.onEvent((event, payload) => relayEvent(BrowserWindow.getAllWindows().map((w) => w.webContents), event, payload));
  const started = host.start();

  focusOrCreateWindow(paths.preload);
  app.on('second-instance', () => focusOrCreateWindow(paths.preload));
  app.on('activate', () => focusOrCreateWindow(paths.preload));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Close the database cleanly (WAL checkpoint, sync stopped) before the process goes away.
  let hostClosed = false;
  app.on('before-quit', (event) => {
    if (hostClosed) return;
    event.preventDefault();
    void host.close().finally(() => {
      hostClosed = true;
      app.quit();
    });
  });

  const outcome = await started;
  if (!outcome.ok) {
    showStartupError(outcome.error, app.isPackaged);
    app.quit();
    return;
  }
  // Stock alerts as desktop notifications: those raised while the app was closed, then each new one.
  const alerts = followStockAlerts(host, { lang: menuLocaleFor(app.getLocale()) === 'en' ? 'en' : 'zh', onClick: (hash) => showView(focusOrCreateWindow(paths.preload), hash) });
  void alerts.claim();
}

// Before 'ready': one ASCII data folder for dev and packaged builds alike (the packaged productName
// "ShopFleet 店群订单台" would otherwise name it), every renderer sandboxed, app:// a secure origin.
app.setPath('userData', path.join(app.getPath('appData'), DATA_DIR_NAME));
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  main().catch((err: unknown) => {
    console.error('[main] startup failed', err);
    dialog.showErrorBox('ShopFleet 无法启动', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
