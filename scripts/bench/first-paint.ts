// Cold start to first paint: spawn the web host on a database, open the workbench in Chromium, and
// time until the first order rows are on screen. The browser is started beforehand so only
// ShopFleet's own start-up (process, migrations check, first queries, renderer) is measured.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function chromiumPath(): string | undefined {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export interface FirstPaint {
  host_ready_ms: number;
  first_page_painted_ms: number;
}

/** Needs a built renderer (dist/); returns null when no browser can be started. */
export async function measureFirstPaint(dbFile: string, log: (line: string) => void): Promise<FirstPaint | null> {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
    log('first paint skipped: dist/ is missing (run `npx vite build`)');
    return null;
  }
  // The station as `npm run serve` starts it: the bundled CLI, built before the clock starts.
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('scripts/build-cli.mjs failed');
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
  } catch (err) {
    log(`first paint skipped: no Chromium (${(err as Error).message.split('\n')[0]})`);
    return null;
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const started = performance.now();
  const host = spawn(process.execPath, ['dist-cli/shopfleet.mjs', 'serve', '--db', dbFile, '--port', '0', '--no-demo', '--no-sync'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      host.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(out);
        if (match) resolve(match[0]);
      });
      host.once('exit', (code) => reject(new Error(`web host exited with ${code} before printing its URL`)));
    });
    const hostReady = performance.now() - started;
    await page.goto(url);
    await page.locator('[data-testid=order-row]').first().waitFor({ state: 'visible', timeout: 60_000 });
    const painted = performance.now() - started;
    return { host_ready_ms: Math.round(hostReady), first_page_painted_ms: Math.round(painted) };
  } finally {
    host.kill('SIGTERM');
    await new Promise((resolve) => (host.exitCode !== null ? resolve(null) : host.once('exit', resolve)));
    await browser.close();
  }
}
