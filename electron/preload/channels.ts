// What crosses the IPC bridge: the two channel names and the event allow-list, shared by the
// preload and electron/main/ipc.ts. Dependency-free on purpose: importing contract.ts at runtime
// would pull zod (~700 kB) into the sandboxed preload and the main bundle.
import type { EventName } from '../shared/contract.ts';

export const CALL_CHANNEL = 'shopfleet:call';
export const EVENT_CHANNEL = 'shopfleet:event';
/** Main asks the page to show a view (a desktop notification was clicked): the payload is a URL hash. */
export const NAVIGATE_CHANNEL = 'shopfleet:navigate';

/** A hash of the app's own views (#stock/alerts, #orders): nothing that could carry a token or script. */
export function isViewHash(hash: unknown): hash is string {
  return typeof hash === 'string' && /^#[a-z][a-z0-9/_-]{0,99}$/i.test(hash);
}

/** The contract's EVENT_NAMES, restated; the checks below fail typecheck if the two ever differ. */
export const BRIDGE_EVENTS = ['db.changed', 'sync.progress', 'print.progress'] as const satisfies readonly EventName[];

type Missing = Exclude<EventName, (typeof BRIDGE_EVENTS)[number]>;
export const bridgeEventsComplete: [Missing] extends [never] ? true : never = true;

export function isBridgeEvent(name: unknown): name is EventName {
  return typeof name === 'string' && (BRIDGE_EVENTS as readonly string[]).includes(name);
}
