// One sender per station database. PrintQueue.start() turns every 'sending' job into 'uncertain',
// which is right after a crash and wrong while another live process (the desktop app, a CLI
// `print` run) is mid-send on the same file — so the sender holds a lock file beside the database
// naming its pid. A lock whose process is gone (kill -9, power cut) is stale and taken over.
import fs from 'node:fs';
import path from 'node:path';
import { reasonError } from '../../shared/reasons.ts';

export interface QueueLock {
  readonly file: string | null;
  release(): void;
}

/** Lock files this process holds: a second queue in the same process is refused too. */
const heldHere = new Set<string>();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive all the same.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the print-queue lock for a database file; ':memory:' and '' (temporary) need none. */
export function takeQueueLock(dbFile: string): QueueLock {
  if (dbFile === '' || dbFile === ':memory:') return { file: null, release: () => undefined };
  const file = `${path.resolve(dbFile)}.print-queue.lock`;
  if (heldHere.has(file)) throw reasonError('print_queue.running_here', {}, "This station's print queue is already running in this process");
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      heldHere.add(file);
      let held = true;
      return {
        file,
        release: () => {
          if (!held) return;
          held = false;
          heldHere.delete(file);
          // Only our own lock: a takeover after we were presumed dead must not be undone by us.
          if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = readPid(file);
      if (pid !== null && pid !== process.pid && alive(pid)) {
        throw reasonError('print_queue.locked', { pid, lockFile: file }, `Another process (pid ${pid}) is sending this station's print jobs; print there, or close it first`);
      }
      // Stale (its process is gone, or its pid is now ours — reused after a crash) or unreadable.
      fs.rmSync(file, { force: true });
    }
  }
  throw reasonError('print_queue.lock_failed', { lockFile: file }, `Could not take the print queue lock ${file}`);
}

function readPid(file: string): number | null {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
