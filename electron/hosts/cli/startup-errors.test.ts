// A station the CLI or the web host cannot open is reported in one sentence with exit code 1 —
// never a stack trace — and `serve` says so before spending time on a renderer build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSystemError } from './main.ts';
import { shopfleet } from '../../testkit/run-shopfleet.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-start-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const damaged = path.join(dir, 'damaged.db');
fs.writeFileSync(damaged, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0x5a)]));

/** One line on stderr, starting "shopfleet: ", and no frame of a stack. */
function oneSentence(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^shopfleet: /);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] as string;
}

describe.concurrent('start-up errors', () => {
  it('a folder where the database should be', async () => {
    const r = await shopfleet(['orders', 'list', '--db', dir]);
    expect(r.code).toBe(1);
    expect(oneSentence(r.stderr)).toContain('cannot be opened');
  });

  it('a damaged database, for a listing and for the generic call', async () => {
    const [list, call] = await Promise.all([shopfleet(['orders', 'list', '--db', damaged]), shopfleet(['call', 'orders.counts', '--db', damaged])]);
    for (const r of [list, call]) {
      expect(r.code).toBe(1);
      expect(oneSentence(r.stderr)).toMatch(/damaged|not a database/);
    }
  });

  it('serve on a damaged database: one sentence, before any renderer build', async () => {
    const r = await shopfleet(['serve', '--db', damaged, '--no-demo', '--no-sync', '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('vite build');
    expect(oneSentence(r.stderr)).toMatch(/damaged|not a database/);
  });

  it('SHOPFLEET_DEBUG=1 adds the stack for whoever files the bug', async () => {
    const r = await shopfleet(['orders', 'list', '--db', dir], { SHOPFLEET_DEBUG: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe('describeSystemError', () => {
  it('says what a full disk, a permission or a read-only disk means, and what to do', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: raw`), { code, path: '/data/shopfleet.db' });
    expect(describeSystemError(err('ENOSPC'))).toBe('the disk is full (/data/shopfleet.db): free some space and run the command again');
    expect(describeSystemError(err('EACCES'))).toMatch(/^permission denied \(\/data\/shopfleet.db\): /);
    expect(describeSystemError(err('EROFS'))).toMatch(/read-only/);
    expect(describeSystemError(err('EWHATEVER'))).toBe('EWHATEVER: raw');
  });
});
