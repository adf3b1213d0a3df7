// The virtualised order table: only the rows in view exist in the DOM; pages load as they scroll in.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderFilter, OrderRow, OrderSort } from '../../../electron/shared/contract.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { renderCell } from './cells.tsx';
import { COLUMNS, rowWidth, type ColumnId } from './columns.ts';
import type { PageCache } from './page-cache.ts';
import { rangeIds } from './range-ids.ts';
import { addAll, addRange, clickModeOf, headerState, removeAll, selectOnly, toggle } from './selection.ts';
import { useOrders } from './store.ts';
import { TableHeader } from './TableHeader.tsx';

/** Compact rows: 20 of them fit a 1366×768 screen under the tabs, filters and batch bar. */
export const ROW_HEIGHT = 28;

interface RowProps {
  row: OrderRow | undefined;
  index: number;
  top: number;
  columns: ColumnId[];
  selected: boolean;
  focused: boolean;
  width: number;
  onClick(e: MouseEvent, index: number, row: OrderRow): void;
  onCheck(e: MouseEvent, index: number, row: OrderRow): void;
  onOpen(row: OrderRow): void;
}

const Row = memo(function Row({ row, index, top, columns, selected, focused, width, onClick, onCheck, onOpen }: RowProps) {
  const { t } = useTranslation();
  const style = { transform: `translateY(${top}px)`, width, height: ROW_HEIGHT };
  if (!row) {
    return (
      <div className="trow trow-loading" style={style} aria-busy="true">
        <div className="cell cell-check" />
        <div className="cell skeleton" />
      </div>
    );
  }
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="order-row"
      data-order-id={row.id}
      data-platform-order-id={row.platformOrderId}
      data-index={index}
      className={`trow${selected ? ' selected' : ''}${focused ? ' focused' : ''}${row.isRead ? '' : ' unread'}${index % 2 ? ' odd' : ''}`}
      style={style}
      // A double-click opens the drawer and a shift-click selects a range: neither should select text.
      onMouseDown={(e) => (e.detail > 1 || e.shiftKey) && e.preventDefault()}
      onClick={(e) => onClick(e, index, row)}
      onDoubleClick={() => onOpen(row)}
    >
      <div className="cell cell-check">
        <input
          type="checkbox"
          data-testid="row-select"
          checked={selected}
          aria-label={t('table.selectRow')}
          onClick={(e) => onCheck(e, index, row)}
          onChange={() => {}}
        />
      </div>
      {columns.map((c) => (
        <div key={c} role="cell" className={`cell cell-${c}${COLUMNS[c].align === 'right' ? ' right' : ''}`} style={{ width: COLUMNS[c].width, flexGrow: COLUMNS[c].flex ?? 0 }}>
          {renderCell(c, row, t)}
        </div>
      ))}
    </div>
  );
});

interface Props {
  cache: PageCache;
  filter: OrderFilter;
  sort: OrderSort;
}

export function OrderTable({ cache, filter, sort }: Props) {
  const { t } = useTranslation();
  const report = useReportError();
  const columns = useOrders((s) => s.columns);
  const selection = useOrders((s) => s.selection);
  const setSelection = useOrders((s) => s.setSelection);
  const focused = useOrders((s) => s.focused);
  const setFocused = useOrders((s) => s.setFocused);
  const openDrawer = useOrders((s) => s.openDrawer);
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = cache.total ?? 0;
  // The least width; rows and header stretch to the table's width and the flexible column takes the rest.
  const width = rowWidth(columns);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 60;

  useEffect(() => {
    cache.ensure(first, Math.max(last, first + 60));
  }, [cache, first, last]);

  // A new query starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [cache]);

  // Keyboard focus moves: keep the focused row in view.
  useEffect(() => {
    if (count > 0 && focused < count) virtualizer.scrollToIndex(focused, { align: 'auto' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focused]);

  const onClick = useCallback(
    (e: MouseEvent, index: number, row: OrderRow) => {
      const state = useOrders.getState();
      const mode = clickModeOf(e);
      setFocused(index);
      if (mode === 'single') return setSelection(selectOnly(row.id, index));
      if (mode === 'toggle') return setSelection(toggle(state.selection, row.id, index));
      const anchor = state.selection.anchor ?? index;
      rangeIds(cache, filter, sort, anchor, index).then((ids) => setSelection(addRange(useOrders.getState().selection, ids)), report);
    },
    [cache, filter, sort, report, setFocused, setSelection],
  );

  const onCheck = useCallback(
    (e: MouseEvent, index: number, row: OrderRow) => {
      e.stopPropagation();
      const state = useOrders.getState();
      setFocused(index);
      if (e.shiftKey && state.selection.anchor !== null) {
        const anchor = state.selection.anchor;
        rangeIds(cache, filter, sort, anchor, index).then((ids) => setSelection(addRange(useOrders.getState().selection, ids)), report);
      } else {
        setSelection(toggle(state.selection, row.id, index));
      }
    },
    [cache, filter, sort, report, setFocused, setSelection],
  );

  const onOpen = useCallback((row: OrderRow) => openDrawer(row.id), [openDrawer]);

  const loadedIds = cache.loadedRows().map((r) => r.id);
  const checkState = headerState(selection, loadedIds);
  const onToggleAll = () => setSelection(checkState === 'all' ? removeAll(selection, loadedIds) : addAll(selection, loadedIds));

  return (
    <div className="order-table" data-testid="order-table" role="grid" aria-rowcount={count} ref={scrollRef}>
      <TableHeader checkState={checkState} onToggleAll={onToggleAll} width={width} />
      <div className="tbody" style={{ height: virtualizer.getTotalSize(), width }}>
        {items.map((item) => (
          <Row
            key={item.key}
            row={cache.rowAt(item.index)}
            index={item.index}
            top={item.start}
            columns={columns}
            selected={(() => {
              const r = cache.rowAt(item.index);
              return r ? selection.ids.has(r.id) : false;
            })()}
            focused={item.index === focused}
            width={width}
            onClick={onClick}
            onCheck={onCheck}
            onOpen={onOpen}
          />
        ))}
      </div>
      {cache.total === 0 && <div className="table-empty">{t('table.empty')}</div>}
      {cache.total === null && !cache.error && <div className="table-empty">{t('table.loading')}</div>}
    </div>
  );
}
