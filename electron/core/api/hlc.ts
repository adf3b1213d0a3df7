// Hybrid logical clock: orders soft-field writes across stations (last writer wins per field)
// even when wall clocks disagree. Encoded so that string order equals clock order.
export class HybridClock {
  private lastMs = 0;
  private counter = 0;

  constructor(
    private readonly node: string,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** A timestamp greater than every one this clock has issued or observed. */
  next(): string {
    const wall = this.wallClock();
    if (wall > this.lastMs) {
      this.lastMs = wall;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
    return HybridClock.encode(this.lastMs, this.counter, this.node);
  }

  /** Merge a timestamp received from elsewhere so our next one sorts after it. */
  observe(remote: string): void {
    const { ms, counter } = HybridClock.decode(remote);
    if (ms > this.lastMs || (ms === this.lastMs && counter > this.counter)) {
      this.lastMs = ms;
      this.counter = counter;
    }
  }

  static encode(ms: number, counter: number, node: string): string {
    return `${ms.toString().padStart(15, '0')}-${counter.toString(36).padStart(4, '0')}-${node}`;
  }

  static decode(hlc: string): { ms: number; counter: number; node: string } {
    const [ms, counter, ...node] = hlc.split('-');
    return { ms: Number(ms), counter: parseInt(counter ?? '0', 36), node: node.join('-') };
  }
}
