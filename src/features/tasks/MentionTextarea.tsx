// A note editor that offers the team's people when an @ is typed: ↑/↓ to move, Enter or Tab to
// choose, Esc to close; a click chooses too. The chosen name goes in as `@名字 `, which the core
// resolves to the person when the note is saved.
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyMention, mentionQueryAt, type MentionQuery } from './mention-query.ts';
import { usePeople } from './use-people.ts';

interface Props {
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  maxLength?: number;
  testId?: string;
}

export function MentionTextarea({ value, onChange, placeholder, maxLength, testId }: Props) {
  const { t } = useTranslation();
  const people = usePeople();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const matches = useMemo(() => {
    if (!query) return [];
    const q = query.text.toLowerCase();
    return people.filter((p) => p.name.toLowerCase().startsWith(q) || (q.length > 0 && p.name.toLowerCase().includes(q))).slice(0, 8);
  }, [people, query]);

  const track = (el: HTMLTextAreaElement) => {
    setQuery(mentionQueryAt(el.value, el.selectionStart ?? el.value.length));
    setActive(0);
  };
  const choose = (name: string) => {
    const el = ref.current;
    if (!el || !query) return;
    const next = applyMention(el.value, query, el.selectionStart ?? el.value.length, name);
    onChange(next.value);
    setQuery(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  };
  const open = query !== null && matches.length > 0;
  return (
    <div className="mention-box">
      <textarea
        ref={ref}
        data-testid={testId}
        rows={2}
        maxLength={maxLength}
        value={value}
        placeholder={placeholder}
        aria-autocomplete="list"
        aria-expanded={open}
        onChange={(e) => {
          onChange(e.target.value);
          track(e.target);
        }}
        onClick={(e) => track(e.currentTarget)}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        onKeyDown={(e) => {
          if (!open) return;
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
          } else if (e.key === 'Enter' || e.key === 'Tab') {
            e.preventDefault();
            choose(matches[active]!.name);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            setQuery(null);
          }
        }}
      />
      {open && (
        <ul className="mention-picker" role="listbox" aria-label={t('tasks.pickerHint')} data-testid="mention-picker">
          {matches.map((p, i) => (
            <li
              key={p.id}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              data-testid="mention-option"
              onMouseDown={(e) => {
                e.preventDefault();
                choose(p.name);
              }}
            >
              <span>{p.name}</span>
              <span className="muted small">{t(`role.${p.role}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
