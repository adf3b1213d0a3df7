// The bad rows of an import as a report a person can read and a screen can hold: the first hundred
// one by one, every one counted (in total and by problem), however many a hostile file has.
import { MAX_LISTED_BAD_ROWS } from './limits.ts';

export interface BadRowReport<T, P extends string> {
  /** The first MAX_LISTED_BAD_ROWS bad rows, in file order. */
  listed: T[];
  /** All bad rows. */
  total: number;
  /** All bad rows by problem. */
  byProblem: Partial<Record<P, number>>;
}

export class BadRows<T extends { line: number }, P extends string> {
  private readonly rows: T[] = [];
  private count = 0;
  private readonly counts: Partial<Record<P, number>> = {};

  constructor(private readonly limit = MAX_LISTED_BAD_ROWS) {}

  add(row: T, problem: P): void {
    this.count += 1;
    this.counts[problem] = (this.counts[problem] ?? 0) + 1;
    // Kept sorted by line and cut to the limit as rows come (they may come out of order).
    if (this.rows.length < this.limit || row.line < this.rows[this.rows.length - 1]!.line) {
      let i = this.rows.length;
      while (i > 0 && this.rows[i - 1]!.line > row.line) i -= 1;
      this.rows.splice(i, 0, row);
      if (this.rows.length > this.limit) this.rows.pop();
    }
  }

  get total(): number {
    return this.count;
  }

  report(): BadRowReport<T, P> {
    return { listed: [...this.rows], total: this.count, byProblem: { ...this.counts } };
  }
}
