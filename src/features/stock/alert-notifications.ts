// Desktop notifications for stock alerts in the web host (the browser's Notification API). In the
// Electron app the main process shows them (electron/main/stock-notifications.ts) and this does
// nothing. "Once" lives in the core: each alert is handed to the first face that claims it
// (alerts.claimNotifications), so two tabs, or a tab and the desktop app, never both show one.
// A page claims only once the person has granted permission — asked on a click, as browsers require
// — so alerts are not used up by a page that could not show them.
import type { AlertClaim } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';

/** The browser can show notifications here and this is not the Electron app (main shows them there). */
export function webNotificationsAvailable(): boolean {
  return typeof window !== 'undefined' && !window.shopfleet && 'Notification' in window;
}

export function webNotificationsGranted(): boolean {
  return webNotificationsAvailable() && Notification.permission === 'granted';
}

/** Asks for permission (call it from a click); resolves to whether notifications may be shown. */
export async function askWebNotifications(): Promise<boolean> {
  if (!webNotificationsAvailable()) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

let running: Promise<void> | null = null;
let again = false;

async function claimOnce(lang: 'zh' | 'en', onClick: () => void): Promise<void> {
  const claim: AlertClaim = await api.call('alerts.claimNotifications', { lang });
  for (const text of claim.show) {
    const n = new Notification(text.title, { body: text.body, tag: text.alertId ?? 'stock-alerts', data: { alertId: text.alertId } });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  }
}

/**
 * Claims the new alerts and shows them, when this page may. Never two claims at once from this page:
 * a change heard during one is answered by one more afterwards.
 */
export function claimWebNotifications(lang: 'zh' | 'en', onClick: () => void, report: (err: unknown) => void): Promise<void> {
  if (!webNotificationsGranted()) return Promise.resolve();
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await claimOnce(lang, onClick).catch(report);
    } while (again);
    running = null;
  })();
  return running;
}
