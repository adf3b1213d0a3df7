// What crash-child.ts says to the crash test that drives it: stderr markers when the pull begins and
// after each committed page (the test aims its kills by them) and the one JSON line it prints at the end.

/** Written to stderr, followed by the shop id, just before the shop's sync starts. */
export const SYNC_STARTED_MARKER = 'crash-child: sync started';

/** The JSON line on stdout of a child that lived to the end. */
export interface CrashChildResult {
  shopId: string;
  /** True when this run had to add the shop (no earlier run got as far as committing the add). */
  added: boolean;
  pulled: number;
  changed: number;
  quarantined: number;
  /** Set when the sync stopped on an error; the child then exits 1. */
  error?: string;
}

/**
 * Written to stderr after each page the sync committed, as `${PAGE_MARKER} <n> <pulled so far> <cursor
 * ms | none>`: the crash test picks its kill moments by page, and a page after which the cursor did
 * not move is one inside a multi-page window.
 */
export const PAGE_MARKER = 'crash-child: page';
