// Where the desktop app finds its pieces in development and when packaged. Pure, so it is tested
// without Electron; index.ts feeds it app.isPackaged, app.getAppPath(), process.resourcesPath, ...
import path from 'node:path';

export interface PathInputs {
  isPackaged: boolean;
  /** app.getAppPath(): the repo root in development, resources/app.asar when packaged. */
  appPath: string;
  /** process.resourcesPath: holds extraResources (migrations/, native/) when packaged. */
  resourcesPath: string;
  /** app.getPath('userData'). */
  userData: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface AppPaths {
  /** The built renderer (vite build → dist/), served over app://. */
  distDir: string;
  preload: string;
  coreHost: string;
  dbFile: string;
  /** better_sqlite3.node compiled for Electron's ABI (see scripts/build-native-electron.mjs). */
  nativeBinding: string;
  migrationsFolder: string;
  /** The label faces and their glyph seeds (electron-builder extraResources `fonts`). */
  fontsDir: string;
}

export const DB_FILE_NAME = 'shopfleet.db';

/** The folder build-native-electron writes to for one platform/arch, relative to the repo root. */
export const nativeElectronDir = (root: string, platform: string, arch: string): string =>
  path.join(root, 'native-electron', `${platform}-${arch}`);

export function resolveAppPaths(input: PathInputs): AppPaths {
  const bundles = path.join(input.appPath, 'dist-electron');
  return {
    distDir: path.join(input.appPath, 'dist'),
    preload: path.join(bundles, 'preload.cjs'),
    coreHost: path.join(bundles, 'core-host.cjs'),
    dbFile: path.join(input.userData, DB_FILE_NAME),
    nativeBinding: input.isPackaged
      ? path.join(input.resourcesPath, 'native', 'better_sqlite3.node')
      : path.join(nativeElectronDir(input.appPath, input.platform, input.arch), 'better_sqlite3.node'),
    migrationsFolder: input.isPackaged
      ? path.join(input.resourcesPath, 'migrations')
      : path.join(input.appPath, 'electron', 'core', 'db', 'migrations'),
    fontsDir: input.isPackaged ? path.join(input.resourcesPath, 'fonts') : path.join(input.appPath, 'resources', 'fonts'),
  };
}
