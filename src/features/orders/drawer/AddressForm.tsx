// Edit the receiver (name, phone, region, address) with an optional reason → orders.editAddress.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useToasts } from '../../../app/toast-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { useReference } from '../reference-store.ts';

const FIELDS = ['name', 'phone', 'province', 'city', 'district', 'town', 'address'] as const;
type Field = (typeof FIELDS)[number];

export function AddressForm({ order, onDone }: { order: OrderDetail; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const provinces = useReference((s) => s.provinces);
  const [v, setV] = useState<Record<Field, string>>({
    name: order.receiverName,
    phone: order.receiverPhone,
    province: order.receiverProvince,
    city: order.receiverCity,
    district: order.receiverDistrict,
    town: order.receiverTown ?? '',
    address: order.receiverAddress,
  });
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const missing = FIELDS.filter((f) => f !== 'town' && !v[f].trim());

  const save = async () => {
    setBusy(true);
    try {
      await api.call('orders.editAddress', {
        id: order.id,
        receiver: { ...v, town: v.town.trim() || null },
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      push({ kind: 'success', text: t('drawer.addressSaved') });
      onDone();
    } catch (err) {
      report(err, 'orders.editAddress');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="sub-form address-form"
      data-testid="address-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {FIELDS.map((f) => (
        <label key={f} className={`field field-${f}`}>
          <span>{t(`receiver.${f}`)}</span>
          <input
            data-testid={`address-${f}`}
            value={v[f]}
            list={f === 'province' ? 'province-list' : undefined}
            onChange={(e) => setV({ ...v, [f]: e.target.value })}
            aria-invalid={missing.includes(f)}
          />
        </label>
      ))}
      <datalist id="province-list">
        {provinces.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <label className="field field-reason">
        <span>{t('drawer.reason')}</span>
        <input data-testid="address-reason" value={reason} maxLength={200} placeholder={t('drawer.addressReasonHint')} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="inline-form">
        <button type="submit" className="primary" data-testid="address-save" disabled={busy || missing.length > 0}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
