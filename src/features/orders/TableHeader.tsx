// The table's sticky header: select-loaded checkbox, sortable column titles, column picker.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnPicker } from './ColumnPicker.tsx';
import { COLUMNS } from './columns.ts';
import { useOrders } from './store.ts';

interface Props {
  checkState: 'none' | 'some' | 'all';
  onToggleAll(): void;
  width: number;
}

export function TableHeader({ checkState, onToggleAll, width }: Props) {
  const { t } = useTranslation();
  const columns = useOrders((s) => s.columns);
  const sort = useOrders((s) => s.sort);
  const setSort = useOrders((s) => s.setSort);
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = checkState === 'some';
  }, [checkState]);
  return (
    <div className="thead" role="row" style={{ width }}>
      <div className="cell cell-check" role="columnheader">
        <input ref={box} type="checkbox" data-testid="select-loaded" aria-label={t('table.selectLoaded')} title={t('table.selectLoaded')} checked={checkState === 'all'} onChange={onToggleAll} />
      </div>
      {columns.map((c) => {
        const def = COLUMNS[c];
        const sorted = def.sort && sort.field === def.sort ? sort.dir : null;
        return (
          <div
            key={c}
            role="columnheader"
            aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
            className={`cell${def.align === 'right' ? ' right' : ''}${def.sort ? ' sortable' : ''}${sorted ? ' sorted' : ''}`}
            style={{ width: def.width, flexGrow: def.flex ?? 0 }}
            data-testid={`column-${c}`}
            onClick={() => {
              if (!def.sort) return;
              setSort({ field: def.sort, dir: sorted === 'desc' ? 'asc' : 'desc' });
            }}
          >
            {t(`column.${c}`)}
            {def.sort && <span className="sort-arrow">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}</span>}
          </div>
        );
      })}
      {/* Floats over the header's right end (takes no width), so the columns keep every pixel. */}
      <div className="cell cell-tail">
        <ColumnPicker />
      </div>
    </div>
  );
}
