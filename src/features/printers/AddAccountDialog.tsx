// 添加面单账号: a self-managed pool (numbers from a range or a file; the shops that use it by
// default) or a shop's platform e-waybill service (which needs the sender the platform is told).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARRIERS, type CarrierCode } from '../../../electron/shared/carriers.ts';
import type { ShopSummary } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { FormField } from '../shops/FormField.tsx';
import { formErrorsOf } from './printer-form.ts';

const SENDER_FIELDS = ['name', 'mobile', 'province', 'city', 'district', 'address'] as const;
type SenderField = (typeof SENDER_FIELDS)[number];
const SENDER_KEYS: Record<SenderField, string> = {
  name: 'waybillAccounts.senderName',
  mobile: 'waybillAccounts.senderMobile',
  province: 'waybillAccounts.senderProvince',
  city: 'waybillAccounts.senderCity',
  district: 'waybillAccounts.senderDistrict',
  address: 'waybillAccounts.senderAddress',
};

export function AddAccountDialog({ shops, onClose, onDone }: { shops: ShopSummary[]; onClose(): void; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const toast = useToasts((s) => s.push);
  const [name, setName] = useState('');
  const [carrierCode, setCarrier] = useState<CarrierCode>(CARRIERS[0].code);
  const [kind, setKind] = useState<'pool' | 'platform'>('pool');
  const [shopId, setShopId] = useState('');
  const [shopIds, setShopIds] = useState<string[]>([]);
  const [sender, setSender] = useState<Record<SenderField, string>>({ name: '', mobile: '', province: '', city: '', district: '', address: '' });
  const { busy, errors, run } = useSubmit(formErrorsOf);

  const submit = () =>
    run('waybillAccounts.add', async () => {
      const added = await api.call('waybillAccounts.add', {
        name,
        carrierCode,
        kind,
        shopId: kind === 'platform' ? shopId || null : null,
        sender: kind === 'platform' ? sender : null,
        shopIds,
      });
      toast({ kind: 'success', text: t('waybillAccounts.added', { name: added.name }) });
      onDone();
      onClose();
    });

  return (
    <FormDialog
      title={t('waybillAccounts.addTitle')}
      onClose={onClose}
      testId="account-dialog"
      wide
      confirmLabel={t('common.save')}
      onConfirm={() => void submit()}
      disabled={busy}
    >
      {errors[''] && <div className="form-field-error">{errors['']}</div>}
      <div className="form-pair">
        <FormField label={t('waybillAccounts.name')} name="name" error={errors.name}>
          <input data-testid="input-account-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
        </FormField>
        <FormField label={t('waybillAccounts.carrier')} name="carrierCode" error={errors.carrierCode}>
          <select data-testid="input-carrier" value={carrierCode} onChange={(e) => setCarrier(e.target.value as CarrierCode)}>
            {CARRIERS.map((c) => (
              <option key={c.code} value={c.code}>
                {zh ? c.zh : c.en}
              </option>
            ))}
          </select>
        </FormField>
      </div>
      <div className="form-row">
        <span className="form-label">{t('waybillAccounts.kind')}</span>
        {(['pool', 'platform'] as const).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name="account-kind" data-testid={`input-kind-${k}`} checked={kind === k} onChange={() => setKind(k)} />
            {t(k === 'pool' ? 'waybillAccounts.kindPool' : 'waybillAccounts.kindPlatform')}
          </label>
        ))}
      </div>
      {kind === 'platform' && (
        <>
          <FormField label={t('waybillAccounts.shop')} name="shopId" error={errors.shopId}>
            <select data-testid="input-account-shop" value={shopId} onChange={(e) => setShopId(e.target.value)}>
              <option value="">—</option>
              {shops.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </FormField>
          <div className="form-grid">
            {SENDER_FIELDS.map((f) => (
              <FormField key={f} label={t(SENDER_KEYS[f])} name={`sender-${f}`} error={errors[f]}>
                <input data-testid={`input-sender-${f}`} value={sender[f]} onChange={(e) => setSender((s) => ({ ...s, [f]: e.target.value }))} />
              </FormField>
            ))}
          </div>
        </>
      )}
      <fieldset className="form-fieldset">
        <legend className="form-field-label">{t('waybillAccounts.useForShops')}</legend>
        <div className="shop-checks">
          {shops.map((s) => (
            <label key={s.id} className="checkbox-line">
              <input
                type="checkbox"
                data-testid="input-account-use-shop"
                checked={shopIds.includes(s.id)}
                onChange={(e) => setShopIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((x) => x !== s.id)))}
              />
              {s.name}
            </label>
          ))}
        </div>
      </fieldset>
    </FormDialog>
  );
}
