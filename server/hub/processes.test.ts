// Real hub processes through the CLI: `hub team create`, `hub serve --port 0`, `hub invite` on
// PGlite; and two hub processes over one PostgreSQL, each accepting pushes and poking the other's
// WebSocket clients through LISTEN/NOTIFY (skipped with a message when no cluster is configured).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HUB_SCHEMA_VERSION } from '../../electron/shared/hub/protocol.ts';
import { startHub } from './serve.ts';
import { freshDatabase, PG_URL, post } from './testkit.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/shopfleet.mjs');
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Starts `hub serve` in its own process and answers the URL it printed. */
function serve(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'hub', 'serve', '--port', '0', ...args], { env: { ...process.env, DATABASE_URL: '' } });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/^(http:\/\/127\.0\.0\.1:\d+)\n/m)?.[1];
      if (url) resolve(url);
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`hub serve exited ${code}: ${err}`)));
  });
}

function listen(hubUrl: string, token: string): { got: Array<{ type: string }>; open: Promise<unknown>; close(): void } {
  const ws = new WebSocket(`${hubUrl.replace('http', 'ws')}/v1/events`, { headers: { authorization: `Bearer ${token}` } });
  const got: Array<{ type: string }> = [];
  ws.on('message', (m) => got.push(JSON.parse(String(m))));
  return { got, open: new Promise((r) => ws.once('open', r)), close: () => ws.close() };
}

const tagOp = (seq: number, key: string) => ({
  seq,
  id: `op-${key}`,
  name: 'tags.create',
  hlc: `${String(1000 + seq).padStart(15, '0')}-0000-x`,
  actor: 'boss',
  args: {},
  effects: [{ table: 'tags', key: [key], columns: { name: key } }],
});

describe('hub CLI on PGlite', () => {
  it('creates the team, serves on a free port and prints a join code that joins a station', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-cli-'));
    const data = path.join(dir, 'hub-data');
    const made = await run(['hub', 'team', 'create', '--data', data, '--team', '仓库组', '--owner', 'boss'], 'a long password\n');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const noPassword = await run(['hub', 'team', 'create', '--data', data, '--team', 'other', '--owner', 'boss']);
    expect(noPassword.code).toBe(2);
    const url = await serve(['--data', data]);
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toMatchObject({ ok: true, engine: 'pglite' });
    const inv = await run(['hub', 'invite', '--hub', url, '--user', 'xiaoli', '--role', 'packer', '--shops', 's1'], 'a long password\n');
    expect(inv.code).toBe(0);
    const code = inv.stdout.trim().split('\n').pop()!;
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    const joined = await post(url, '/v1/join', { code, name: 'packing 1' });
    expect(joined.user).toMatchObject({ name: 'xiaoli', role: 'packer', shops: ['s1'] });
    const wrong = await run(['hub', 'invite', '--hub', url, '--user', 'x', '--role', 'packer'], 'not the password\n');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong');
  }, 150_000);
});

describe.skipIf(PG_URL === null)('two hub processes over one PostgreSQL', () => {
  it('both accept pushes and poke each other’s stations', async () => {
    const db = await freshDatabase();
    const inProcess = await startHub({ databaseUrl: db.url, port: 0 });
    try {
      const made = await run(['hub', 'team', 'create', '--database-url', db.url, '--team', 'two-hubs', '--owner', 'boss'], 'a long password\n');
      expect(made.code).toBe(0);
      const other = await serve(['--database-url', db.url]);
      const session = await post(inProcess.url, '/v1/login', { user: 'boss', password: 'a long password' });
      const join = async (hub: string, name: string) => {
        const inv = await post(hub, '/v1/invites', { user: 'boss', role: 'owner' }, session.token);
        return post<{ stationId: string; token: string }>(hub, '/v1/join', { code: inv.code, name });
      };
      const s1 = await join(inProcess.url, 'station on hub 1');
      const s2 = await join(other, 'station on hub 2');
      const e1 = listen(inProcess.url, s1.token);
      const e2 = listen(other, s2.token);
      await Promise.all([e1.open, e2.open]);
      // s1 pushes to hub 1: s2, connected to hub 2, is poked.
      const p1 = await post(inProcess.url, '/v1/push', { stationId: s1.stationId, schemaVersion: HUB_SCHEMA_VERSION, ops: [tagOp(1, 'one')] }, s1.token);
      expect(p1.results[0].status).toBe('applied');
      await expect.poll(() => e2.got.filter((e) => e.type === 'poke').length, { timeout: 5000 }).toBeGreaterThan(0);
      // s2 pushes to hub 2: s1, connected to hub 1, is poked.
      const before = e1.got.filter((e) => e.type === 'poke').length;
      const p2 = await post(other, '/v1/push', { stationId: s2.stationId, schemaVersion: HUB_SCHEMA_VERSION, ops: [tagOp(1, 'two')] }, s2.token);
      expect(p2.results[0].status).toBe('applied');
      await expect.poll(() => e1.got.filter((e) => e.type === 'poke').length, { timeout: 5000 }).toBeGreaterThan(before);
      // Either hub answers the same rows.
      const pulled = await Promise.all(
        [inProcess.url, other].map(async (hub) => {
          const res = await fetch(`${hub}/v1/pull?cursor=0`, { headers: { authorization: `Bearer ${s1.token}` } });
          return ((await res.json()) as { rows: Array<{ table: string; key: string[] }> }).rows.filter((r) => r.table === 'tags').map((r) => r.key[0]);
        }),
      );
      expect(pulled[0]).toEqual(['one', 'two']);
      expect(pulled[1]).toEqual(pulled[0]);
      e1.close();
      e2.close();
    } finally {
      await inProcess.close();
      for (const c of children.splice(0)) c.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      await db.drop();
    }
  }, 150_000);
});
