// Desktop notifications for stock alerts in the Electron app: main hears the core's db.changed
// (relayed from the utility host) and, when stock_alerts changed, claims the new alerts through the
// API (alerts.claimNotifications) and shows each with Electron's Notification. The claim records
// "shown" on the alert, so the renderer of this app never shows them too (it leaves notifications
// to main when the Electron bridge is present) and a web page on the same station gets only what
// main did not claim first.
import { Notification } from 'electron';
import type { AlertClaim } from '../shared/api/stock-alerts.ts';
import type { EventName } from '../shared/contract.ts';
import type { Result } from '../shared/result.ts';

export interface AlertHost {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
}

export interface StockNotificationOptions {
  /** The language the core words the notifications in. */
  lang: 'zh' | 'en';
  /** A click brings the app forward on the 预警 view: index.ts focuses the main window and shows this hash. */
  onClick?: (hash: typeof ALERTS_VIEW_HASH) => void;
  log?: (message: string) => void;
}

/** The 预警 view's address in the app (nav-store's #stock/<view>): where a clicked notification leads. */
export const ALERTS_VIEW_HASH = '#stock/alerts';

/** db.changed's "every table" (the contract's ANY_TABLE, restated: main never loads the contract at run time). */
const ANY_TABLE = '*';

const touchesAlerts = (event: EventName, payload: unknown): boolean => {
  if (event !== 'db.changed') return false;
  const tables = (payload as { tables?: unknown } | null)?.tables;
  return Array.isArray(tables) && (tables.includes('stock_alerts') || tables.includes(ANY_TABLE));
};

/**
 * Follows stock alerts for as long as the app runs: claims once now (alerts raised while the app was
 * closed) and again after every change to stock_alerts. Claims never overlap: a change heard during
 * one claim is answered by one more claim after it. Returns a function that stops following.
 */
export function followStockAlerts(host: AlertHost, options: StockNotificationOptions): { stop(): void; claim(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  const log = options.log ?? ((m: string) => console.error(m));
  const once = async (): Promise<void> => {
    // No notification centre here: leave the alerts unclaimed for a face that can show them.
    if (!Notification.isSupported()) return;
    const r = await host.call('alerts.claimNotifications', { lang: options.lang });
    if (!r.ok) {
      log(`[alerts] claiming notifications failed: ${r.error.code} ${r.error.message}`);
      return;
    }
    for (const text of (r.value as AlertClaim).show) {
      const n = new Notification({ title: text.title, body: text.body });
      const onClick = options.onClick;
      if (onClick) n.on('click', () => onClick(ALERTS_VIEW_HASH));
      n.show();
    }
  };
  const claim = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await once().catch((err: unknown) => log(`[alerts] notification failed: ${String(err)}`));
      } while (again);
      running = null;
    })();
    return running;
  };
  const off = host.onEvent((event, payload) => {
    if (touchesAlerts(event, payload)) void claim();
  });
  return { stop: off, claim };
}
