// A compact single-choice dropdown that looks and behaves like MultiSelect (same button, same
// panel), for filters with a handful of choices; keyboard: Enter/Space opens, ↑/↓ moves, Esc closes.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import './multi-select.css';

export interface SelectOption<V extends string> {
  value: V;
  label: ReactNode;
}

interface Props<V extends string> {
  /** Shown on the button while nothing (the empty value) is chosen, and as the accessible name. */
  label: string;
  options: SelectOption<V>[];
  /** '' means "any": the button shows `label` and is not highlighted. */
  value: V | '';
  onChange(value: V | ''): void;
  testId: string;
  /** Text of the choice that resets to '' ("不限"). */
  anyLabel: string;
}

export function Select<V extends string>({ label, options, value, onChange, testId, anyLabel }: Props<V>) {
  const [open, setOpen] = useState(false);
  const [cursor, setCursor] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const choices: { value: V | ''; label: ReactNode }[] = [{ value: '', label: anyLabel }, ...options];
  useEffect(() => {
    if (!open) return;
    setCursor(Math.max(0, choices.findIndex((c) => c.value === value)));
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  const chosen = options.find((o) => o.value === value);
  const pick = (v: V | '') => {
    onChange(v);
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      setOpen(false);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setCursor((c) => (c + step + choices.length) % choices.length);
    } else if ((e.key === 'Enter' || e.key === ' ') && open) {
      e.preventDefault();
      pick(choices[cursor]!.value);
    }
  };
  return (
    <div className="ms" ref={ref} onKeyDown={onKey}>
      <button
        type="button"
        className={`ms-button${chosen ? ' ms-active' : ''}`}
        data-testid={testId}
        data-value={value}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={chosen ? undefined : label}
        onClick={() => setOpen(!open)}
      >
        {chosen ? chosen.label : label}
        <span className="ms-caret">▾</span>
      </button>
      {open && (
        <div className="ms-panel ms-panel-narrow" role="listbox" aria-label={label} data-testid={`${testId}-panel`}>
          {choices.map((c, i) => (
            <div
              key={c.value || '-'}
              role="option"
              aria-selected={c.value === value}
              className={`ms-option${i === cursor ? ' ms-cursor' : ''}${c.value === value ? ' ms-chosen' : ''}`}
              data-testid={`${testId}-option`}
              data-value={c.value}
              onMouseEnter={() => setCursor(i)}
              onClick={() => pick(c.value)}
            >
              <span className="ms-label">{c.label}</span>
              {c.value === value && <span className="ms-check">✓</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
