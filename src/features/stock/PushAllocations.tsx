// 库存分配: each shop's rules for how much of a SKU's available stock it is told — a share, a fixed
// quantity or a reserve, with optional min/max — listed under the pushes, added, edited and removed by
// managers. Saving marks the SKUs the rule covers, so the next push round tells the shop.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALLOCATION_MODES, type AllocationModeName, type AllocationView, type ShopSummary } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { fieldErrorsOf } from '../shops/field-errors.ts';
import { FormField } from '../shops/FormField.tsx';

export function PushAllocations({ shops }: { shops: readonly ShopSummary[] }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const report = useReportError();
  const canSet = useCan('stock.setAllocation');
  const { data, reload } = useQuery('stock.allocations', {});
  const [editing, setEditing] = useState<AllocationView | 'new' | null>(null);
  const remove = async (a: AllocationView) => {
    try {
      await api.call('stock.removeAllocation', { shopId: a.shopId, sku: a.sku });
      toast({ kind: 'success', text: t('stockPush.allocRemoved', { shop: a.shopName, sku: a.sku === '*' ? t('stockPush.allocDefault') : a.sku }) });
      reload();
    } catch (err) {
      report(err, 'stock.removeAllocation');
    }
  };
  const bound = (n: number | null) => (n === null ? '—' : n);
  return (
    <section className="stock-allocations" data-testid="allocations">
      <div className="stock-toolbar">
        <strong>{t('stockPush.allocTitle')}</strong>
        <span className="muted small">{t('stockPush.allocHint')}</span>
        <span className="fill" />
        {canSet && shops.length > 0 && (
          <button type="button" data-testid="allocation-add" onClick={() => setEditing('new')}>
            {t('stockPush.allocAdd')}
          </button>
        )}
      </div>
      <ListTable
        testId="allocations-table"
        columns={[{ label: t('stockPush.allocShop') }, { label: t('stockPush.allocSku') }, { label: t('stockPush.allocMode') }, { label: `${t('stockPush.allocMin')} / ${t('stockPush.allocMax')}` }, {}]}
        rows={data}
        empty={t('stockPush.allocEmpty')}
        emptyTestId="allocations-empty"
      >
        {data?.map((a) => (
          <tr key={`${a.shopId}/${a.sku}`} data-testid="allocation-row" data-shop={a.shopId} data-sku={a.sku}>
            <td>{a.shopName}</td>
            <td className="mono">{a.sku === '*' ? <span className="muted">{t('stockPush.allocDefault')}</span> : a.sku}</td>
            <td>
              {t(`stockPush.allocModes.${a.mode}`)} · {t(`stockPush.allocRule.${a.mode}`, { value: a.value })}
            </td>
            <td className="small">{a.minQty === null && a.maxQty === null ? '—' : t('stockPush.allocBounds', { min: bound(a.minQty), max: bound(a.maxQty) })}</td>
            <td>
              {canSet && (
                <>
                  <button type="button" className="small" data-testid="allocation-edit" onClick={() => setEditing(a)}>
                    {t('stockPush.allocEdit')}
                  </button>{' '}
                  <button type="button" className="small" data-testid="allocation-remove" onClick={() => void remove(a)}>
                    {t('stockPush.allocRemove')}
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      {editing && <AllocationDialog shops={shops} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={reload} />}
    </section>
  );
}

function AllocationDialog({ shops, rule, onClose, onDone }: { shops: readonly ShopSummary[]; rule: AllocationView | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const [shopId, setShopId] = useState(rule?.shopId ?? shops[0]?.id ?? '');
  const [sku, setSku] = useState(rule?.sku ?? '*');
  const [mode, setMode] = useState<AllocationModeName>(rule?.mode ?? 'share');
  const [value, setValue] = useState(String(rule?.value ?? 100));
  const [minQty, setMinQty] = useState(rule?.minQty === null || rule?.minQty === undefined ? '' : String(rule.minQty));
  const [maxQty, setMaxQty] = useState(rule?.maxQty === null || rule?.maxQty === undefined ? '' : String(rule.maxQty));
  const { busy, errors, run } = useSubmit(fieldErrorsOf);
  // Numbers go as typed (NaN included) so the core's schema says what is wrong under the field.
  const optional = (s: string) => (s.trim() === '' ? null : Number(s));
  const submit = () =>
    run('stock.setAllocation', async () => {
      const saved = await api.call('stock.setAllocation', { shopId, sku: sku.trim(), mode, value: Number(value), minQty: optional(minQty), maxQty: optional(maxQty) });
      toast({ kind: 'success', text: t('stockPush.allocSaved', { shop: saved.shopName, sku: saved.sku === '*' ? t('stockPush.allocDefault') : saved.sku }) });
      onDone();
      onClose();
    });
  return (
    <FormDialog title={t('stockPush.allocDialogTitle')} onClose={onClose} testId="allocation-dialog" confirmLabel={t('common.save')} onConfirm={() => void submit()} disabled={busy}>
      <div className="form-pair">
        <FormField label={t('stockPush.allocShop')} name="shopId" error={errors.shopId}>
          <select data-testid="input-alloc-shop" value={shopId} disabled={rule !== null} onChange={(e) => setShopId(e.target.value)}>
            {shops.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label={t('stockPush.allocSku')} name="sku" error={errors.sku} hint={t('stockPush.allocSkuHint')}>
          <input data-testid="input-alloc-sku" value={sku} disabled={rule !== null} onChange={(e) => setSku(e.target.value)} />
        </FormField>
      </div>
      <div className="form-pair">
        <FormField label={t('stockPush.allocMode')} name="mode" error={errors.mode}>
          <select data-testid="input-alloc-mode" value={mode} onChange={(e) => setMode(e.target.value as AllocationModeName)}>
            {ALLOCATION_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`stockPush.allocModes.${m}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField label={t('stockPush.allocValue')} name="value" error={errors.value} hint={t(`stockPush.allocValueHint.${mode}`)}>
          <input data-testid="input-alloc-value" type="number" min={0} value={value} onChange={(e) => setValue(e.target.value)} />
        </FormField>
      </div>
      <div className="form-pair">
        <FormField label={t('stockPush.allocMin')} name="minQty" error={errors.minQty} hint={t('stockPush.allocMinMaxHint')}>
          <input data-testid="input-alloc-min" type="number" min={0} value={minQty} onChange={(e) => setMinQty(e.target.value)} />
        </FormField>
        <FormField label={t('stockPush.allocMax')} name="maxQty" error={errors.maxQty}>
          <input data-testid="input-alloc-max" type="number" min={0} value={maxQty} onChange={(e) => setMaxQty(e.target.value)} />
        </FormField>
      </div>
    </FormDialog>
  );
}
