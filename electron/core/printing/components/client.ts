// One long-lived WebSocket to one platform print component (docs/printing/components.md: "keep one long-lived
// socket"): connect with a timeout, reconnect on the next request after the component went away,
// correlate replies by requestID, and remember print-result notifications by taskID so a result that
// arrives before anyone asks for it is not lost.
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { PrintFailure } from '../failure.ts';
import type { PrintComponent } from '../uri.ts';
import {
  COMPONENTS,
  ComponentFailure,
  decodeFrame,
  encodeCommand,
  offline,
  printersOf,
  taskStatesOf,
  type ComponentCommand,
  type ComponentPrintTask,
  type Incoming,
  type TaskResult,
} from './protocol.ts';

export interface ComponentClientOptions {
  kind: PrintComponent;
  /** Default: the component's documented endpoint (protocol.ts). */
  url?: string;
  /** Default 3 s. A component on loopback answers the handshake at once; longer means it is hung. */
  connectTimeoutMs?: number;
  /** Default 10 s: how long a request waits for its reply. */
  requestTimeoutMs?: number;
}

export interface ComponentPrinters {
  printers: string[];
  defaultPrinter: string | null;
}

interface Pending {
  /** The socket the request went out on: only its close fails the request. */
  ws: WebSocket;
  resolve: (reply: Extract<Incoming, { kind: 'reply' }>) => void;
  reject: (err: PrintFailure) => void;
  timer: NodeJS.Timeout;
}

/** How many finished task results are kept for late askers (one station prints far fewer between polls). */
const KEEP_RESULTS = 2000;

export class ComponentClient {
  readonly kind: PrintComponent;
  readonly url: string;
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly results = new Map<string, TaskResult>();
  private readonly waiters = new Map<string, Set<(r: TaskResult) => void>>();
  private readonly listeners = new Set<(r: TaskResult) => void>();
  private closedByUs = false;
  /** Increments on every successful open: a caller that sent a task on an older socket may have missed its notification. */
  epoch = 0;
  /** Frames that were not JSON objects (a misbehaving component); counted for logs and tests, otherwise ignored. */
  malformedFrames = 0;

  constructor(private readonly o: ComponentClientOptions) {
    this.kind = o.kind;
    this.url = o.url ?? COMPONENTS[o.kind].url;
  }

  get name(): string {
    return COMPONENTS[this.kind].name;
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket if it is not open; concurrent callers share one attempt. Rejects with "…未启动，请先打开组件". */
  connect(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    this.closedByUs = false;
    const timeoutMs = this.o.connectTimeoutMs ?? 3000;
    this.opening = new Promise<WebSocket>((resolve, reject) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(this.url, { handshakeTimeout: timeoutMs });
      } catch (err) {
        reject(offline(this.kind, (err as Error).message));
        return;
      }
      const timer = setTimeout(() => {
        ws.terminate();
        reject(offline(this.kind, `${timeoutMs} ms 内没有连上 ${this.url}`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        this.ws = ws;
        this.epoch += 1;
        ws.on('message', (data, isBinary) => this.onFrame(isBinary ? '' : data.toString()));
        ws.once('close', () => this.onClose(ws));
        resolve(ws);
      });
      // Kept for the socket's life: an 'error' event without a listener would throw. After open, 'close' follows it.
      ws.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // ECONNREFUSED: nothing listens — the component is not running; anything else still means "cannot reach it".
        reject(offline(this.kind, err.code === 'ECONNREFUSED' ? undefined : (err.code ?? err.message)));
      });
    }).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Closes the socket (until the next request reopens it). Terminates rather than handshakes, so a process can exit at once. */
  close(): void {
    this.closedByUs = true;
    this.ws?.terminate();
    this.ws = null;
  }

  /** A listener for every print-result notification; returns its remover. */
  onResult(listener: (r: TaskResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onClose(ws: WebSocket): void {
    if (this.ws === ws) this.ws = null;
    // Replies to requests on a dead socket will never come; tasks' notifications may still be asked for later.
    for (const [id, p] of this.pending) {
      if (p.ws !== ws) continue;
      clearTimeout(p.timer);
      p.reject(new ComponentFailure('closed_early', this.kind, `${this.name}断开了连接`, this.closedByUs ? '已关闭' : undefined));
      this.pending.delete(id);
    }
  }

  private onFrame(text: string): void {
    let frame: Incoming;
    try {
      frame = decodeFrame(this.kind, text);
    } catch {
      this.malformedFrames += 1;
      return;
    }
    if (frame.kind === 'notify') {
      this.record(frame.result);
      return;
    }
    if (frame.kind !== 'reply') return;
    const p = this.pending.get(frame.requestID);
    if (!p) return;
    this.pending.delete(frame.requestID);
    clearTimeout(p.timer);
    p.resolve(frame);
  }

  /** Keeps a task's latest state and wakes whoever waits for it. A final state is never replaced by 'rendered'. */
  record(result: TaskResult): void {
    // 'unknown' says nothing new; and a final state is never replaced by a late 'rendered'.
    if (!result.taskID || result.state === 'unknown') return;
    const known = this.results.get(result.taskID);
    if (known && (known.state === 'printed' || known.state === 'failed') && result.state === 'rendered') return;
    this.results.delete(result.taskID);
    this.results.set(result.taskID, result);
    if (this.results.size > KEEP_RESULTS) this.results.delete(this.results.keys().next().value as string);
    for (const l of this.listeners) l(result);
    if (result.state === 'printed' || result.state === 'failed') {
      for (const w of this.waiters.get(result.taskID) ?? []) w(result);
      this.waiters.delete(result.taskID);
    }
  }

  /** What is known about a task without asking the component. */
  taskResult(taskID: string): TaskResult | undefined {
    return this.results.get(taskID);
  }

  /** Resolves with the task's final result (printed/failed), or null when none came within timeoutMs. */
  waitForTask(taskID: string, timeoutMs: number): Promise<TaskResult | null> {
    const known = this.results.get(taskID);
    if (known && (known.state === 'printed' || known.state === 'failed')) return Promise.resolve(known);
    return new Promise((resolve) => {
      const set = this.waiters.get(taskID) ?? new Set();
      this.waiters.set(taskID, set);
      const done = (r: TaskResult | null) => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(taskID);
        resolve(r);
      };
      const timer = setTimeout(() => done(null), Math.max(0, timeoutMs));
      set.add(done);
    });
  }

  /**
   * Sends one command and waits for its reply. Rejects with the component offline (nothing was sent),
   * closed_early or timeout (the frame went out; whether the component acted on it is not known).
   */
  async request(command: ComponentCommand, timeoutMs = this.o.requestTimeoutMs ?? 10_000): Promise<Extract<Incoming, { kind: 'reply' }>> {
    const ws = await this.connect();
    const requestID = uuidv7();
    const frame = encodeCommand(this.kind, requestID, command);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestID);
        reject(new ComponentFailure('timeout', this.kind, `${this.name}没有回应（${command.cmd}，${timeoutMs} ms）`));
      }, timeoutMs);
      this.pending.set(requestID, { ws, resolve, reject, timer });
      ws.send(frame, (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.pending.delete(requestID);
        reject(new ComponentFailure('closed_early', this.kind, `${this.name}断开了连接`, err.message));
      });
    });
  }

  /** The printers the component can print to (its Windows queues). */
  async getPrinters(timeoutMs?: number): Promise<ComponentPrinters> {
    const reply = await this.request({ cmd: 'getPrinters' }, timeoutMs);
    if (!reply.ok) throw new ComponentFailure('component_failed', this.kind, `${this.name}没有给出打印机列表`, reply.message || undefined);
    return printersOf(this.kind, reply.body);
  }

  /**
   * Hands a print task to the component. Resolves when it accepted the task (the printed/failed result
   * comes later as a notification); rejects with component_failed when it refused it.
   */
  async print(task: ComponentPrintTask, timeoutMs?: number): Promise<void> {
    const reply = await this.request({ cmd: 'print', task }, timeoutMs);
    if (!reply.ok) throw new ComponentFailure('component_failed', this.kind, `${this.name}拒绝了打印任务`, reply.message || undefined);
    if (COMPONENTS[this.kind].notifyCmd === null) {
      // JD sends no print-result notification: its PRINT answer is all the confirmation there is [UNVERIFIED
      // whether it means "printed" or only "accepted"; ec-print has nothing more for JD].
      this.record({ taskID: task.taskID, state: 'printed', message: '' });
    }
  }

  /** Asks the component where tasks stand (after a reconnect, when a notification may have been missed). */
  async getTaskStatus(taskIDs: string[], timeoutMs?: number): Promise<Map<string, TaskResult>> {
    if (COMPONENTS[this.kind].dialect === 'jd') return new Map(taskIDs.map((id) => [id, this.results.get(id) ?? { taskID: id, state: 'unknown' as const, message: '' }]));
    const reply = await this.request({ cmd: 'getTaskStatus', taskIDs }, timeoutMs);
    if (!reply.ok) throw new ComponentFailure('component_failed', this.kind, `${this.name}查询任务状态失败`, reply.message || undefined);
    const states = taskStatesOf(taskIDs, reply.body);
    for (const r of states.values()) this.record(r);
    return states;
  }
}
