// A note's text with its `@名字` marked, by the same rule the core used to resolve them.
import { Fragment, type ReactNode } from 'react';
import { findMentions } from '../../../electron/shared/mentions.ts';
import { usePeople } from './use-people.ts';

export function MentionText({ text }: { text: string }) {
  const people = usePeople();
  const spans = findMentions(text, people);
  if (spans.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) parts.push(<Fragment key={`t${at}`}>{text.slice(at, s.start)}</Fragment>);
    parts.push(
      <span key={`m${s.start}`} className="mention" data-testid="mention">
        {text.slice(s.start, s.end)}
      </span>,
    );
    at = s.end;
  }
  if (at < text.length) parts.push(<Fragment key={`t${at}`}>{text.slice(at)}</Fragment>);
  return <>{parts}</>;
}
