// What every way of reaching a printer offers the queue: send bytes (resolve = delivered), and ask
// for status where the link carries answers back. Failures are PrintFailure with the reason in words.
import type { PrinterStatus } from '../status.ts';

export interface SendOptions {
  /** The whole send — connect, write, the printer taking the bytes — must finish within this. */
  timeoutMs: number;
  /** A name for the job where the link shows one (CUPS/spooler job title). */
  title?: string;
  /** The print job's id, for links that keep one output per job (the folder printer names files by it). */
  jobId?: string;
}

export interface PrinterTransport {
  /** Short description for logs, e.g. "tcp 10.0.0.5:9100". */
  readonly describe: string;
  /** Resolves once the bytes were handed over completely; rejects with PrintFailure. */
  send(bytes: Buffer, opts: SendOptions): Promise<void>;
  /** Present only on bidirectional links. */
  status?(opts: { timeoutMs: number }): Promise<PrinterStatus>;
}
