// Add and/or remove tags on the selected orders; a new tag can be created inline.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../app/session-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { FormDialog } from '../../../components/FormDialog.tsx';
import { TagChip } from '../../../components/TagChip.tsx';
import { useReference } from '../reference-store.ts';

type Choice = 'keep' | 'add' | 'remove';
const TAG_COLOURS = ['#2563eb', '#16a34a', '#e11d48', '#d97706', '#9333ea', '#0891b2', '#475569'];

interface Props {
  busy: boolean;
  onConfirm(add: string[], remove: string[]): void;
  onClose(): void;
}

export function TagDialog({ busy, onConfirm, onClose }: Props) {
  const { t } = useTranslation();
  const report = useReportError();
  const canCreate = useCan('tags.create');
  const tags = useReference((s) => s.tags);
  const setRef = useReference((s) => s.set);
  const [choice, setChoice] = useState<Record<string, Choice>>({});
  const [name, setName] = useState('');
  const add = Object.keys(choice).filter((id) => choice[id] === 'add');
  const remove = Object.keys(choice).filter((id) => choice[id] === 'remove');

  const create = async () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    // Typing an existing name means that tag: pick it rather than fail on the unique name.
    const existing = tags.find((x) => x.name === trimmed);
    if (existing) {
      setChoice((c) => ({ ...c, [existing.id]: 'add' }));
      setName('');
      return;
    }
    try {
      const tag = await api.call('tags.create', { name: trimmed, color: TAG_COLOURS[tags.length % TAG_COLOURS.length] });
      if (!useReference.getState().tags.some((x) => x.id === tag.id)) setRef({ tags: [...useReference.getState().tags, tag] });
      setChoice((c) => ({ ...c, [tag.id]: 'add' }));
      setName('');
    } catch (err) {
      report(err, 'tags.create');
    }
  };

  return (
    <FormDialog
      title={t('batch.tagTitle')}
      onClose={onClose}
      testId="tag-dialog"
      confirmLabel={t('common.confirm')}
      onConfirm={() => onConfirm(add, remove)}
      disabled={busy || add.length + remove.length === 0}
    >
      {tags.length === 0 && <p className="muted">{t('batch.noTags')}</p>}
      <div className="tag-choices">
        {tags.map((tag) => (
          <div key={tag.id} className="tag-choice" data-testid="tag-choice" data-tag-name={tag.name}>
            <TagChip tag={tag} />
            <select
              data-testid="tag-choice-select"
              value={choice[tag.id] ?? 'keep'}
              onChange={(e) => setChoice((c) => ({ ...c, [tag.id]: e.target.value as Choice }))}
            >
              <option value="keep">{t('batch.tagKeep')}</option>
              <option value="add">{t('batch.tagAdd')}</option>
              <option value="remove">{t('batch.tagRemove')}</option>
            </select>
          </div>
        ))}
      </div>
      {canCreate && (
        <div className="inline-form">
          <input
            data-testid="new-tag-input"
            maxLength={20}
            value={name}
            placeholder={t('batch.newTag')}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void create()}
          />
          <button type="button" data-testid="new-tag-create" disabled={!name.trim()} onClick={() => void create()}>
            {t('batch.createTag')}
          </button>
        </div>
      )}
    </FormDialog>
  );
}
