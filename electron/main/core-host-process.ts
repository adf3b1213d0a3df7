// Starts the core host bundle in an Electron utility process and adapts it to HostProcess.
import { utilityProcess } from 'electron';
import type { HostProcess } from './core-host-client.ts';

export function forkCoreHost(modulePath: string): HostProcess {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'ShopFleet Core', stdio: 'inherit' });
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => child.kill(),
  };
}
