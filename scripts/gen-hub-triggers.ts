// Prints the effect triggers of every synced table as migration SQL (statement breakpoints
// included): paste the output into a new custom migration whenever electron/shared/hub/tables.ts
// changes which tables or columns travel (electron/core/hub/triggers.test.ts fails until then).
// Usage: npx tsx scripts/gen-hub-triggers.ts
import { effectTriggersSql } from '../electron/core/hub/triggers.ts';

process.stdout.write(`${effectTriggersSql().join('--> statement-breakpoint\n')}\n`);
