// Rows of one query (filter + sort), fetched in pages by offset as the table scrolls. Stale pages
// stay visible while they refetch after db.changed, so a refresh never blanks the table.
import type { OrderRow } from '../../../electron/shared/contract.ts';

export interface PageResult {
  rows: OrderRow[];
  total: number | null;
  /** The core stopped counting a broad search at a maximum; `total` is that maximum. */
  totalCapped?: boolean;
}
/** Fetches `limit` rows from `offset`; asks for the total only when `withTotal`. */
export type PageFetcher = (offset: number, limit: number, withTotal: boolean) => Promise<PageResult>;

interface Page {
  rows: OrderRow[];
  generation: number;
}

export class PageCache {
  private readonly pages = new Map<number, Page>();
  private readonly inflight = new Map<number, number>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;
  private wanted: { start: number; end: number } = { start: 0, end: 0 };
  total: number | null = null;
  totalCapped = false;
  /** Bumped on every change so React can subscribe with useSyncExternalStore. */
  version = 0;
  error: unknown = null;

  constructor(
    readonly key: string,
    private readonly fetchPage: PageFetcher,
    readonly pageSize = 200,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version += 1;
    for (const fn of this.listeners) fn();
  }

  rowAt(index: number): OrderRow | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.rows[index % this.pageSize];
  }

  /** Make sure the rows [start, end] are (being) loaded; page 0 always comes first, with the total. */
  ensure(start: number, end: number): void {
    this.wanted = { start, end };
    if (this.isStale(0)) this.load(0);
    if (this.total === null) return;
    const last = Math.max(0, this.total - 1);
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const stop = Math.floor(Math.min(end, last) / this.pageSize);
    for (let p = first; p <= stop; p++) if (this.isStale(p)) this.load(p);
  }

  private isStale(page: number): boolean {
    const have = this.pages.get(page);
    const loading = this.inflight.get(page);
    if (loading === this.generation) return false;
    return !have || have.generation !== this.generation;
  }

  private load(page: number): void {
    const generation = this.generation;
    this.inflight.set(page, generation);
    const withTotal = page === 0;
    this.fetchPage(page * this.pageSize, this.pageSize, withTotal).then(
      (res) => {
        if (this.inflight.get(page) === generation) this.inflight.delete(page);
        // A reply from before an invalidation still beats an empty row, but stays marked stale.
        const current = this.pages.get(page);
        if (current && current.generation > generation) return;
        this.pages.set(page, { rows: res.rows, generation });
        if (withTotal && res.total !== null && generation === this.generation) {
          this.total = res.total;
          this.totalCapped = res.totalCapped ?? false;
          this.dropPagesBeyondTotal();
        }
        this.error = null;
        this.changed();
        // The total arrived: now fetch the rest of what the viewport asked for.
        if (withTotal) this.ensure(this.wanted.start, this.wanted.end);
      },
      (err) => {
        if (this.inflight.get(page) === generation) this.inflight.delete(page);
        this.error = err;
        this.onError(err);
        this.changed();
      },
    );
  }

  private dropPagesBeyondTotal(): void {
    if (this.total === null) return;
    const lastPage = Math.floor(Math.max(0, this.total - 1) / this.pageSize);
    for (const p of [...this.pages.keys()]) if (p > lastPage) this.pages.delete(p);
  }

  /** The data changed: refetch the total and the pages in view; the rest refetch when scrolled to. */
  invalidate(): void {
    this.generation += 1;
    this.ensure(this.wanted.start, this.wanted.end);
  }

  /** Every loaded row in order (for "select the loaded rows"). */
  loadedRows(): OrderRow[] {
    const out: OrderRow[] = [];
    for (const p of [...this.pages.keys()].sort((a, b) => a - b)) out.push(...(this.pages.get(p)?.rows ?? []));
    return out;
  }

  /** Ids of rows a..b inclusive when all are loaded, else null. */
  idsInRange(a: number, b: number): string[] | null {
    const ids: string[] = [];
    for (let i = Math.min(a, b); i <= Math.max(a, b); i++) {
      const row = this.rowAt(i);
      if (!row) return null;
      ids.push(row.id);
    }
    return ids;
  }
}
