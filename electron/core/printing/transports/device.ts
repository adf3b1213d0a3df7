// A printer as a device file: Linux usblp (/dev/usb/lp0), a serial port (/dev/ttyUSB0, macOS
// /dev/cu.*, Windows \\.\COM3) — open for writing, check what was opened, write, close.
// One-way: reading status back through usblp is unreliable (docs/printing/transports.md#linux), so no status().
//
// Only a character device is ever written. A `usb:` address naming a regular file (the station's
// own database, say) would otherwise be overwritten from its first byte by every label. The check is
// fstat on the descriptor that will be written, not a stat of the path beforehand: a symlink swapped
// between a check and the open cannot redirect the write. See docs/printing/device-paths.md.
import fs from 'node:fs';
import { PrintFailure, failureFromError } from '../failure.ts';
import type { PrinterTransport, SendOptions } from './transport.ts';

/** What a non-device file is, in the words an operator reads in the job's error. */
function kindWords(st: fs.Stats): string {
  if (st.isFile()) return '普通文件';
  if (st.isDirectory()) return '目录';
  if (st.isFIFO()) return '命名管道';
  if (st.isSocket()) return '套接字';
  if (st.isBlockDevice()) return '块设备（磁盘）';
  return '不是字符设备';
}

/**
 * Windows reports only NUL and consoles as character devices through Node's fstat (libuv
 * src/win/fs.c: fs__fstat_handle takes every other handle through the disk-file path), so a COM
 * port would look like a file there. On Windows the address form is the guard instead: uri.ts
 * accepts only \\.\COMn, \\.\LPTn and \\.\USBnnn, reserved device names that cannot be files.
 */
const CAN_TELL_DEVICES = process.platform !== 'win32';

/**
 * Why this path cannot be a printer as it stands now, or null: a character device, or nothing there
 * yet (a printer that is unplugged at the moment is still a valid address; sending says 设备不存在).
 * For validation when a printer is added or changed; send() checks the opened descriptor again.
 */
export function devicePathProblem(path: string): string | null {
  if (!CAN_TELL_DEVICES) return null;
  let st: fs.Stats;
  try {
    // stat follows symlinks: /dev/serial/by-id/… links are fine when they end at a device.
    st = fs.statSync(path);
  } catch {
    return null;
  }
  if (st.isCharacterDevice()) return null;
  return `${path} 是${kindWords(st)}，不是打印机设备；USB 打印机的地址是设备文件，例如 usb:/dev/usb/lp0`;
}

// O_NOCTTY: a serial printer's tty must never become this process's controlling terminal.
const OPEN_FLAGS = fs.constants.O_WRONLY | (fs.constants.O_NOCTTY ?? 0);

export class DeviceFileTransport implements PrinterTransport {
  readonly describe: string;

  constructor(private readonly path: string) {
    this.describe = `device ${path}`;
  }

  async send(bytes: Buffer, opts: SendOptions): Promise<void> {
    // No O_CREAT and no O_TRUNC: a missing device fails (never becomes a regular file in /dev/usb),
    // and opening a file that is not a device leaves it as it was.
    let handle: fs.promises.FileHandle | null = null;
    let timedOut = false;
    // Once the first write starts, the printer may have part of the label (or all of it).
    let writing = false;
    const work = (async () => {
      handle = await fs.promises.open(this.path, OPEN_FLAGS);
      if (timedOut) return;
      if (CAN_TELL_DEVICES) {
        const st = await handle.stat();
        if (!st.isCharacterDevice()) throw new PrintFailure('not_a_device', `${this.path} 是${kindWords(st)}`);
      }
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
      // A directory cannot even be opened for writing: it is an address that is not a device.
      if ((err as NodeJS.ErrnoException)?.code === 'EISDIR') throw new PrintFailure('not_a_device', `${this.path} 是目录`);
      throw failureFromError(err, { maybeDelivered: writing });
    } finally {
      clearTimeout(timer);
      // Not awaited: FileHandle.close() waits for a write still blocked in the thread pool (a device
      // that stopped reading), which would hold the printer's lane until the device comes back.
      // An open() still pending (a device that never accepts) closes when it lands.
      if (handle) void (handle as fs.promises.FileHandle).close().catch(() => undefined);
      else
        void work.then(
          () => (handle as fs.promises.FileHandle | null)?.close(),
          () => undefined,
        );
    }
  }
}
