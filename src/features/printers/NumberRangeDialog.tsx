// 添加号段: prefix + from..to into a pool account; the count is shown before it is added.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WaybillAccountInfo } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { FormField } from '../shops/FormField.tsx';
import { rangeInput, rangeSize, type RangeText } from './waybill-forms.ts';

const PROBLEM_KEYS = { prefix: 'waybillAccounts.rangePrefix', from: 'waybillAccounts.rangeFrom', to: 'waybillAccounts.rangeTo', order: 'waybillAccounts.rangeOrder' } as const;

export function NumberRangeDialog({ account, onClose, onDone }: { account: WaybillAccountInfo; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [range, setRange] = useState<RangeText>({ prefix: '', from: '', to: '' });
  const [touched, setTouched] = useState(false);
  const { busy, run } = useSubmit();
  const parsed = rangeInput(range);
  const problem = touched && !parsed.ok ? parsed.problem : null;

  const submit = async () => {
    setTouched(true);
    if (!parsed.ok) return;
    await run('waybillAccounts.addRange', async () => {
      const r = await api.call('waybillAccounts.addRange', { accountId: account.id, ...parsed.value, skipExisting: true });
      toast({ kind: 'success', text: t('waybillAccounts.rangeAdded', { added: r.added, skipped: r.skipped }) });
      onDone();
      onClose();
    });
  };

  const field = (name: keyof RangeText, label: string) => (
    <FormField label={label} name={name} error={problem === name ? t(PROBLEM_KEYS[name]) : undefined}>
      <input data-testid={`input-range-${name}`} className="mono" value={range[name]} autoComplete="off" onChange={(e) => setRange((r) => ({ ...r, [name]: e.target.value }))} />
    </FormField>
  );

  return (
    <FormDialog
      title={t('waybillAccounts.rangeTitle', { name: account.name })}
      onClose={onClose}
      testId="range-dialog"
      confirmLabel={t('waybillAccounts.submitRange')}
      onConfirm={() => void submit()}
      disabled={busy}
    >
      <div className="muted small">{t('waybillAccounts.rangeHint')}</div>
      {field('prefix', t('waybillAccounts.prefix'))}
      <div className="form-pair">
        {field('from', t('waybillAccounts.from'))}
        {field('to', t('waybillAccounts.to'))}
      </div>
      {problem === 'order' && <div className="form-field-error">{t(PROBLEM_KEYS.order)}</div>}
      {parsed.ok && (
        <div className="small" data-testid="range-count">
          {t('waybillAccounts.rangeCount', { count: rangeSize(range) })}
        </div>
      )}
    </FormDialog>
  );
}
