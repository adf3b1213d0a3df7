// Keeps calls to one rate-limited PDD API at least an interval apart, per app: pdd.open.decrypt.batch
// allows 1 call / 10 s per app outside 多多云 (docs/platforms/pdd.md#limits). Callers queue in arrival order;
// the clock and the sleep are injected so tests run on a fake clock.

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class IntervalGate {
  private lastEndAt = Number.NEGATIVE_INFINITY;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly intervalMs: number) {}

  /**
   * Run `call` once intervalMs has passed since the previous call through this gate *ended*.
   * Counting from the end rather than the start keeps the calls that far apart when they arrive at
   * the platform too, however long one of them spent in flight. A failed call used its slot as well:
   * the platform counted it.
   */
  run<T>(now: () => number, sleep: Sleep, call: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(async () => {
      const delay = this.lastEndAt + this.intervalMs - now();
      if (delay > 0) await sleep(delay);
      try {
        return await call();
      } finally {
        this.lastEndAt = now();
      }
    });
    // One caller's failure must not wedge the queue for the others.
    this.tail = turn.catch(() => undefined);
    return turn;
  }
}

/** "decrypt.batch: 1 / 10 s per app outside the cloud" (docs/platforms/pdd.md#limits, SDK LIMITERS level 4 = app). */
export const DECRYPT_INTERVAL_MS = 10_000;

const decryptGates = new Map<string, IntervalGate>();

/** The one decrypt gate of an app (client_id): every shop authorised to that app shares it. */
export function decryptGateFor(appKey: string): IntervalGate {
  let gate = decryptGates.get(appKey);
  if (!gate) {
    gate = new IntervalGate(DECRYPT_INTERVAL_MS);
    decryptGates.set(appKey, gate);
  }
  return gate;
}
