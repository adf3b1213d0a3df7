// The sandbox's in-process platform ('sandbox' shops: the simulated world served without a wire, as
// `shopfleet demo --orders N` and a ':memory:' demo station make them), registered into a thread's
// adapter registry by whoever carries the demo: createCore when handed the DemoProvider, and the
// background worker's sandbox entry (worker.ts) in its own thread.
import type { Platform } from '../shared/model.ts';
import type { AdapterFactory } from '../core/platforms/contract.ts';
import { registerAdapter } from '../core/platforms/registry.ts';
import { SandboxAdapter } from './demo/adapter.ts';

export const SANDBOX_ADAPTERS: ReadonlyArray<readonly [Platform, AdapterFactory]> = [['sandbox', (shop, ctx) => new SandboxAdapter(shop, ctx)]];

export function registerSandboxPlatform(): void {
  for (const [platform, factory] of SANDBOX_ADAPTERS) registerAdapter(platform, factory);
}
