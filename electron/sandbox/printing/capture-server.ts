// A port-9100 printer stand-in for tests and the crash test
// (docs/printing/transports.md#testing-without-a-printer): it records every connection's bytes, answers
// status queries in the printer's language, and can fake a printer that is out of paper, one that accepts and
// never reads (a timeout), or a slow one.
import net from 'node:net';
import { statusQuery, type PrinterLang } from '../../core/printing/status.ts';

export type CaptureMode = 'ok' | 'paper_out' | 'hang' | 'printing';

export interface CapturedJob {
  bytes: Buffer;
  /** The client ended its side (the whole job arrived). */
  complete: boolean;
}

export interface CaptureServer {
  port: number;
  uri: string;
  /** Print connections (status queries are counted apart). */
  jobs: CapturedJob[];
  statusQueries: number;
  mode: CaptureMode;
  /** While mode is 'printing', this many more status answers say "printing" before "ready". */
  printingAnswers: number;
  close(): Promise<void>;
}

/** The printer's answer to its status query. */
export function statusAnswer(lang: PrinterLang, mode: CaptureMode, printing: boolean): Buffer {
  const paperOut = mode === 'paper_out';
  switch (lang) {
    case 'tspl':
      return Buffer.from([(paperOut ? 0x04 : 0) | (printing ? 0x20 : 0)]);
    case 'escpos':
      return Buffer.from([0x12 | (paperOut ? 0x20 : 0)]);
    case 'zpl': {
      const one = `030,${paperOut ? 1 : 0},0,1245,${printing ? '001' : '000'},0,0,0,000,0,0,0`;
      const two = `000,0,0,0,1,2,6,0,${printing ? '00000001' : '00000000'},1,000`;
      return Buffer.from(`\x02${one}\x03\r\n\x02${two}\x03\r\n\x021234,0\x03\r\n`, 'latin1');
    }
    case 'pdf':
      return Buffer.alloc(0);
  }
}

/**
 * opts.port: listen on this port (default: a free one) — a printer plugged back in at the same
 * address after an earlier server on that port was closed (the e2e "unplugged printer" test).
 */
export async function startCaptureServer(opts: { lang?: PrinterLang; mode?: CaptureMode; closeDelayMs?: number; port?: number } = {}): Promise<CaptureServer> {
  const lang = opts.lang ?? 'tspl';
  const query = statusQuery(lang);
  const sockets = new Set<net.Socket>();
  const state: CaptureServer = { port: 0, uri: '', jobs: [], statusQueries: 0, mode: opts.mode ?? 'ok', printingAnswers: 0, close: async () => undefined };
  // allowHalfOpen: the printer decides when to close after the job ends (closeDelayMs), as a real one does.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (state.mode === 'hang') {
      // Accept and never read: the client's bytes pile up, its end never gets an answer.
      socket.pause();
      return;
    }
    let bytes = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      if (query && !answered && bytes.equals(query)) {
        answered = true;
        state.statusQueries += 1;
        const printing = state.mode === 'printing' && state.printingAnswers > 0;
        if (printing) state.printingAnswers -= 1;
        socket.write(statusAnswer(lang, state.mode, printing));
      }
    });
    socket.on('end', () => {
      if (!answered) state.jobs.push({ bytes, complete: true });
      const finish = () => socket.end();
      if (opts.closeDelayMs) setTimeout(finish, opts.closeDelayMs);
      else finish();
    });
    socket.on('close', () => {
      // A job cut off mid-stream (the sender died): recorded as incomplete.
      if (!answered && !socket.readableEnded && bytes.length > 0) state.jobs.push({ bytes, complete: false });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  state.port = (server.address() as net.AddressInfo).port;
  state.uri = `tcp://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

/** A port with nothing listening on it: connecting is refused. */
export async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
