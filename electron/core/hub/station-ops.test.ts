// Every op name a station's core writes is one the hub's registry runs: an op name the hub does not
// know is refused UNKNOWN_OP, and its rows (a printed label's package and waybill, say) never reach
// the other stations.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { methods } from '../../shared/api/index.ts';
import { STATION_OP_METHODS } from '../../shared/hub/station-ops.ts';
import { AUTO_REVIEW_COMMAND } from '../orders/auto-review.ts';
import { createDefaultRegistry } from '../../../server/hub/mutators.ts';

const core = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The op names written literally by the core's command helpers (runCommand and the two that wrap it). */
function opNamesInCore(): Set<string> {
  const names = new Set<string>([AUTO_REVIEW_COMMAND]);
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/\b(?:runCommand|insertNumbers|ledgerCommand)\([^'()]*'([a-z]\w*\.\w+)'(?: : '([a-z]\w*\.\w+)')?/g)) for (const n of m.slice(1)) if (n) names.add(n);
      }
    }
  };
  walk(core);
  return names;
}

describe('op names a station pushes', () => {
  it('the hub runs every one the core writes, each under an API method’s roles', () => {
    const names = opNamesInCore();
    // The scan finds the printing steps, so it is looking at the right calls.
    expect(names).toContain('print.markPrinted');
    expect(names).toContain('waybills.allocate');
    const registry = createDefaultRegistry();
    const unknown = [...names].filter((name) => registry.resolve({ name } as Parameters<typeof registry.resolve>[0]) === null);
    expect(unknown).toEqual([]);
    for (const method of Object.values(STATION_OP_METHODS)) expect(methods[method].roles.length).toBeGreaterThan(0);
  });
});
