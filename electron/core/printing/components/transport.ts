// The queue's transport for printers at component:<kind>[?printer=NAME]. send = one print task with
// the job's documents (resolves once the component accepted it → job 'sent'); status = before a send,
// "is the component running and does it have that printer"; after it, the task's print-result
// notification: printed → ready (job 'confirmed'), failed → a problem with the component's words (job
// 'uncertain': a task that failed at the printer — 缺纸, 卡纸 — may have put part of a label out, or
// come out once the printer is fixed, so a person looks), nothing yet → still printing (the queue keeps asking until its deadline, then leaves the
// job 'sent' for a person to check — it is never sent again on its own).
import { v7 as uuidv7 } from 'uuid';
import { PrintFailure } from '../failure.ts';
import type { PrinterStatus } from '../status.ts';
import type { PrinterTransport, SendOptions } from '../transports/transport.ts';
import type { PrintComponent } from '../uri.ts';
import type { ComponentClient } from './client.ts';
import { parseComponentPayload } from './documents.ts';
import { COMPONENTS, type TaskResult } from './protocol.ts';
import { componentClient } from './registry.ts';

export interface ComponentTransportOptions {
  /** The component's printer name; none = the component's default printer. */
  printer?: string;
  /** Default: the station's shared client for this component (registry.ts). */
  client?: ComponentClient;
}

const readyStatus = (printing: boolean, raw: string): PrinterStatus => ({ ready: true, printing, problems: [], raw });

export class ComponentTransport implements PrinterTransport {
  readonly describe: string;
  private readonly client: ComponentClient;
  private readonly printer: string;
  /** The task this transport sent (the queue makes one transport per job), and on which connection. */
  private task: { id: string; epoch: number } | null = null;

  constructor(
    readonly kind: PrintComponent,
    opts: ComponentTransportOptions = {},
  ) {
    this.client = opts.client ?? componentClient(kind);
    this.printer = opts.printer ?? '';
    this.describe = `component ${kind}${this.printer ? ` ${this.printer}` : ''} (${this.client.url})`;
  }

  /** The id of the task sent, once sent (for logs and tests). */
  get taskID(): string | null {
    return this.task?.id ?? null;
  }

  async send(bytes: Buffer, opts: SendOptions): Promise<void> {
    const documents = parseComponentPayload(bytes);
    // Connecting first separates "never reached the component" (reject → failed, safe to retry) from a
    // task that went out and got no answer (see below).
    await this.client.connect();
    const taskID = uuidv7();
    this.task = { id: taskID, epoch: this.client.epoch };
    try {
      await this.client.print({ taskID, printer: this.printer, documents }, opts.timeoutMs);
    } catch (err) {
      const f = err instanceof PrintFailure ? err : new PrintFailure('io', String(err));
      // The frame may have left: the component may be printing it. Treat it as delivered and let status() find out,
      // so a lost reply can never cause the same waybill to be printed twice by an automatic retry.
      if (f.reason === 'timeout' || f.reason === 'closed_early') return;
      throw f;
    }
  }

  async status(opts: { timeoutMs: number }): Promise<PrinterStatus> {
    if (!this.task) return this.preflight(opts.timeoutMs);
    const task = this.task;
    // getTaskStatus is the fallback for a notification that never reached us; its failures just mean "not known yet".
    const ask = async (): Promise<TaskResult | null> => {
      try {
        return this.final((await this.client.getTaskStatus([task.id], opts.timeoutMs)).get(task.id));
      } catch {
        return null;
      }
    };
    let result = this.final(this.client.taskResult(task.id));
    if (!result && (this.client.epoch !== task.epoch || !this.client.connected)) {
      // The socket the task went out on is gone, and its notification with it: reconnect and ask.
      try {
        await this.client.connect();
      } catch {
        return readyStatus(true, 'no-connection');
      }
      task.epoch = this.client.epoch;
      result = await ask();
    }
    result ??= await this.client.waitForTask(task.id, opts.timeoutMs);
    result ??= await ask();
    if (!result) return readyStatus(true, this.client.taskResult(task.id)?.state ?? 'waiting');
    if (result.state === 'printed') return readyStatus(false, 'printed');
    return { ready: false, printing: false, problems: ['printer_error'], raw: 'failed', detail: `${COMPONENTS[this.kind].name}：${result.message}` };
  }

  private final(r: TaskResult | undefined): TaskResult | null {
    return r && (r.state === 'printed' || r.state === 'failed') ? r : null;
  }

  /** Before a send: the component answers, and has the printer this one is set to. Throws when it is not running. */
  private async preflight(timeoutMs: number): Promise<PrinterStatus> {
    const { printers } = await this.client.getPrinters(timeoutMs);
    if (this.printer && !printers.includes(this.printer)) {
      return {
        ready: false,
        printing: false,
        problems: ['printer_error'],
        raw: 'no-such-printer',
        detail: `${COMPONENTS[this.kind].name}里没有打印机「${this.printer}」（现有：${printers.join('、') || '无'}）`,
      };
    }
    return readyStatus(false, 'component-ready');
  }
}

/** The transport for a component printer address. */
export function componentTransport(kind: PrintComponent, printer?: string): ComponentTransport {
  return new ComponentTransport(kind, printer ? { printer } : {});
}
