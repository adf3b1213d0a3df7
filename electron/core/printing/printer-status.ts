// "Is this printer ready?" for the printers page and pre-checks: asks over the printer's own link
// when that link is bidirectional, and says plainly when it cannot be asked.
import { FAILURE_REASONS, failureFromError } from './failure.ts';
import type { Printer } from './printers.ts';
import type { PrinterStatus } from './status.ts';
import { transportForUri } from './transports/for-printer.ts';
import type { PrinterTransport } from './transports/transport.ts';

export type PrinterStatusReport =
  | { kind: 'status'; status: PrinterStatus; words: string }
  | { kind: 'one_way'; words: string }
  | { kind: 'unreachable'; reason: string; words: string };


export async function printerStatusOf(printer: Printer, opts: { timeoutMs?: number; transportFor?: (p: Printer) => PrinterTransport } = {}): Promise<PrinterStatusReport> {
  let transport: PrinterTransport;
  try {
    transport = (opts.transportFor ?? ((p: Printer) => transportForUri(p.uri, p.lang)))(printer);
  } catch (err) {
    // An address that cannot be used at all (e.g. a usb: path that is not a device) is said, not thrown.
    const f = failureFromError(err);
    return { kind: 'unreachable', reason: f.reason, words: f.message };
  }
  if (!transport.status || printer.settings.statusQuery === false) return { kind: 'one_way', words: '这种连接只能发送，无法查询打印机状态' };
  try {
    const status = await transport.status({ timeoutMs: opts.timeoutMs ?? 3000 });
    const words = status.ready ? (status.printing ? '正在打印' : '就绪') : status.problems.map((p) => FAILURE_REASONS[p]).join('、');
    return { kind: 'status', status, words };
  } catch (err) {
    const f = failureFromError(err);
    return { kind: 'unreachable', reason: f.reason, words: f.message };
  }
}
