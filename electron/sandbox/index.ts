// The sandbox as one injected part: what the demo team and `shopfleet sandbox` run — the simulated
// world and its in-process platform, the platforms' loopback gateways, the demo team and kit. Hosts
// pass `sandboxDemo` to createCore (electron/core/demo-provider.ts); the core never imports this folder.
import type { DemoProvider } from '../core/demo-provider.ts';
import { ensureDemoKit, ensureDemoTeam } from './demo/demo-team.ts';
import { startDemoGateways } from './demo/demo-gateways.ts';
import { ensureDemoStock } from './demo/demo-stock.ts';
import { SANDBOX_ADAPTERS } from './platform.ts';
import { sandboxWorkerEntry } from './worker-entry.ts';

export const sandboxDemo: DemoProvider = {
  adapters: SANDBOX_ADAPTERS,
  workerEntry: () => sandboxWorkerEntry(),
  ensureDemo(db, now, { secretCipher, labelsDir }) {
    const kit = labelsDir !== undefined ? { labelsDir } : {};
    if (ensureDemoTeam(db, now, { ...(secretCipher ? { secretCipher } : {}), ...kit }).length === 0) {
      ensureDemoKit(db, now, kit);
      ensureDemoStock(db, now);
    }
  },
  startGateways: (options) => startDemoGateways(options),
};
