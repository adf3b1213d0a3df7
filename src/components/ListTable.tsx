// The side pages' plain tables (shops, sync log, quarantine, push-backs, printers, waybill accounts,
// tracking): a scrolling frame, one header row, and the "loading…" / "nothing here" line spanning every
// column — so each page writes only its columns and its rows.
import type { ReactNode } from 'react';

export interface ListColumn {
  label?: ReactNode;
  /** Numbers read best right-aligned. */
  align?: 'right';
}

export interface ListTableProps {
  testId: string;
  /** Extra classes beside the shared `shops-table`. */
  className?: string;
  columns: readonly ListColumn[];
  /** The rows being shown: null or undefined while they load, an empty array for "nothing here". */
  rows: readonly unknown[] | null | undefined;
  /** Said while the rows load; nothing is said when omitted. */
  loading?: ReactNode;
  empty: ReactNode;
  emptyTestId?: string;
  /** The <tr>s, one per row. */
  children: ReactNode;
}

export function ListTable({ testId, className, columns, rows, loading, empty, emptyTestId, children }: ListTableProps) {
  const note = (text: ReactNode, id?: string) => (
    <tr>
      <td colSpan={columns.length} className="muted" data-testid={id}>
        {text}
      </td>
    </tr>
  );
  return (
    <div className="shops-table-wrap">
      <table className={className ? `shops-table ${className}` : 'shops-table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={c.align}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows == null && loading !== undefined && note(loading)}
          {rows?.length === 0 && note(empty, emptyTestId)}
          {children}
        </tbody>
      </table>
    </div>
  );
}
