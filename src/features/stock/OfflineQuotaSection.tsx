// 离线配额 on the SKU page (docs/team-hub.md#stock-quotas): per station of the team, how many units of
// this SKU it may commit while it cannot reach the hub — set, changed or removed here by an owner or
// operator. Shown only on a station joined to a hub, to the roles that may set quotas. The hub
// writes the quotas; this station shows what it pulled back. When the station joined as someone
// who may not set quotas, the hub refuses its token and the form asks for the person's own password.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HubQuotaView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { editValues, hubWantsPassword, parseQuotaQuantity, quotaStations } from './offline-quotas.ts';

export function OfflineQuotaSection({ code }: { code: string }) {
  const canSet = useCan('hub.setQuotas');
  const { data: status } = useQuery('hub.status', {});
  if (!canSet || !status?.joined) return null;
  return <OfflineQuotas code={code} />;
}

function OfflineQuotas({ code }: { code: string }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const { data: rows, reload } = useQuery('hub.quotas', { sku: code });
  const { data: team } = useQuery('hub.team', {});
  const { data: warehouses } = useQuery('warehouses.list', {});
  const [form, setForm] = useState({ station: '', warehouse: '', quantity: '' });
  const [password, setPassword] = useState('');
  const [askPassword, setAskPassword] = useState(false);
  const { busy, run } = useSubmit();
  const stations = quotaStations(team?.stations ?? [], team?.thisStationId ?? null);
  const station = form.station || stations[0]?.id || '';
  const quantity = parseQuotaQuantity(form.quantity);

  const send = (entry: { station: string; warehouse: string; quantity: number | null }) =>
    run('hub.setQuotas', async () => {
      const input = { quotas: [{ station: entry.station, sku: code, ...(entry.warehouse ? { warehouse: entry.warehouse } : {}), quantity: entry.quantity }] };
      try {
        await api.call('hub.setQuotas', askPassword && password ? { ...input, password } : input);
      } catch (err) {
        if (!askPassword && hubWantsPassword(err)) {
          setAskPassword(true);
          return;
        }
        throw err;
      }
      setPassword('');
      setForm({ station: '', warehouse: '', quantity: '' });
      toast({ kind: 'success', text: entry.quantity === null ? t('stock.quotaRemoved') : t('stock.quotaSaved') });
      reload();
    });

  return (
    <section className="stock-quotas" data-testid="sku-quotas">
      <h3>{t('stock.quotaTitle')}</h3>
      <p className="muted small">{t('stock.quotaAbout')}</p>
      <table className="shops-table">
        <thead>
          <tr>
            <th>
              {t('stock.quotaStation')} · {t('stock.colWarehouse')}
            </th>
            <th className="right">{t('stock.quotaQuantity')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows?.length === 0 && (
            <tr>
              <td colSpan={3} className="muted" data-testid="sku-quotas-empty">
                {t('stock.quotaNone')}
              </td>
            </tr>
          )}
          {rows?.map((q: HubQuotaView) => (
            <tr key={`${q.stationId}|${q.warehouseId}`} data-testid="sku-quota-row" data-station={q.stationName ?? q.stationId}>
              <td>
                {q.stationName ?? q.stationId}
                {q.mine && <span className="muted small"> {t('stock.quotaThisStation')}</span>}
                <span className="muted small"> · {q.warehouse ?? (q.warehouseId === '' ? t('stock.quotaAllWarehouses') : q.warehouseId)}</span>
              </td>
              <td className="right" data-testid="sku-quota-quantity">
                {q.quantity}
              </td>
              <td className="nowrap">
                <button type="button" className="small" data-testid="sku-quota-edit" disabled={busy} onClick={() => setForm(editValues(q))}>
                  {t('stock.quotaEdit')}
                </button>{' '}
                <button type="button" className="small" data-testid="sku-quota-remove" disabled={busy} onClick={() => void send({ station: q.stationId, warehouse: q.warehouse ?? '', quantity: null })}>
                  {t('stock.quotaRemove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="stock-quota-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (quantity !== null && station) void send({ station, warehouse: form.warehouse, quantity });
        }}
      >
        <select aria-label={t('stock.quotaStation')} data-testid="sku-quota-station" value={station} onChange={(e) => setForm({ ...form, station: e.target.value })}>
          {stations.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select aria-label={t('stock.colWarehouse')} data-testid="sku-quota-warehouse" value={form.warehouse} onChange={(e) => setForm({ ...form, warehouse: e.target.value })}>
          <option value="">{t('stock.quotaAllWarehouses')}</option>
          {warehouses?.map((w) => (
            <option key={w.id} value={w.code}>
              {w.name}
            </option>
          ))}
        </select>
        <input
          aria-label={t('stock.quotaQuantity')}
          placeholder={t('stock.quotaQuantity')}
          data-testid="sku-quota-input"
          inputMode="numeric"
          size={6}
          value={form.quantity}
          aria-invalid={form.quantity !== '' && quantity === null}
          onChange={(e) => setForm({ ...form, quantity: e.target.value })}
        />
        {askPassword && (
          <input type="password" aria-label={t('stock.quotaPassword')} placeholder={t('stock.quotaPassword')} data-testid="sku-quota-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        )}
        <button type="submit" data-testid="sku-quota-save" disabled={busy || quantity === null || !station || (askPassword && password === '')}>
          {t('stock.quotaSave')}
        </button>
      </form>
      {form.quantity !== '' && quantity === null && <p className="small stock-negative">{t('stock.quotaBadQuantity')}</p>}
      {askPassword && <p className="muted small" data-testid="sku-quota-password-hint">{t('stock.quotaPasswordHint')}</p>}
    </section>
  );
}
