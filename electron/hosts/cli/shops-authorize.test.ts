// The real `shopfleet shops authorize` against the loopback OAuth sandbox: the printed URL opened
// like a browser (redirect to the CLI's loopback listener → exit 0), a redirect URL pasted on
// stdin instead, and a refusal on the authorise page (exit 1 with the reason).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db/open.ts';
import { startOAuthSandbox, type OAuthSandbox } from '../../sandbox/oauth/sandbox-server.ts';
import { createLocalKeyCipher, keyFileFor, loadShopSecrets } from '../../core/shops/secrets.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(repo, 'bin', 'shopfleet.mjs');
const APP = { appKey: 'cli-oauth-key', appSecret: 'CLI-OAUTH-SECRET-77c2' };

let dir: string;
let dbFile: string;
let sandbox: OAuthSandbox;

function run(args: string[]): { child: ChildProcessWithoutNullStreams; firstLine: Promise<string>; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let gotLine: (l: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => (gotLine = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (stdout.includes('\n')) gotLine(stdout.slice(0, stdout.indexOf('\n')));
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, firstLine, done };
}

async function addShop(name: string): Promise<string> {
  const r = run(['shops', 'add', '--db', dbFile, '--platform', 'jd', '--name', name, '--app-key', APP.appKey, '--app-secret', APP.appSecret, '--access-token', 'OLD-TOKEN']);
  const out = await r.done;
  expect(out.code).toBe(0);
  return out.stdout.trim();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-oauth-'));
  dbFile = path.join(dir, 'station.db');
  sandbox = await startOAuthSandbox({ apps: [{ platform: 'jd', ...APP }] });
});
afterAll(async () => {
  await sandbox.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('shopfleet shops authorize', () => {
  it('prints the URL and exits 0 once the browser lands on the loopback', async () => {
    const id = await addShop('京东店');
    const r = run(['shops', 'authorize', '--db', dbFile, '--shop', id, '--oauth-base', sandbox.oauthBaseFor('jd')]);
    const url = await r.firstLine;
    expect(url.startsWith(`${sandbox.oauthBaseFor('jd')}/oauth2/to_login?`)).toBe(true);
    const hop = await fetch(url, { redirect: 'manual' });
    const page = await fetch(hop.headers.get('location') ?? '');
    expect(await page.text()).toContain('授权成功');
    const out = await r.done;
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`authorised: ${id}`);
    const db = openDatabase(dbFile);
    try {
      const secrets = loadShopSecrets(db, createLocalKeyCipher(keyFileFor(dbFile)), id);
      expect(secrets?.accessToken).toMatch(/^at-/);
      expect(secrets?.appSecret).toBe(APP.appSecret);
    } finally {
      db.$client.close();
    }
  }, 30_000);

  it('takes a redirect URL pasted on stdin', async () => {
    const id = await addShop('京东二店');
    const r = run(['shops', 'authorize', '--db', dbFile, '--shop', '京东二店', '--oauth-base', sandbox.oauthBaseFor('jd')]);
    const hop = await fetch(await r.firstLine, { redirect: 'manual' });
    r.child.stdin.write(`${hop.headers.get('location')}\n`);
    const out = await r.done;
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`authorised: ${id}`);
  }, 30_000);

  it('exits 1 with the reason when the seller refuses', async () => {
    const id = await addShop('京东三店');
    const r = run(['shops', 'authorize', '--db', dbFile, '--shop', id, '--oauth-base', sandbox.oauthBaseFor('jd')]);
    const hop = await fetch(`${await r.firstLine}&deny=1`, { redirect: 'manual' });
    await fetch(hop.headers.get('location') ?? '');
    const out = await r.done;
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/access_denied/);
  }, 30_000);
});
