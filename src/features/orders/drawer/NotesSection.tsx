// Internal notes for the team (never sent to the platform), newest last, with an add box that
// offers the team's people on @ (the person named sees the note in 我的任务).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../app/session-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { formatTime } from '../../../i18n/format.ts';
import { MentionText } from '../../tasks/MentionText.tsx';
import { MentionTextarea } from '../../tasks/MentionTextarea.tsx';
import { Section } from './Section.tsx';

export function NotesSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const report = useReportError();
  const canAdd = useCan('orders.addNote');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const add = async () => {
    setBusy(true);
    try {
      await api.call('orders.addNote', { id: order.id, body: body.trim() });
      setBody('');
    } catch (err) {
      report(err, 'orders.addNote');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('drawer.notes')} testId="drawer-notes">
      {order.notes.length === 0 && <p className="muted small">{t('drawer.noNotes')}</p>}
      <ul className="plain-list">
        {order.notes.map((n) => (
          <li key={n.id} className="note" data-testid="note">
            <div className="note-meta">
              {n.author} · {formatTime(n.createdAt)}
            </div>
            <div className="note-body">
              <MentionText text={n.body} />
            </div>
          </li>
        ))}
      </ul>
      {canAdd && (
        <div className="inline-form">
          <MentionTextarea testId="note-input" maxLength={1000} value={body} placeholder={t('drawer.notePlaceholder')} onChange={setBody} />
          <button type="button" className="primary" data-testid="note-add" disabled={busy || !body.trim()} onClick={() => void add()}>
            {t('drawer.addNote')}
          </button>
        </div>
      )}
    </Section>
  );
}
