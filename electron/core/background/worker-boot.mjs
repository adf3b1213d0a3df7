// Source-tree entry of the background worker (tests, tsx, bin/shopfleet.mjs): registers tsx in this
// thread, then loads worker.ts. Node 20 does not apply `--import tsx` from a Worker's execArgv,
// so the hook is registered here. Bundles (dist-cli, dist-electron) start background-worker.* instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
