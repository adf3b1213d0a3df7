// 添加店铺: connect a seller account (shops.add). Problems come back per field from the core's
// validation and show under the field they concern.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CONNECTABLE_PLATFORMS, type ConnectablePlatform } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fieldErrorsOf } from './field-errors.ts';
import { FormField } from './FormField.tsx';

const TEXT_FIELDS = ['name', 'appKey', 'appSecret', 'accessToken', 'refreshToken', 'gateway'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const SECRET: ReadonlySet<TextField> = new Set(['appSecret', 'accessToken', 'refreshToken']);
const OPTIONAL: ReadonlySet<TextField> = new Set(['refreshToken', 'gateway']);

export function AddShopDialog({ onClose, onDone }: { onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [platform, setPlatform] = useState<ConnectablePlatform>('taobao');
  const [values, setValues] = useState<Record<TextField, string>>({ name: '', appKey: '', appSecret: '', accessToken: '', refreshToken: '', gateway: '' });
  const { busy, errors, run } = useSubmit(fieldErrorsOf);

  const submit = () =>
    run('shops.add', async () => {
      // Optional fields left empty are left out; required ones are sent as typed so the core names them.
      const input: Record<string, string> = { platform };
      for (const f of TEXT_FIELDS) if (!(OPTIONAL.has(f) && values[f].trim() === '')) input[f] = values[f];
      const shop = await api.call('shops.add', input as never);
      toast({ kind: 'success', text: t('shopForm.added', { name: shop.name }) });
      onDone();
      onClose();
    });

  const labels: Record<TextField, string> = {
    name: t('shopForm.name'),
    appKey: t('shopForm.appKey'),
    appSecret: t('shopForm.appSecret'),
    accessToken: t('shopForm.accessToken'),
    refreshToken: t('shopForm.refreshToken'),
    gateway: t('shopForm.gateway'),
  };

  return (
    <FormDialog
      title={t('shopForm.addTitle')}
      onClose={onClose}
      testId="shop-add-dialog"
      confirmLabel={t('common.save')}
      onConfirm={() => void submit()}
      disabled={busy}
    >
      {Object.keys(errors).length > 0 && (
        <div className="warn small" data-testid="form-errors">
          {t('shopForm.fixFields')}
          {errors[''] ? `: ${errors['']}` : ''}
        </div>
      )}
      <FormField label={t('shopForm.platform')} name="platform" error={errors.platform}>
        <select data-testid="input-platform" value={platform} onChange={(e) => setPlatform(e.target.value as ConnectablePlatform)}>
          {CONNECTABLE_PLATFORMS.map((p) => (
            <option key={p} value={p}>
              {t(`platform.${p}`)}
            </option>
          ))}
        </select>
      </FormField>
      {TEXT_FIELDS.map((f) => (
        <FormField key={f} label={labels[f]} name={f} error={errors[f]} {...(f === 'gateway' ? { hint: t('shopForm.gatewayHint') } : {})}>
          <input
            data-testid={`input-${f}`}
            type={SECRET.has(f) ? 'password' : 'text'}
            autoComplete="off"
            value={values[f]}
            onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
          />
        </FormField>
      ))}
    </FormDialog>
  );
}
