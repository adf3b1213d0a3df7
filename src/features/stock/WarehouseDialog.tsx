// Add or edit a warehouse: code (fixed once made), name, address, the provinces it serves as chips,
// and its priority (higher first when region and stock leave a choice).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WarehouseView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { fieldErrorsOf } from '../shops/field-errors.ts';
import { FormField } from '../shops/FormField.tsx';
import { PROVINCES } from './provinces.ts';

export function WarehouseDialog({ warehouse, onClose, onDone }: { warehouse: WarehouseView | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [code, setCode] = useState(warehouse?.code ?? '');
  const [name, setName] = useState(warehouse?.name ?? '');
  const [address, setAddress] = useState(warehouse?.address ?? '');
  const [regions, setRegions] = useState<string[]>(warehouse?.regions ?? []);
  const [priority, setPriority] = useState(String(warehouse?.priority ?? 0));
  const { busy, errors, run } = useSubmit(fieldErrorsOf);
  const toggle = (p: string) => setRegions((rs) => (rs.includes(p) ? rs.filter((r) => r !== p) : [...rs, p]));
  // Regions saved before that are not in the list (typed by a script) stay choosable.
  const choices = [...PROVINCES, ...regions.filter((r) => !(PROVINCES as readonly string[]).includes(r))];

  const submit = () =>
    run(warehouse ? 'warehouses.update' : 'warehouses.add', async () => {
      // The priority goes as typed (NaN included) so the core's schema says what is wrong.
      const fields = { name, address: address.trim() === '' ? null : address, regions, priority: Number(priority) };
      const saved = warehouse ? await api.call('warehouses.update', { code: warehouse.code, patch: fields }) : await api.call('warehouses.add', { code, ...fields });
      toast({ kind: 'success', text: t('stock.warehouseSaved', { name: saved.name }) });
      onDone();
      onClose();
    });

  return (
    <FormDialog
      title={warehouse ? t('stock.warehouseEditTitle', { code: warehouse.code }) : t('stock.warehouseAdd')}
      onClose={onClose}
      testId="warehouse-dialog"
      wide
      confirmLabel={t('common.save')}
      onConfirm={() => void submit()}
      disabled={busy}
    >
      <div className="form-pair">
        <FormField label={t('stock.whCode')} name="code" error={errors.code}>
          <input data-testid="input-wh-code" value={code} disabled={warehouse !== null} onChange={(e) => setCode(e.target.value)} />
        </FormField>
        <FormField label={t('stock.whName')} name="name" error={errors.name ?? errors.patch}>
          <input data-testid="input-wh-name" value={name} onChange={(e) => setName(e.target.value)} />
        </FormField>
      </div>
      <FormField label={t('stock.whAddress')} name="address" error={errors.address}>
        <input data-testid="input-wh-address" value={address} onChange={(e) => setAddress(e.target.value)} />
      </FormField>
      <FormField label={t('stock.whPriority')} name="priority" error={errors.priority} hint={t('stock.whPriorityHint')}>
        <input data-testid="input-wh-priority" type="number" min={-1000} max={1000} value={priority} onChange={(e) => setPriority(e.target.value)} />
      </FormField>
      <div className="form-field" data-testid="field-regions">
        <span className="form-field-label">{t('stock.whRegions')}</span>
        <span className="muted small">{t('stock.whRegionsHint')}</span>
        <div className="stock-chips" role="group" aria-label={t('stock.whRegions')}>
          {choices.map((p) => (
            <button key={p} type="button" className={`stock-chip${regions.includes(p) ? ' on' : ''}`} aria-pressed={regions.includes(p)} data-testid="region-chip" data-region={p} onClick={() => toggle(p)}>
              {p}
            </button>
          ))}
        </div>
        {errors.regions && <span className="form-field-error">{errors.regions}</span>}
      </div>
    </FormDialog>
  );
}
