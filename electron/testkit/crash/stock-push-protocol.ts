// What stock-push-crash-child.ts says to the kill -9 test that drives it.

/** Written to stderr, followed by the row ids, once the platform took a write whose rows are not settled yet. */
export const SENT_MARKER = 'stock-push-child: sent';
