// Set the seller flag and/or memo on the selected orders.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SELLER_FLAGS } from '../../../../electron/shared/model.ts';
import { FormDialog } from '../../../components/FormDialog.tsx';
import { FlagMark } from '../../../components/FlagMark.tsx';

interface Props {
  busy: boolean;
  onConfirm(flag: number | undefined, memo: string | null | undefined): void;
  onClose(): void;
}

export function FlagDialog({ busy, onConfirm, onClose }: Props) {
  const { t } = useTranslation();
  const [flag, setFlag] = useState<number | undefined>(undefined);
  const [setMemo, setSetMemo] = useState(false);
  const [memo, setMemoText] = useState('');
  const ready = flag !== undefined || setMemo;
  return (
    <FormDialog
      title={t('batch.flagTitle')}
      onClose={onClose}
      testId="flag-dialog"
      confirmLabel={t('common.confirm')}
      onConfirm={() => onConfirm(flag, setMemo ? memo.trim() || null : undefined)}
      disabled={busy || !ready}
    >
      <div className="flag-choices" role="radiogroup" aria-label={t('batch.flag')}>
        {SELLER_FLAGS.map((f) => (
          <button
            key={f}
            type="button"
            role="radio"
            aria-checked={flag === f}
            data-testid={`flag-choice-${f}`}
            className={`flag-choice${flag === f ? ' active' : ''}`}
            onClick={() => setFlag(flag === f ? undefined : f)}
          >
            <FlagMark flag={f} />
            {t(`flag.${f}`)}
          </button>
        ))}
      </div>
      <label className="checkbox-line">
        <input type="checkbox" data-testid="memo-toggle" checked={setMemo} onChange={(e) => setSetMemo(e.target.checked)} />
        {t('batch.setMemo')}
      </label>
      {setMemo && (
        <textarea data-testid="memo-input" rows={3} maxLength={500} value={memo} placeholder={t('batch.memoPlaceholder')} onChange={(e) => setMemoText(e.target.value)} />
      )}
    </FormDialog>
  );
}
