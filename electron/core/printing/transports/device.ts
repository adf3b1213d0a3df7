// A printer as a device file: Linux usblp (/dev/usb/lp0) — open for writing, write, close.
// One-way: reading status back through usblp is unreliable (printing.md §3.1), so no status().
import fs from 'node:fs';
import { PrintFailure, failureFromError } from '../failure.ts';
import type { PrinterTransport, SendOptions } from './transport.ts';

export class DeviceFileTransport implements PrinterTransport {
  readonly describe: string;

  constructor(private readonly path: string) {
    this.describe = `device ${path}`;
  }

  async send(bytes: Buffer, opts: SendOptions): Promise<void> {
    // O_WRONLY without O_CREAT: a missing device must fail, never become a regular file in /dev/usb.
    let handle: fs.promises.FileHandle | null = null;
    let timedOut = false;
    // Once the first write starts, the printer may have part of the label (or all of it).
    let writing = false;
    const work = (async () => {
      handle = await fs.promises.open(this.path, fs.constants.O_WRONLY);
      if (timedOut) return;
      writing = true;
      let off = 0;
      while (off < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, off, bytes.length - off);
        off += bytesWritten;
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new PrintFailure('timeout', `${opts.timeoutMs} ms`));
      }, opts.timeoutMs);
    });
    try {
      await Promise.race([work, timeout]);
    } catch (err) {
      throw failureFromError(err, { maybeDelivered: writing });
    } finally {
      clearTimeout(timer);
      // An open() still pending in the thread pool (a device that never accepts) closes when it lands.
      if (handle) await (handle as fs.promises.FileHandle).close().catch(() => undefined);
      else
        void work.then(
          () => (handle as fs.promises.FileHandle | null)?.close(),
          () => undefined,
        );
    }
  }
}
