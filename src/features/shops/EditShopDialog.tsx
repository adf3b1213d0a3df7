// 编辑店铺: name, gateway (empty = the platform's production gateway), sync interval and first
// backfill depth, saved through shops.update with per-field validation messages.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ShopOverview } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fieldErrorsOf } from './field-errors.ts';
import { FormField } from './FormField.tsx';

export function EditShopDialog({ shop, onClose, onDone }: { shop: ShopOverview; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [name, setName] = useState(shop.name);
  const [gateway, setGateway] = useState(shop.gateway ?? '');
  const [minutes, setMinutes] = useState(String(Math.max(1, Math.round(shop.syncIntervalMs / 60_000))));
  const [days, setDays] = useState(String(shop.backfillDays));
  const { busy, errors, run } = useSubmit(fieldErrorsOf);

  const submit = () =>
    run('shops.update', async () => {
      // Numbers go as typed (NaN included) so the core's schema, not the form, says what is wrong.
      const saved = await api.call('shops.update', {
        id: shop.id,
        name,
        gateway: gateway.trim() === '' ? null : gateway,
        syncIntervalMinutes: Number(minutes),
        backfillDays: Number(days),
      });
      toast({ kind: 'success', text: t('shopForm.saved', { name: saved.name }) });
      onDone();
      onClose();
    });

  return (
    <FormDialog
      title={t('shopForm.editTitle', { name: shop.name })}
      onClose={onClose}
      testId="shop-edit-dialog"
      confirmLabel={t('common.save')}
      onConfirm={() => void submit()}
      disabled={busy}
    >
      <FormField label={t('shopForm.name')} name="name" error={errors.name}>
        <input data-testid="input-name" value={name} onChange={(e) => setName(e.target.value)} />
      </FormField>
      <FormField label={t('shopForm.gateway')} name="gateway" error={errors.gateway} hint={t('shopForm.gatewayHint')}>
        <input data-testid="input-gateway" value={gateway} onChange={(e) => setGateway(e.target.value)} />
      </FormField>
      <div className="form-pair">
        <FormField label={t('shopForm.interval')} name="syncIntervalMinutes" error={errors.syncIntervalMinutes}>
          <input data-testid="input-interval" type="number" min={1} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        </FormField>
        <FormField label={t('shopForm.backfillDays')} name="backfillDays" error={errors.backfillDays}>
          <input data-testid="input-backfill" type="number" min={1} max={90} value={days} onChange={(e) => setDays(e.target.value)} />
        </FormField>
      </div>
    </FormDialog>
  );
}
