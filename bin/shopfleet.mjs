#!/usr/bin/env node
// The `shopfleet` command: registers tsx so the TypeScript CLI runs straight from the source tree.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/hosts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
