// Test support: run the `shopfleet` command (bin/shopfleet.mjs, through tsx) in a child process and
// collect its exit code and output — the CLI tests check what a person at a terminal would see.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const shopfleetBin = path.join(repoRoot, 'bin', 'shopfleet.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `input`: written to the command's standard input, then closed (without it stdin is closed at once). */
export function shopfleet(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [shopfleetBin, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
