// Proves the boundary lint catches each kind of violation (on a throwaway tree) and passes a clean one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'check-boundaries.mjs');
const roots: string[] = [];

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-boundaries-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function lint(root: string) {
  const r = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const clean = {
  'electron/shared/contract.ts': "import { z } from 'zod';\nexport const x = z.string();\n",
  'electron/core/app.ts': "import fs from 'node:fs';\nimport { x } from '../shared/contract.ts';\nexport { fs, x };\n",
  'electron/main/ipc.ts': "import { ipcMain } from 'electron';\nipcMain.handle('a', () => 1);\n",
  'electron/preload/index.ts': "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('x', { a: () => ipcRenderer.invoke('a') });\n",
  'src/App.tsx': "import { useState } from 'react';\nimport { x } from '../electron/shared/contract.ts';\nexport const App = () => { useState(x); return <div />; };\n",
  'src/format.test.ts': "import fs from 'node:fs';\nimport { WebSocketServer } from 'ws';\nexport const y = [fs, WebSocketServer];\n",
};

describe('check-boundaries', () => {
  it('passes a tree that keeps the rules', () => {
    const r = lint(tree(clean));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/6 files, no boundary violations/);
  });

  it('reports each violation with file:line and exits 1', () => {
    const r = lint(
      tree({
        ...clean,
        'electron/core/bad.ts': "// job\nimport { app } from 'electron';\nexport const a = app;\n",
        'electron/core/lazy.ts': "export const load = () => import('electron');\n",
        'electron/shared/impure.ts': "import path from 'node:path';\nimport { db } from '../core/db.ts';\nexport { path, db };\n",
        'src/reach.ts': "import type { Core } from '../electron/core/app.ts';\nimport fs from 'node:fs';\nimport { shell } from 'electron';\nexport type C = Core;\nexport { fs, shell };\n",
        'src/db.ts': "import Database from 'better-sqlite3';\nexport { Database };\n",
        'electron/main/window.ts': "import { ipcMain } from 'electron';\nipcMain.on('x', () => {});\n",
        'electron/main/bridge.ts': "import * as electron from 'electron';\nelectron.contextBridge.exposeInMainWorld('x', {});\n",
      }),
    );
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    const has = (prefix: string, text: string) => expect(lines.some((l) => l.startsWith(prefix) && l.includes(text)), `${prefix} ${text}\n${r.err}`).toBe(true);
    has('electron/core/bad.ts:2:', "imports 'electron'");
    has('electron/core/lazy.ts:1:', "imports 'electron'");
    has('electron/shared/impure.ts:1:', "'node:path'");
    has('electron/shared/impure.ts:2:', 'electron/core/db.ts');
    has('src/reach.ts:1:', 'src may only import src and electron/shared');
    has('src/reach.ts:2:', 'no Node built-ins');
    has('src/reach.ts:3:', 'never electron');
    has('src/db.ts:1:', 'Node-side package');
    has('electron/main/window.ts:1:', 'only electron/main/ipc.ts');
    has('electron/main/bridge.ts:2:', 'only electron/preload');
    expect(r.err).toMatch(/11 violation\(s\)/);
    // The clean files stay clean.
    expect(r.err).not.toMatch(/^(electron\/main\/ipc\.ts|electron\/preload\/index\.ts|src\/App\.tsx|src\/format\.test\.ts):/m);
  });

  it('keeps test code and tooling out of the product: testkit, sandbox, vitest and scripts/', () => {
    const r = lint(
      tree({
        ...clean,
        'electron/testkit/harness.ts': "import { it } from 'vitest';\nimport { x } from '../shared/contract.ts';\nexport { it, x };\n",
        'electron/sandbox/world.ts': 'export const world = 1;\n',
        'scripts/build.mjs': 'export const build = 1;\n',
        'electron/core/harness.test.ts': "import { it } from '../testkit/harness.ts';\nimport { world } from '../sandbox/world.ts';\nexport { it, world };\n",
        'electron/sandbox/gateway.ts': "import { it } from '../testkit/harness.ts';\nexport { it };\n",
        'electron/core/demo.ts': "import { world } from '../sandbox/world.ts';\nexport { world };\n",
        'electron/core/helped.ts': "import { it } from '../testkit/harness.ts';\nexport { it };\n",
        'electron/hosts/cli/runner.ts': "import { describe } from 'vitest';\nexport { describe };\n",
        'electron/hosts/cli/tooling.ts': "import { build } from '../../../scripts/build.mjs';\nexport { build };\n",
        'src/tool.ts': "import { build } from '../scripts/build.mjs';\nexport { build };\n",
      }),
    );
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    const has = (prefix: string, text: string) => expect(lines.some((l) => l.startsWith(prefix) && l.includes(text)), `${prefix} ${text}\n${r.err}`).toBe(true);
    has('electron/core/demo.ts:1:', 'the core may only import electron/core and electron/shared');
    // The sandbox ships with the app (the demo team): it may not lean on test helpers either.
    has('electron/sandbox/gateway.ts:1:', 'product code never imports the testkit');
    has('electron/core/helped.ts:1:', 'product code never imports the testkit');
    has('electron/hosts/cli/runner.ts:1:', 'never imports the test runner');
    has('electron/hosts/cli/tooling.ts:1:', 'never import scripts/');
    has('src/tool.ts:1:', 'never import scripts/');
    // A core test may use the testkit and the sandbox, and the testkit may use vitest.
    expect(r.err).not.toMatch(/^electron\/(core\/harness\.test\.ts|testkit\/harness\.ts):/m);
  });

  it('keeps the platform and OAuth sandboxes apart from the adapters they check: contract types only', () => {
    const r = lint(
      tree({
        ...clean,
        'electron/core/platforms/contract.ts': 'export interface ShopRecord { id: number }\nexport const shopSettings = (s: ShopRecord) => s;\n',
        'electron/core/platforms/gmt8.ts': 'export const formatGmt8 = (ms: number) => String(ms);\n',
        'electron/core/platforms/taobao/sign.ts': "export type TopSignMethod = 'md5';\nexport const topSign = () => 'X';\n",
        // The scratch file: borrows the adapter's signer, its types and its clock, and the contract at run time.
        'electron/sandbox/platforms/taobao/server.ts': [
          "import { topSign } from '../../../core/platforms/taobao/sign.ts';",
          "import type { TopSignMethod } from '../../../core/platforms/taobao/sign.ts';",
          "import { shopSettings } from '../../../core/platforms/contract.ts';",
          "export { formatGmt8 } from '../gmt8-reexport.ts';",
          "export const later = () => import('../../../core/platforms/gmt8.ts');",
          'export type M = TopSignMethod;',
          'export { topSign, shopSettings };',
          '',
        ].join('\n'),
        'electron/sandbox/platforms/gmt8-reexport.ts': "export { formatGmt8 } from '../../core/platforms/gmt8.ts';\n",
        'electron/sandbox/platforms/server.test.ts': "import { topSign } from '../../core/platforms/taobao/sign.ts';\nexport { topSign };\n",
        // The OAuth sandbox checks the adapters' token calls: the same rule holds for it.
        'electron/sandbox/oauth/sandbox-server.ts': [
          "import type { ShopRecord } from '../../core/platforms/contract.ts';",
          "import { topSign } from '../../core/platforms/taobao/sign.ts';",
          'export type S = ShopRecord;',
          'export { topSign };',
          '',
        ].join('\n'),
        // Allowed: the contract's types, however spelt; and sandbox code outside platforms/ (the demo).
        'electron/sandbox/platforms/pdd/server.ts': [
          "import type { ShopRecord } from '../../../core/platforms/contract.ts';",
          "import { type ShopRecord as S2 } from '../../../core/platforms/contract.ts';",
          "export type { ShopRecord as S3 } from '../../../core/platforms/contract.ts';",
          "export type S4 = import('../../../core/platforms/contract.ts').ShopRecord;",
          'export type S = ShopRecord | S2;',
          '',
        ].join('\n'),
        'electron/sandbox/demo/payload.ts': "import { formatGmt8 } from '../../core/platforms/gmt8.ts';\nexport { formatGmt8 };\n",
      }),
    );
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    const has = (prefix: string, text: string) => expect(lines.some((l) => l.startsWith(prefix) && l.includes(text)), `${prefix} ${text}\n${r.err}`).toBe(true);
    has('electron/sandbox/platforms/taobao/server.ts:1:', 'never shares code with the adapters it checks');
    has('electron/sandbox/platforms/taobao/server.ts:2:', 'electron/core/platforms/taobao/sign.ts');
    has('electron/sandbox/platforms/taobao/server.ts:3:', 'electron/core/platforms/contract.ts');
    has('electron/sandbox/platforms/taobao/server.ts:5:', 'electron/core/platforms/gmt8.ts');
    has('electron/sandbox/platforms/gmt8-reexport.ts:1:', 'never shares code with the adapters it checks');
    has('electron/sandbox/platforms/server.test.ts:1:', 'never shares code with the adapters it checks');
    has('electron/sandbox/oauth/sandbox-server.ts:2:', 'never shares code with the adapters it checks');
    expect(r.err).toMatch(/7 violation\(s\)/);
    // The contract's types stay allowed in the OAuth sandbox too.
    expect(r.err).not.toMatch(/^electron\/sandbox\/oauth\/sandbox-server\.ts:1:/m);
    expect(r.err).not.toMatch(/^electron\/sandbox\/(platforms\/pdd\/server\.ts|demo\/payload\.ts):/m);
  });

  it("keeps the station's connection to createCore and the testkit: a host reaches the data through the API", () => {
    const key = "import { STATION_DB_FOR_TESTS } from '../../core/db/station-db-key.ts';\nexport { STATION_DB_FOR_TESTS };\n";
    const r = lint(
      tree({
        ...clean,
        'electron/core/db/station-db-key.ts': "export const STATION_DB_FOR_TESTS = Symbol('db');\n",
        'electron/core/app.ts': "import { STATION_DB_FOR_TESTS } from './db/station-db-key.ts';\nexport { STATION_DB_FOR_TESTS };\n",
        'electron/testkit/station-db.ts': "import { STATION_DB_FOR_TESTS } from '../core/db/station-db-key.ts';\nexport { STATION_DB_FOR_TESTS };\n",
        'electron/hosts/cli/peek.ts': key,
      }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^electron\/hosts\/cli\/peek\.ts:1:.*only createCore/m);
    expect(r.err).not.toMatch(/^electron\/(core\/app\.ts|testkit\/station-db\.ts):/m);
  });

  it('keeps the hub apart: server/ shares only electron/shared, and only core tests may start a hub', () => {
    const r = lint(
      tree({
        ...clean,
        'server/hub/app.ts': "import { x } from '../../electron/shared/contract.ts';\nimport { fs } from '../../electron/core/app.ts';\nexport { x, fs };\n",
        'server/hub/engine.ts': "export const engine = 1;\n",
        'electron/core/hub/client.ts': "import { engine } from '../../../server/hub/engine.ts';\nexport { engine };\n",
        'electron/core/hub/client.test.ts': "import { engine } from '../../../server/hub/engine.ts';\nexport { engine };\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^server\/hub\/app\.ts:2:.*the hub \(server\/\) may only import server\/ and electron\/shared/m);
    expect(r.err).not.toMatch(/^server\/hub\/app\.ts:1:/m);
    expect(r.err).toMatch(/^electron\/core\/hub\/client\.ts:1:.*the core may only import/m);
    expect(r.err).not.toMatch(/^electron\/core\/hub\/client\.test\.ts:/m);
    expect(r.err).toMatch(/2 violation\(s\)/);
  });
});
