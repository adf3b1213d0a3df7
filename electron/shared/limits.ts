// The largest values a person may type: far above any real order of the shops this serves, far
// below where integer fen stop being exact (2^53) or a sum of lines could overflow it. The contract
// refuses input past them, and the core checks again where values multiply (price × quantity).

/** ¥1,000,000 in fen: the most one order line, one unit price or one order's goods may come to. */
export const MAX_ORDER_FEN = 100_000_000;
/** The most units of one line. */
export const MAX_LINE_QUANTITY = 9_999;
