// 待回传: push-backs to the platforms (online send, memo + flag) with their state, attempts and last
// error; failed and conflicting ones can be sent again (pushes.retry).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { CARRIERS } from '../../../electron/shared/carriers.ts';
import type { PushState, PushView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { formatTime } from '../../i18n/format.ts';
import { pushErrorWords } from './push-words.ts';
import { ShopFilter } from './ShopFilter.tsx';
import { useQuery } from '../../api/use-query.ts';

/** The states a person filters by; 'sending' rides with pending, 'superseded' is history. */
const FILTERS: { key: string; states: PushState[] | undefined }[] = [
  { key: 'pending', states: ['pending', 'sending'] },
  { key: 'failed', states: ['failed'] },
  { key: 'conflict', states: ['conflict'] },
  { key: 'confirmed', states: ['confirmed'] },
  { key: 'all', states: undefined },
];
const TONE: Record<PushState, Tone> = { pending: 'info', sending: 'info', confirmed: 'success', failed: 'danger', conflict: 'warning', superseded: 'muted' };

function describePush(t: TFunction, p: PushView, zh: boolean): string {
  if ('waybillNo' in p.payload) {
    const carrier = CARRIERS.find((c) => c.code === (p.payload as { carrierCode: string }).carrierCode);
    return t('pushes.ship', { carrier: carrier ? (zh ? carrier.zh : carrier.en) : p.payload.carrierCode, waybill: p.payload.waybillNo });
  }
  return t('pushes.memo', { memo: p.payload.memo ?? t('pushes.memoCleared'), flag: t(`flag.${p.payload.flag}`) });
}

export function PushesView({ shopId }: { shopId: string | null }) {
  const { t, i18n } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canRetry = useCan('pushes.retry');
  const [filter, setFilter] = useState('pending');
  const states = FILTERS.find((f) => f.key === filter)?.states;
  const { data: rows, reload } = useQuery('pushes.list', { ...(states ? { states } : {}), ...(shopId ? { shopId } : {}), limit: 200 });
  const [busy, setBusy] = useState(false);

  const retry = async (ids: string[]) => {
    setBusy(true);
    try {
      const r = await api.call('pushes.retry', { ids });
      toast({ kind: 'success', text: t('pushes.requeued', { count: r.requeued }) });
      reload();
    } catch (err) {
      report(err, 'pushes.retry');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        <ShopFilter view="pushes" shopId={shopId} allLabel={t('pushes.allShops')} />
        <select data-testid="push-state-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
          {FILTERS.map((f) => (
            <option key={f.key} value={f.key}>
              {f.key === 'all' ? t('pushes.allStates') : t(`pushState.${f.key}`)}
            </option>
          ))}
        </select>
      </div>
      <ListTable
        testId="pushes-table"
        columns={[
          { label: t('pushes.order') },
          { label: t('pushes.shop') },
          { label: t('pushes.what') },
          { label: t('pushes.state') },
          { label: t('pushes.attempts'), align: 'right' },
          { label: t('pushes.lastError') },
          { label: t('pushes.created') },
          {},
        ]}
        rows={rows}
        empty={t('pushes.empty')}
        emptyTestId="pushes-empty"
      >
        {rows?.map((p) => (
          <tr key={p.id} data-testid="push-row" data-state={p.state}>
            <td className="mono">{p.platformOrderId}</td>
            <td>{p.shopName}</td>
            <td>{describePush(t, p, i18n.language.startsWith('zh'))}</td>
            <td>
              <Badge tone={TONE[p.state]}>{t(`pushState.${p.state}`)}</Badge>
            </td>
            <td className="right">{p.attempts}</td>
            <td className="warn small" data-testid="push-error" data-reason={p.lastErrorWhy?.reason ?? undefined} title={p.lastError ?? undefined}>
              {pushErrorWords(t, p)}
            </td>
            <td className="time">{formatTime(p.createdAt, true)}</td>
            <td>
              {canRetry && (p.state === 'failed' || p.state === 'conflict') && (
                <button type="button" data-testid="push-retry" disabled={busy} onClick={() => void retry([p.id])}>
                  {t('pushes.retry')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
