// Entry of the core host: the utility process that runs the core (SQLite, sync, handlers) so a
// long sync or export never stalls the window. Bundled to dist-electron/core-host.cjs.
import { createCore } from '../../core/app.ts';
import type { HostToMain } from './protocol.ts';
import { serveCore } from './serve.ts';

/** The slice of Electron's process.parentPort this host uses (declared here: no electron import). */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: HostToMain): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  console.error('[core-host] must be started by Electron utilityProcess.fork (process.parentPort is missing)');
  process.exit(1);
}

serveCore(
  {
    onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    postMessage: (message) => parentPort.postMessage(message),
  },
  { createCore, onClosed: () => process.exit(0) },
);
