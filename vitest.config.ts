// Unit and integration tests under plain Node: real SQLite, real sockets, no Electron binary.
import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'server/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Vitest's default is one worker per core but one; on a 2-core CI box that is a single file at
    // a time, while most of the slow files wait on child processes, sockets and PostgreSQL rather
    // than compute. Two forks keep both cores busy (the suite is already parallel-safe: laptops run
    // it with more workers).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Each test process registers the demo's 'sandbox' platform, as every shipping host does.
    setupFiles: ['electron/testkit/register-sandbox.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
