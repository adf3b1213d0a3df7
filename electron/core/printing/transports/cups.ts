// A CUPS queue (Linux, macOS): `lp -d QUEUE -o raw -t TITLE` with the bytes on stdin — label and
// receipt bytes reach the backend unchanged (docs/printing/transports.md#linux: byte-identical to a socket://
// capture). PDFs for A4 printers go without `-o raw`, so CUPS' filters turn them into what the
// printer speaks (and cups-pdf, the test oracle, writes them out as a PDF file).
// CUPS knows "accepted", not "printed", so this link is one-way here.
import { execFile } from 'node:child_process';
import { PrintFailure, failureFromError } from '../failure.ts';
import type { PrinterTransport, SendOptions } from './transport.ts';

export interface CupsTransportOptions {
  queue: string;
  /** The lp program (default: SHOPFLEET_LP, else "lp" on PATH). */
  lp?: string;
  /** Send the bytes as they are (label/receipt commands; default) or through CUPS' filters (PDF). */
  raw?: boolean;
}

/** The lp arguments for one raw job; exported for its test. */
export function lpArgs(queue: string, title: string, raw = true): string[] {
  return ['-d', queue, ...(raw ? ['-o', 'raw'] : []), '-t', title];
}

/** CUPS' "request id is QUEUE-12 (0 file(s))" → "QUEUE-12". */
export function parseLpRequestId(stdout: string): string | null {
  return /request id is (\S+)/.exec(stdout)?.[1] ?? null;
}

export class CupsTransport implements PrinterTransport {
  readonly describe: string;
  /** The CUPS job id of the last send, for cancel/lpstat (null before one). */
  lastRequestId: string | null = null;

  constructor(private readonly o: CupsTransportOptions) {
    this.describe = `cups ${o.queue}`;
  }

  send(bytes: Buffer, opts: SendOptions): Promise<void> {
    const lp = this.o.lp ?? process.env.SHOPFLEET_LP ?? 'lp';
    return new Promise<void>((resolve, reject) => {
      // execFile: no shell, so a queue or title can never become a command.
      const child = execFile(lp, lpArgs(this.o.queue, opts.title ?? 'shopfleet', this.o.raw ?? true), { timeout: opts.timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
          // Killed while it ran, lp may already have queued the job with CUPS.
          if (e.killed) reject(new PrintFailure('timeout', `lp 超过 ${opts.timeoutMs} ms`, { maybeDelivered: true }));
          else if (e.code === 'ENOENT') reject(new PrintFailure('unsupported', '没有找到 lp 命令（请安装 CUPS）'));
          else if (typeof e.code === 'number') reject(new PrintFailure('spooler_failed', (stderr || stdout || `lp 退出码 ${e.code}`).trim()));
          else reject(failureFromError(err));
          return;
        }
        this.lastRequestId = parseLpRequestId(stdout);
        resolve();
      });
      child.stdin?.on('error', () => undefined); // lp exiting early reports through the callback
      child.stdin?.end(bytes);
    });
  }
}
