// electron-builder.yml passes electron-builder's own schema validation and keeps the promises of
// docs/architecture.md#conventions (3): fuses flipped, asar on, no npm rebuild, migrations and the
// Electron-ABI binary shipped, and pdf-to-printer shipped with its SumatraPDF.exe outside the asar — checked
// with electron-builder's own file matchers, the way it filters node_modules and picks what to unpack.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// electron-builder's config loader and validator (app-builder-lib is electron-builder's engine).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher.js';
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

  it('ships the label fonts with their licence and glyph seeds where the core looks for them', async () => {
    const extra = config.extraResources as { from: string; to: string; filter: string[] }[];
    const fonts = extra.find((e) => e.from === 'resources/fonts');
    expect(fonts).toMatchObject({ to: 'fonts' });
    const { BUNDLED_FONT_FILES } = await import('../core/labels/font.ts');
    for (const f of [...Object.values(BUNDLED_FONT_FILES), 'OFL.txt']) expect(fs.existsSync(path.join(root, 'resources/fonts', f)), f).toBe(true);
    expect(fonts!.filter).toEqual(expect.arrayContaining(['*.otf', '*.otf.glyphs', 'OFL.txt']));
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

  it('ships pdf-to-printer as a production dependency and unpacks its SumatraPDF.exe from the asar', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['pdf-to-printer']).toBeDefined();
    const { FileMatcher, getFileMatchers } = fileMatcher;
    // Not in the .d.ts: how electron-builder turns the `files` exclusions into the node_modules filter (platformPackager.js).
    const getNodeModuleFileMatcher = (fileMatcher as unknown as { getNodeModuleFileMatcher: (...a: unknown[]) => InstanceType<typeof FileMatcher> }).getNodeModuleFileMatcher;
    const expand = (p: string) => p;
    const dest = path.join(root, 'release', 'app');
    const nodeModules = getNodeModuleFileMatcher(root, dest, expand, config.win ?? {}, { config, debugLogger: new DebugLogger(false) });
    const unpack = getFileMatchers(config, 'asarUnpack', dest, { macroExpander: expand, customBuildOptions: config.win ?? {}, globalOutDir: path.join(root, 'release'), defaultSrc: root });
    expect(unpack).toHaveLength(1);
    const unpackFilter = unpack![0]!.createFilter();
    // What electron-builder asks of each file of a dependency (NodeModuleCopyHelper, AsarPackager).
    const judge = (pkgName: string, rel: string) => {
      const depDir = path.join(root, 'node_modules', pkgName);
      const file = path.join(depDir, rel);
      const stat = Object.assign(fs.lstatSync(file), { moduleFullFilePath: path.join('node_modules', pkgName, rel) });
      const shipped = new FileMatcher(depDir, path.join(dest, 'node_modules', pkgName), expand, nodeModules.patterns).createFilter()(file, stat);
      return { shipped, unpacked: unpackFilter(file, stat) };
    };
    const exe = fs.readdirSync(path.join(root, 'node_modules/pdf-to-printer/dist')).find((f) => f.endsWith('.exe'));
    expect(exe).toMatch(/^SumatraPDF/);
    expect(judge('pdf-to-printer', `dist/${exe}`)).toEqual({ shipped: true, unpacked: true });
    expect(judge('pdf-to-printer', 'dist/bundle.js')).toEqual({ shipped: true, unpacked: false });
    expect(judge('pdf-to-printer', 'package.json')).toEqual({ shipped: true, unpacked: false });
    // The same matchers do leave out what the yml excludes (so the check above can fail).
    expect(judge('react', 'package.json').shipped).toBe(false);
  });
});
