// The one workbench window: secure webPreferences, shown when painted, loading the app:// entry.
import { BrowserWindow } from 'electron';
import { NAVIGATE_CHANNEL } from '../preload/channels.ts';
import { APP_ENTRY_URL } from './app-protocol.ts';
import { secureWebPreferences } from './security.ts';

export const WINDOW_TITLE = 'ShopFleet 店群订单台';

export function createMainWindow(preload: string): BrowserWindow {
  const win = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 680,
    show: false,
    backgroundColor: '#f5f6f8',
    webPreferences: secureWebPreferences(preload),
  });
  // Showing after the first paint avoids a white flash on slow station PCs.
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL).catch((err: unknown) => console.error('[window] load failed', err));
  return win;
}

/**
 * Shows one of the app's views (a URL hash such as #stock/alerts) in this window: told through the
 * preload once the page has loaded (a window just created for a click is still loading).
 */
export function showView(win: BrowserWindow, hash: string): void {
  const contents = win.webContents;
  const send = () => {
    if (!contents.isDestroyed()) contents.send(NAVIGATE_CHANNEL, hash);
  };
  if (contents.isLoading()) contents.once('did-finish-load', send);
  else send();
}
