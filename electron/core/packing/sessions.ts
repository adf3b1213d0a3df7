// Scan sessions of the packing station: how many of each order line have been scanned into a
// package so far. Deliberately in memory only — a crash or restart forgets every count, so the
// packer scans again; nothing half-scanned can survive a crash and be taken for verified (the
// verified mark is written only by packing.complete after it checks these counts).

/** Sessions kept per station; the least recently touched are dropped first (a packer abandons parcels). */
export const MAX_SESSIONS = 500;

export class ScanSessions {
  /** packageId → lineNo → scanned count; Map order = least recently touched first. */
  private readonly byPackage = new Map<string, Map<number, number>>();
  /** Packages found by a scanned waybill number (read off a label, not typed) in this session. */
  private readonly labels = new Set<string>();

  constructor(private readonly max = MAX_SESSIONS) {}

  /** The package's counts (an empty session when none is open), marked as the most recently used. */
  counts(packageId: string): ReadonlyMap<number, number> {
    return this.touch(packageId);
  }

  scanned(packageId: string, lineNo: number): number {
    return this.byPackage.get(packageId)?.get(lineNo) ?? 0;
  }

  /** One more of this line scanned into the package. */
  add(packageId: string, lineNo: number): number {
    const session = this.touch(packageId);
    const n = (session.get(lineNo) ?? 0) + 1;
    session.set(lineNo, n);
    return n;
  }

  /** The package was found by a scanner reading its waybill number (not an order number, not typed): a label exists. */
  foundByWaybillScan(packageId: string): void {
    this.touch(packageId);
    this.labels.add(packageId);
  }

  wasFoundByWaybillScan(packageId: string): boolean {
    return this.labels.has(packageId);
  }

  /** Forget the package's counts (after it is verified). */
  end(packageId: string): void {
    this.byPackage.delete(packageId);
    this.labels.delete(packageId);
  }

  get size(): number {
    return this.byPackage.size;
  }

  private touch(packageId: string): Map<number, number> {
    let session = this.byPackage.get(packageId);
    if (session) this.byPackage.delete(packageId);
    else session = new Map();
    this.byPackage.set(packageId, session);
    while (this.byPackage.size > this.max) {
      const oldest = this.byPackage.keys().next().value as string;
      this.byPackage.delete(oldest);
      this.labels.delete(oldest);
    }
    return session;
  }
}
