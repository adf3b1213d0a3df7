// Main's side of the core host: spawns the utility process, numbers requests, matches answers,
// forwards core events, restarts the host if it crashes, and shuts it down cleanly on quit.
import type { EventName } from '../shared/contract.ts';
import type { ApiError, Result } from '../shared/result.ts';
import type { HostInit, HostToMain, MainToHost } from '../hosts/utility/protocol.ts';

/** The slice of Electron's UtilityProcess this client needs (index.ts adapts the real one). */
export interface HostProcess {
  postMessage(message: MainToHost): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export type StartOutcome = { ok: true } | { ok: false; error: ApiError };
export type EventListener = (event: EventName, payload: unknown) => void;

export interface CoreHostClientOptions {
  /** How many unexpected exits are answered with a fresh host before giving up (default 3). */
  maxRestarts?: number;
  /** How long close() waits for the host to close the database before killing it (default 5 s). */
  closeTimeoutMs?: number;
}

const hostGone = (detail: string): ApiError => ({ code: 'INTERNAL', message: `核心进程已退出（${detail}）` });

export class CoreHostClient {
  private proc: HostProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly listeners = new Set<EventListener>();
  private restarts = 0;
  private closing = false;
  private startOutcome: Promise<StartOutcome> | null = null;
  private settleStart: ((outcome: StartOutcome) => void) | null = null;
  private onClosed: (() => void) | null = null;
  private readonly maxRestarts: number;
  private readonly closeTimeoutMs: number;

  constructor(
    private readonly spawn: () => HostProcess,
    private readonly init: HostInit,
    options: CoreHostClientOptions = {},
  ) {
    this.maxRestarts = options.maxRestarts ?? 3;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5000;
  }

  /** Spawn the host and open the core; resolves when it reports ready or fatal (never rejects). */
  start(): Promise<StartOutcome> {
    if (this.startOutcome) return this.startOutcome;
    this.startOutcome = new Promise<StartOutcome>((resolve) => (this.settleStart = resolve));
    this.launch();
    return this.startOutcome;
  }

  call(name: string, input: unknown): Promise<Result<unknown>> {
    const proc = this.proc;
    if (!proc || this.closing) return Promise.resolve({ ok: false, error: hostGone(this.closing ? '正在关闭' : '未启动') });
    const id = this.nextId++;
    return new Promise<Result<unknown>>((resolve) => {
      this.pending.set(id, resolve);
      try {
        proc.postMessage({ type: 'call', id, name, input });
      } catch (err) {
        // Input that cannot be structured-cloned (functions, DOM objects) is a caller error.
        this.pending.delete(id);
        resolve({ ok: false, error: { code: 'VALIDATION_FAILED', message: `参数无法传递给核心进程：${String(err)}` } });
      }
    });
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ask the host to close the database, then make sure the process is gone. */
  close(): Promise<void> {
    const proc = this.proc;
    if (!proc || this.closing) return Promise.resolve();
    this.closing = true;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        proc.kill();
        resolve();
      }, this.closeTimeoutMs);
      this.onClosed = () => {
        clearTimeout(timer);
        resolve();
      };
      proc.postMessage({ type: 'shutdown' });
    });
  }

  private launch(): void {
    const proc = this.spawn();
    this.proc = proc;
    proc.onMessage((message) => this.receive(proc, message));
    proc.onExit((code) => this.exited(proc, code));
    proc.postMessage({ type: 'init', options: this.init });
  }

  private receive(proc: HostProcess, raw: unknown): void {
    if (proc !== this.proc || typeof raw !== 'object' || raw === null) return;
    const message = raw as HostToMain;
    switch (message.type) {
      case 'ready':
        this.settleStart?.({ ok: true });
        this.settleStart = null;
        return;
      case 'fatal':
        this.settleStart?.({ ok: false, error: message.error });
        this.settleStart = null;
        return;
      case 'result': {
        const resolve = this.pending.get(message.id);
        this.pending.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case 'event':
        for (const listener of this.listeners) listener(message.event, message.payload);
        return;
      case 'closed':
        this.onClosed?.();
        this.onClosed = null;
        return;
    }
  }

  private exited(proc: HostProcess, code: number): void {
    if (proc !== this.proc) return;
    this.proc = null;
    // Calls in flight died with the process; answer them so no renderer promise hangs.
    for (const resolve of this.pending.values()) resolve({ ok: false, error: hostGone(`退出码 ${code}`) });
    this.pending.clear();
    if (this.closing) {
      this.onClosed?.();
      this.onClosed = null;
      return;
    }
    console.error(`[core-host] exited unexpectedly with code ${code}`);
    if (this.restarts < this.maxRestarts) {
      this.restarts++;
      this.launch();
    } else {
      this.settleStart?.({ ok: false, error: hostGone(`退出码 ${code}，已重启 ${this.restarts} 次`) });
      this.settleStart = null;
    }
  }
}
