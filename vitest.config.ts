// Unit and integration tests under plain Node: real SQLite, real sockets, no Electron binary.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'server/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Each test process registers the demo's 'sandbox' platform, as every shipping host does.
    setupFiles: ['electron/testkit/register-sandbox.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
