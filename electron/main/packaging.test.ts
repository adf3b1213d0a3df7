// electron-builder.yml passes electron-builder's own schema validation and keeps the promises of
// DESIGN.md: fuses flipped, asar on, no npm rebuild, migrations and the Electron-ABI binary shipped.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// electron-builder's config loader and validator (app-builder-lib is electron-builder's engine).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('electron-builder.yml', async () => {
  const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);

  it('is valid for the installed electron-builder', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
    expect(config.asar).toBe(true);
  });

  it('ships migrations and the Electron-ABI better-sqlite3 instead of rebuilding node_modules', () => {
    expect(config.npmRebuild).toBe(false);
    const extra = config.extraResources as { from: string; to: string }[];
    expect(extra).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'electron/core/db/migrations', to: 'migrations' }),
        expect.objectContaining({ from: 'native-electron/${platform}-${arch}', to: 'native' }),
      ]),
    );
    expect(fs.existsSync(path.join(root, 'electron/core/db/migrations/meta/_journal.json'))).toBe(true);
  });

  it('runs the native build before packing each target', async () => {
    expect(config.beforePack).toBe('scripts/build-native-electron.mjs');
    const hook = (await import('../../scripts/build-native-electron.mjs' as string)) as { default: unknown };
    expect(typeof hook.default).toBe('function');
  });

  it('names the product and targets Windows, Linux and macOS', () => {
    expect(config.productName).toBe('ShopFleet 店群订单台');
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    for (const icon of [config.win?.icon, config.linux?.icon, config.mac?.icon]) expect(fs.existsSync(path.join(root, String(icon)))).toBe(true);
  });
});
