// Choose which table columns show; the choice is saved for next time.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COLUMN_IDS, DEFAULT_COLUMNS, type ColumnId } from './columns.ts';
import { useOrders } from './store.ts';

export function ColumnPicker() {
  const { t } = useTranslation();
  const columns = useOrders((s) => s.columns);
  const setColumns = useOrders((s) => s.setColumns);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  const shown = new Set(columns);
  // Keep the canonical order so toggling a column back puts it where it belongs.
  const toggle = (c: ColumnId) => setColumns(COLUMN_IDS.filter((id) => (id === c ? !shown.has(c) : shown.has(id))));
  return (
    <div className="column-picker" ref={ref}>
      <button type="button" className="icon-button" data-testid="column-picker" title={t('table.columns')} aria-label={t('table.columns')} onClick={() => setOpen(!open)}>
        ☰
      </button>
      {open && (
        <div className="ms-panel column-picker-panel">
          {COLUMN_IDS.map((c) => (
            <label key={c} className="ms-option" data-testid={`column-option-${c}`}>
              <input type="checkbox" checked={shown.has(c)} disabled={shown.has(c) && columns.length === 1} onChange={() => toggle(c)} />
              {t(`column.${c}`)}
            </label>
          ))}
          <button type="button" className="link ms-clear" onClick={() => setColumns(DEFAULT_COLUMNS)}>
            {t('table.resetColumns')}
          </button>
        </div>
      )}
    </div>
  );
}
