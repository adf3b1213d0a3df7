// 冲正: reverse a mistaken movement with a row of the opposite delta (both rows of a transfer). The
// reason is required; the ledger never edits a row.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MovementView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';

export function CorrectMovementDialog({ movement, onClose }: { movement: MovementView; onClose(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [reason, setReason] = useState('');
  const { busy, run } = useSubmit();
  const submit = () =>
    run('stock.correct', async () => {
      await api.call('stock.correct', { movementId: movement.id, reason: reason.trim() });
      toast({ kind: 'success', text: t('stock.corrected') });
      onClose();
    });
  return (
    <FormDialog title={t('stock.correctTitle')} onClose={onClose} testId="correct-dialog" confirmLabel={t('stock.correct')} onConfirm={() => void submit()} disabled={busy || reason.trim() === ''}>
      <p>
        {t('stock.correctWhat', { reason: t(`movementReason.${movement.reason}`), warehouse: movement.warehouse, delta: movement.delta > 0 ? `+${movement.delta}` : movement.delta })}
      </p>
      <label className="form-field">
        {t('stock.correctReason')}
        <input autoFocus data-testid="correct-reason" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} />
      </label>
    </FormDialog>
  );
}
