// The e2e harness: each test gets its own data directory, a deterministic demo database, a web host
// on a free port and a page opened at its tokened URL — and everything is closed afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { createCore, type Core } from '../../electron/core/app.ts';
import { buildDemoDatabase } from '../../electron/sandbox/demo/bulk.ts';
import { sandboxDemo } from '../../electron/sandbox/index.ts';
import { startWebHost, type WebHost } from '../../electron/hosts/web/web-host.ts';
import { testDbOf } from '../../electron/testkit/station-db.ts';

export interface AppHandle {
  /** http://127.0.0.1:PORT/#token=TOKEN — what the page was opened at. */
  url: string;
  /** http://127.0.0.1:PORT, for API calls from the test. */
  origin: string;
  token: string;
  dataDir: string;
  dbFile: string;
  /** The same core the page talks to, for arranging and checking state in-process. */
  core: Core;
  host: WebHost;
  /** Uncaught page exceptions and console errors (CSP violations show up here), in order. */
  pageErrors: string[];
}

export interface AppOptions {
  /** How many demo orders (default 600). */
  demoOrders: number;
  demoShops: number | undefined;
  /** Fixed seed, so counts and names are the same on every run. */
  demoSeed: number;
  /**
   * How far back the demo history reaches (default: the generator's 60 days). A short one gives a
   * day's worth of orders still to review and print instead of mostly completed ones.
   */
  demoHistoryMs: number | undefined;
  /** Open the page at the app URL before the test starts (default true). */
  openPage: boolean;
  /** Run the print queue in the core, so queued labels are sent to printers (default false). */
  print: boolean;
}

export const test = base.extend<AppOptions & { app: AppHandle }>({
  demoOrders: [600, { option: true }],
  demoShops: [undefined, { option: true }],
  demoSeed: [20240611, { option: true }],
  demoHistoryMs: [undefined, { option: true }],
  openPage: [true, { option: true }],
  print: [false, { option: true }],
  app: async ({ page, demoOrders, demoShops, demoSeed, demoHistoryMs, openPage, print }, use, testInfo) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-e2e-'));
    const dbFile = path.join(dataDir, 'shopfleet.db');
    // Sync off: nothing changes the data behind the test's back, so counts stay what the seed made.
    // The demo provider, as every host passes it: the seeded shops are the sandbox's in-process platform.
    const core = await createCore({ dbFile, demo: false, demoProvider: sandboxDemo, sync: false, print });
    let host: WebHost | null = null;
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    try {
      await buildDemoDatabase(testDbOf(core), {
        orders: demoOrders,
        ...(demoShops !== undefined ? { shops: demoShops } : {}),
        ...(demoHistoryMs !== undefined ? { historyMs: demoHistoryMs } : {}),
        seed: demoSeed,
        now: Date.now(),
      });
      host = await startWebHost({ core, port: 0, log: (line) => console.warn(`[${testInfo.title}] ${line}`) });
      const app: AppHandle = { url: host.url, origin: host.origin, token: host.token, dataDir, dbFile, core, host, pageErrors };
      if (openPage) await page.goto(app.url);
      await use(app);
    } finally {
      // Close the page first so its WebSocket is gone before the host shuts.
      await page.close().catch(() => {});
      await host?.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };
