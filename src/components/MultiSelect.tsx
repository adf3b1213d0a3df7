// A compact dropdown of checkboxes for multi-value filters (shops, provinces, flags, tags, reasons).
import { useRef, useState, type ReactNode } from 'react';
import { useDismiss } from './use-dismiss.ts';
import './multi-select.css';

export interface Option<V extends string | number> {
  value: V;
  label: ReactNode;
  /** Plain text used by the in-list search box. */
  text: string;
  count?: number;
}

interface Props<V extends string | number> {
  label: string;
  options: Option<V>[];
  value: V[];
  onChange(value: V[]): void;
  testId: string;
  searchable?: boolean;
  searchPlaceholder?: string;
  clearLabel: string;
}

export function MultiSelect<V extends string | number>({ label, options, value, onChange, testId, searchable, searchPlaceholder, clearLabel }: Props<V>) {
  const [open, setOpen] = useState(false);
  const [needle, setNeedle] = useState('');
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, open, () => setOpen(false));
  const chosen = new Set(value);
  const shown = needle ? options.filter((o) => o.text.toLowerCase().includes(needle.toLowerCase())) : options;
  const toggle = (v: V) => onChange(chosen.has(v) ? value.filter((x) => x !== v) : [...value, v]);
  return (
    <div className="ms" ref={ref}>
      <button type="button" className={`ms-button${value.length ? ' ms-active' : ''}`} data-testid={testId} onClick={() => setOpen(!open)} aria-expanded={open}>
        {label}
        {value.length > 0 && <span className="ms-count">{value.length}</span>}
        <span className="ms-caret">▾</span>
      </button>
      {open && (
        <div className="ms-panel" data-testid={`${testId}-panel`}>
          {searchable && (
            <input className="ms-search" autoFocus value={needle} placeholder={searchPlaceholder} onChange={(e) => setNeedle(e.target.value)} />
          )}
          <div className="ms-options">
            {shown.map((o) => (
              <label key={String(o.value)} className="ms-option" data-testid={`${testId}-option`} data-value={String(o.value)}>
                <input type="checkbox" checked={chosen.has(o.value)} onChange={() => toggle(o.value)} />
                <span className="ms-label">{o.label}</span>
                {o.count !== undefined && <span className="ms-option-count">{o.count}</span>}
              </label>
            ))}
          </div>
          {value.length > 0 && (
            <button type="button" className="link ms-clear" onClick={() => onChange([])}>
              {clearLabel}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
