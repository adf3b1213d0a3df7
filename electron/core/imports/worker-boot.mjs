// Source-tree entry of the import worker (tests, tsx, bin/shopfleet.mjs): registers tsx in this
// thread, then loads worker.ts — as electron/core/background/worker-boot.mjs does for the background worker.
// Bundles (dist-cli, dist-electron) start import-worker.* instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
