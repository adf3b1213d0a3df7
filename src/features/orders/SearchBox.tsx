// The one search box: typed text goes to filter.q after a short pause; "/" focuses it.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrders } from './store.ts';

export function SearchBox() {
  const { t } = useTranslation();
  const applied = useOrders((s) => s.filter.q ?? '');
  const setFilter = useOrders((s) => s.setFilter);
  const [text, setText] = useState(applied);
  const ref = useRef<HTMLInputElement>(null);

  // Clear-all (or anything else) changed the applied query: show it.
  useEffect(() => setText(applied), [applied]);

  useEffect(() => {
    if (text.trim() === applied) return;
    const timer = setTimeout(() => setFilter({ q: text.trim() || undefined }), 300);
    return () => clearTimeout(timer);
  }, [text, applied, setFilter]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
      if (e.key === '/' && !typing) {
        e.preventDefault();
        ref.current?.focus();
        ref.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="search-box">
      <span className="search-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={ref}
        type="search"
        data-testid="search-input"
        value={text}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') setFilter({ q: text.trim() || undefined });
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
        }}
      />
      <kbd className="search-hint">/</kbd>
    </div>
  );
}
