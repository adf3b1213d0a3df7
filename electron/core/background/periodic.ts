// The start/stop timer loop every background job shares (the sync scheduler, the push-back outbox,
// upkeep): run a tick every `everyMs`, optionally once right after start, and never keep the process
// alive on timers alone. The loop only owns the timers: what a tick does, whether ticks may overlap,
// and what stop() must wait for (pulls, flushes, rounds in flight) stay with the job that knows.
export interface PeriodicLoop {
  /** Starts the timers; false (and nothing changes) when they already run. */
  start(): boolean;
  /** Clears the timers; a tick already running is not interrupted. Start works again afterwards. */
  stop(): void;
  /** Whether the timers are set. */
  readonly running: boolean;
}

export interface PeriodicOptions {
  /** How often the tick runs (at least 1 ms). */
  everyMs: number;
  /** Also tick once as soon as the event loop is free after start() (default false). */
  immediately?: boolean;
}

export function periodic(tick: () => unknown, options: PeriodicOptions): PeriodicLoop {
  const everyMs = Math.max(1, options.everyMs);
  let timer: NodeJS.Timeout | null = null;
  let kick: NodeJS.Timeout | null = null;
  return {
    start() {
      if (timer) return false;
      if (options.immediately) {
        kick = setTimeout(() => {
          kick = null;
          tick();
        }, 0);
        kick.unref();
      }
      timer = setInterval(tick, everyMs);
      timer.unref();
      return true;
    },
    stop() {
      if (timer) clearInterval(timer);
      if (kick) clearTimeout(kick);
      timer = null;
      kick = null;
    },
    get running() {
      return timer !== null;
    },
  };
}
