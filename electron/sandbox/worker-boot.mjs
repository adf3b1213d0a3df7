// Source-tree entry of the sandbox's background worker (tests, tsx, bin/shopfleet.mjs): registers tsx
// in this thread, then loads worker.ts. Bundles start background-worker.* (built from worker.ts) instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
