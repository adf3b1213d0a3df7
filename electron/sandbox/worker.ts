// The background worker as the hosts start it: the core's worker with the sandbox's platform
// registered in this thread first (a worker has its own module registry). The builds bundle this
// file as background-worker.* so the packaged app's worker can sync the demo's sandbox shops too.
import { registerSandboxPlatform } from './platform.ts';
import '../core/background/worker.ts';

registerSandboxPlatform();
