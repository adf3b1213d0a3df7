// Locks every web contents and the session down: no navigation, no new windows, no webviews,
// no permissions. Links to the web go to the system browser through openExternalSafe.
import type { Session, WebContents, WebPreferences } from 'electron';
import { openExternalSafe } from './external.ts';

/** The renderer gets no Node, runs sandboxed and isolated, and talks only through the preload. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** Applied to every web contents the app creates (app 'web-contents-created'). */
export function lockDownWebContents(contents: WebContents): void {
  // The renderer is a single-page app: any navigation is either a link to the web or an attack.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternalSafe(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafe(url);
    return { action: 'deny' };
  });
}

/** Deny every permission request and check (camera, geolocation, notifications, HID, ...). */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
