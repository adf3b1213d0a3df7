// Port-9100 ("raw", "JetDirect") network printers: one connection per job — connect, write, end,
// and wait until the printer closes its side, so "resolved" means the printer took every byte
// (docs/printing/transports.md#tcp-9100-every-os: destroy() right after write can cut a job off; wcpos waits
// for close).
import net from 'node:net';
import { PrintFailure, failureFromError } from '../failure.ts';
import { parseStatus, statusAnswerComplete, statusQuery, type PrinterLang, type PrinterStatus } from '../status.ts';
import type { PrinterTransport, SendOptions } from './transport.ts';

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** The printer's language decides the status query; 'pdf' has none (one-way). */
  lang: PrinterLang;
  /**
   * Connect must succeed within this (default 5 s, docs/printing/transports.md#tcp-9100-every-os: 3–5 s),
   * inside the send timeout.
   */
  connectTimeoutMs?: number;
}

/**
 * Runs fn over a fresh connection; settles once, destroys the socket on every way out. With `job`, a
 * failure once connected is maybeDelivered: the bytes were on their way, and the printer may have them.
 */
function withSocket<T>(o: TcpTransportOptions, timeoutMs: number, job: boolean, fn: (socket: net.Socket, done: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const socket = net.connect({ host: o.host, port: o.port });
    let settled = false;
    let connected = false;
    const done = (err: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      clearTimeout(connecting);
      socket.destroy();
      if (err) reject(failureFromError(err, { maybeDelivered: job && connected }));
      else resolve(value as T);
    };
    const overall = setTimeout(() => done(new PrintFailure('timeout', `${timeoutMs} ms`)), timeoutMs);
    const connecting = setTimeout(() => done(new PrintFailure('timeout', `连接 ${o.host}:${o.port} 超过 ${o.connectTimeoutMs ?? 5000} ms`)), Math.min(o.connectTimeoutMs ?? 5000, timeoutMs));
    socket.once('connect', () => {
      connected = true;
      clearTimeout(connecting);
    });
    socket.on('error', (err) => done(err));
    fn(socket, done);
  });
}

export class TcpTransport implements PrinterTransport {
  readonly describe: string;
  readonly status?: (opts: { timeoutMs: number }) => Promise<PrinterStatus>;

  constructor(private readonly o: TcpTransportOptions) {
    this.describe = `tcp ${o.host}:${o.port}`;
    const query = statusQuery(o.lang);
    if (query) this.status = (opts) => this.queryStatus(query, opts.timeoutMs);
  }

  send(bytes: Buffer, opts: SendOptions): Promise<void> {
    return withSocket<void>(this.o, opts.timeoutMs, true, (socket, done) => {
      // Anything the printer says during a job is not ours to read; keep the socket flowing.
      socket.on('data', () => undefined);
      socket.once('connect', () => {
        socket.end(bytes);
      });
      // 'close' after our FIN: the printer read to the end and closed too. hadError is reported via 'error'.
      socket.once('close', (hadError) => {
        if (!hadError) done(null);
      });
    });
  }

  private queryStatus(query: Buffer, timeoutMs: number): Promise<PrinterStatus> {
    const lang = this.o.lang;
    return withSocket<PrinterStatus>(this.o, timeoutMs, false, (socket, done) => {
      let answer = Buffer.alloc(0);
      socket.once('connect', () => socket.write(query));
      socket.on('data', (chunk: Buffer) => {
        answer = Buffer.concat([answer, chunk]);
        if (statusAnswerComplete(lang, answer)) done(null, parseStatus(lang, answer));
      });
      socket.once('close', () => done(new PrintFailure('closed_early', '状态查询没有回答')));
    });
  }
}
