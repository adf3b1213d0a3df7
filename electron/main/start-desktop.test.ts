// `npm start` without an Electron binary says what is wrong, how to fix it, and exits non-zero
// (before spending time on builds). ELECTRON_OVERRIDE_DIST_PATH points at an empty folder so the
// binary is missing on every machine, including ones where Electron is installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfleet-no-electron-'));
afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

describe('npm start without Electron', () => {
  it('explains the missing binary, the fix and the browser alternative, and exits 1', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'start-desktop.mjs')], {
      cwd: root,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Electron \d+\.\d+\.\d+ is not installed/);
    expect(run.stderr).toContain('node node_modules/electron/install.js');
    expect(run.stderr).toContain('npm run serve');
    expect(run.stdout).not.toContain('[start] building');
  });
});
