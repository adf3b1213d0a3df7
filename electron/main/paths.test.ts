// Development and packaged builds find the renderer, bundles, database, native module and migrations.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths } from './paths.ts';

describe('app paths', () => {
  it('uses the repo in development', () => {
    const p = resolveAppPaths({ isPackaged: false, appPath: '/repo', resourcesPath: '/electron/resources', userData: '/home/u/.config/ShopFleet', platform: 'linux', arch: 'x64' });
    expect(p.distDir).toBe(path.join('/repo', 'dist'));
    expect(p.preload).toBe(path.join('/repo', 'dist-electron', 'preload.cjs'));
    expect(p.coreHost).toBe(path.join('/repo', 'dist-electron', 'core-host.cjs'));
    expect(p.dbFile).toBe(path.join('/home/u/.config/ShopFleet', 'shopfleet.db'));
    expect(p.nativeBinding).toBe(path.join('/repo', 'native-electron', 'linux-x64', 'better_sqlite3.node'));
    expect(p.migrationsFolder).toBe(path.join('/repo', 'electron', 'core', 'db', 'migrations'));
    expect(p.fontsDir).toBe(path.join('/repo', 'resources', 'fonts'));
  });

  it('uses extraResources when packaged', () => {
    const p = resolveAppPaths({ isPackaged: true, appPath: 'C:\\App\\resources\\app.asar', resourcesPath: '/opt/ShopFleet/resources', userData: '/u', platform: 'win32', arch: 'x64' });
    expect(p.nativeBinding).toBe(path.join('/opt/ShopFleet/resources', 'native', 'better_sqlite3.node'));
    expect(p.migrationsFolder).toBe(path.join('/opt/ShopFleet/resources', 'migrations'));
    expect(p.fontsDir).toBe(path.join('/opt/ShopFleet/resources', 'fonts'));
  });
});
