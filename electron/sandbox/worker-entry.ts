// Where the sandbox's background worker starts: worker-boot.mjs beside this file in the source tree,
// background-worker.* beside a bundle (the builds bundle worker.ts under that name).
import { defaultWorkerEntry, type WorkerEntry } from '../core/background/worker-host.ts';

export function sandboxWorkerEntry(): WorkerEntry {
  return defaultWorkerEntry(import.meta.url);
}
