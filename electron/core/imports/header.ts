// Which column holds which field: found by the header's words (Chinese or English), else the
// documented column order. Serializable (words are regex sources), so a reading worker applies it
// to the first row and keeps only the columns that matter.

export interface ColumnSpec<K extends string = string> {
  /** Field → words its header cell matches (a regex source, matched case-insensitively). */
  fields: Record<K, string>;
  /** The header counts as one only when it names all of these. */
  required: K[];
  /** Column order when the first row is not such a header (field i is column i). */
  order: K[];
  /**
   * 'always': the first row is the header even when it names nothing (it is never data);
   * 'if-named': the first row is a header only when it names the required fields, else it is data.
   */
  header: 'always' | 'if-named';
}

export interface HeaderMapping<K extends string = string> {
  /** Field → 0-based column, -1 when the file has none. */
  columns: Record<K, number>;
  /** Whether the first row was taken as the header (and is not data). */
  isHeader: boolean;
}

/** Maps a first row onto the spec's fields; each column serves at most one field, fields in spec order. */
export function mapHeader<K extends string>(first: readonly string[], spec: ColumnSpec<K>): HeaderMapping<K> {
  const keys = Object.keys(spec.fields) as K[];
  const found = {} as Record<K, number>;
  const used = new Set<number>();
  for (const k of keys) {
    const re = new RegExp(spec.fields[k], 'i');
    const i = first.findIndex((h, n) => !used.has(n) && re.test(h.trim()));
    found[k] = i;
    if (i >= 0) used.add(i);
  }
  const named = spec.required.every((k) => found[k] >= 0);
  if (named) return { columns: found, isHeader: true };
  const byOrder = {} as Record<K, number>;
  for (const k of keys) byOrder[k] = spec.order.indexOf(k);
  return { columns: byOrder, isHeader: spec.header === 'always' };
}
