// Asks for the reason a hold or close needs, then runs the command.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormDialog } from '../../../components/FormDialog.tsx';

interface Props {
  title: string;
  presets: string[];
  busy: boolean;
  onConfirm(reason: string): void;
  onClose(): void;
}

export function ReasonDialog({ title, presets, busy, onConfirm, onClose }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const ok = reason.trim().length > 0;
  return (
    <FormDialog
      title={title}
      onClose={onClose}
      testId="reason-dialog"
      confirmLabel={t('common.confirm')}
      onConfirm={() => onConfirm(reason.trim())}
      disabled={!ok || busy}
    >
      <div className="preset-row">
        {presets.map((p) => (
          <button key={p} type="button" className="chip-button" onClick={() => setReason(p)}>
            {p}
          </button>
        ))}
      </div>
      <textarea
        autoFocus
        data-testid="reason-input"
        maxLength={200}
        rows={3}
        value={reason}
        placeholder={t('batch.reasonPlaceholder')}
        onChange={(e) => setReason(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ok && onConfirm(reason.trim())}
      />
    </FormDialog>
  );
}
