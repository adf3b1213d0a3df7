// How much an import file may hold and how much of it is read: one place, so every import
// (waybill numbers, carrier traces, later SKUs) refuses the same hostile files in the same words.

/** The file itself (the API takes it as base64, ≤ 70 M characters ≈ 52 MB). */
export const MAX_FILE_BYTES = 52 * 1024 * 1024;
/** Rows under the header, per file: beyond this, split the file (a pool or a trace export this size is months of work). */
export const MAX_ROWS = 200_000;
/** Cells read from one row when no column spec narrows them. */
export const MAX_COLUMNS = 256;
/** A cell longer than this is cut (with …): no import field is anywhere near it. */
export const MAX_CELL_CHARS = 1000;
/** Bad rows listed one by one in a report; the rest are counted. */
export const MAX_LISTED_BAD_ROWS = 100;

/**
 * Unpacked sizes of the parts of an .xlsx that are read. A legitimate 200,000-row sheet of a few
 * columns unpacks to tens of MB; a zip bomb declares (or inflates to) hundreds.
 */
export const XLSX_LIMITS = {
  sheetBytes: 100 * 1024 * 1024,
  sharedStringsBytes: 50 * 1024 * 1024,
  smallPartBytes: 2 * 1024 * 1024,
  totalBytes: 150 * 1024 * 1024,
} as const;

/** A read off the UI's thread that takes longer than this is stopped (the worker is ended). */
export const READ_TIMEOUT_MS = 120_000;
/** Heap of the reading worker: a file that needs more is refused, the station is not. */
export const WORKER_HEAP_MB = 512;

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
