// The station's one client per print component, shared by every printer that prints through it, and
// where each component is reached: an override (tests, a wss or non-default port), the environment
// variable SHOPFLEET_PRINT_COMPONENT_<KIND>_URL, or the component's documented endpoint.
import type { PrintComponent } from '../uri.ts';
import { ComponentClient, type ComponentPrinters } from './client.ts';
import { COMPONENTS } from './protocol.ts';

const overrides = new Map<PrintComponent, string>();
const clients = new Map<PrintComponent, ComponentClient>();

/** Points a component at another endpoint (null = back to the default); the next use reconnects there. */
export function setComponentEndpoint(kind: PrintComponent, url: string | null): void {
  if (url === null) overrides.delete(kind);
  else overrides.set(kind, url);
  const c = clients.get(kind);
  if (c && c.url !== componentEndpoint(kind)) {
    c.close();
    clients.delete(kind);
  }
}

export function componentEndpoint(kind: PrintComponent): string {
  return overrides.get(kind) ?? process.env[`SHOPFLEET_PRINT_COMPONENT_${kind.toUpperCase()}_URL`] ?? COMPONENTS[kind].url;
}

/** The shared client of a component (created on first use; it connects on its first request). */
export function componentClient(kind: PrintComponent): ComponentClient {
  const url = componentEndpoint(kind);
  let c = clients.get(kind);
  if (c && c.url !== url) {
    c.close();
    c = undefined;
  }
  if (!c) {
    c = new ComponentClient({ kind, url });
    clients.set(kind, c);
  }
  return c;
}

/**
 * Printer discovery through a component: the printers it can print to and its default. Rejects with
 * "<组件>未启动，请先打开组件" when it is not running.
 */
export function componentPrinters(kind: PrintComponent, opts: { timeoutMs?: number } = {}): Promise<ComponentPrinters> {
  return componentClient(kind).getPrinters(opts.timeoutMs ?? 3000);
}

/** Closes every component socket (shutdown, tests). */
export function closeComponentClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}
