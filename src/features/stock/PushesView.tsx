// 库存同步: the stock figures sent to each shop, newest first — the state of each push, the figure
// (for a delta: what the platform showed, the target and the change sent), and the platform's words
// for a refusal or failure — with "push now", a preview of what would be sent, and the allocation
// editor (PushAllocations.tsx) below.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockPushRun, StockPushState, StockPushView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { reasonWords } from '../../api/error-words.ts';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PushAllocations } from './PushAllocations.tsx';
import './pushes.css';

const FILTERS: Record<'all' | 'problems' | 'waiting', StockPushState[] | undefined> = {
  all: undefined,
  problems: ['refused', 'failed'],
  waiting: ['pending', 'sending'],
};
const PREVIEW_ROWS = 200;

export function PushesView() {
  const { t, i18n } = useTranslation();
  const toast = useToasts((s) => s.push);
  const report = useReportError();
  const canPush = useCan('stock.push');
  const [shopId, setShopId] = useState('');
  const [filter, setFilter] = useState<keyof typeof FILTERS>('all');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<StockPushRun | null>(null);
  const { data: shops } = useQuery('shops.list', {});
  const states = FILTERS[filter];
  const { data, reload } = useQuery('stock.pushes', { ...(shopId ? { shopId } : {}), ...(states ? { states } : {}), limit: 200 });

  const push = async (dryRun: boolean) => {
    setBusy(true);
    try {
      const r = await api.call('stock.push', { ...(shopId ? { shopId } : {}), dryRun });
      if (dryRun) setPreview(r);
      else {
        toast({ kind: r.written === 0 ? 'info' : 'success', text: r.written === 0 ? t('stockPush.nothingToPush') : t('stockPush.pushed', { written: r.written, ...r.sent }) });
        reload();
      }
      for (const s of r.skipped) toast({ kind: 'info', text: t('stockPush.skipped', { shop: s.shopName, reason: s.reason }) });
    } catch (err) {
      report(err, 'stock.push');
    } finally {
      setBusy(false);
    }
  };

  const time = (ms: number) => new Date(ms).toLocaleString(i18n.language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const words = (p: StockPushView) => (p.lastErrorReason ? (reasonWords(t, { reason: p.lastErrorReason, details: p.lastErrorDetails ?? {} }) ?? p.lastError) : p.lastError);

  return (
    <div className="stock-view" data-testid="pushes-view">
      <div className="stock-toolbar">
        <select aria-label={t('stockPush.colShop')} data-testid="pushes-shop" value={shopId} onChange={(e) => setShopId(e.target.value)}>
          <option value="">{t('stockPush.allShops')}</option>
          {shops?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <select aria-label={t('stockPush.colState')} data-testid="pushes-filter" value={filter} onChange={(e) => setFilter(e.target.value as keyof typeof FILTERS)}>
          <option value="all">{t('stockPush.filterAll')}</option>
          <option value="problems">{t('stockPush.filterProblems')}</option>
          <option value="waiting">{t('stockPush.filterWaiting')}</option>
        </select>
        <span className="muted small">{t('stockPush.hint')}</span>
        <span className="fill" />
        {canPush && (
          <>
            <button type="button" data-testid="pushes-preview" disabled={busy} onClick={() => void push(true)}>
              {t('stockPush.preview')}
            </button>
            <button type="button" className="primary" data-testid="pushes-push-now" disabled={busy} onClick={() => void push(false)}>
              {t('stockPush.pushNow')}
            </button>
          </>
        )}
      </div>
      <ListTable
        testId="pushes-table"
        className="stock-pushes-table"
        columns={[
          { label: t('stockPush.colAt') },
          { label: t('stockPush.colShop') },
          { label: t('stockPush.colSku') },
          { label: t('stockPush.colPlatformSku') },
          { label: t('stockPush.colFigure'), align: 'right' },
          { label: t('stockPush.colState') },
          { label: t('stockPush.colAttempts'), align: 'right' },
          { label: t('stockPush.colWords') },
        ]}
        rows={data}
        empty={t('stockPush.empty')}
        emptyTestId="pushes-empty"
      >
        {data?.map((p) => (
          <tr key={p.id} data-testid="push-row" data-state={p.state} data-sku={p.sku}>
            <td className="small">{time(p.createdAt)}</td>
            <td>{p.shopName}</td>
            <td>
              <span className="mono">{p.sku}</span> <span className="muted small">{p.title}</span>
            </td>
            <td className="mono small">
              {p.platformProductId}
              {p.platformSkuId ? ` / ${p.platformSkuId}` : ''}
            </td>
            <td className="right" data-testid="push-figure">
              {p.mode === 'delta' && p.platformBefore !== null && p.sentDelta !== null
                ? t('stockPush.deltaFigure', { before: p.platformBefore, target: p.quantity, delta: p.sentDelta > 0 ? `+${p.sentDelta}` : p.sentDelta })
                : p.quantity}
              <span className="muted small"> · {t(`stockPush.mode.${p.mode}`)}</span>
            </td>
            <td>
              <span className={`stock-chip push-${p.state}`}>{t(`stockPush.state.${p.state}`)}</span>
              {p.lockedByPromotion && <span className="stock-chip push-refused">{t('stockPush.locked')}</span>}
            </td>
            <td className="right">{p.attempts}</td>
            <td className="small" data-testid="push-words">
              {words(p) ?? ''}
            </td>
          </tr>
        ))}
      </ListTable>
      <PushAllocations shops={shops ?? []} />
      {preview && (
        <FormDialog title={t('stockPush.previewTitle')} onClose={() => setPreview(null)} testId="pushes-preview-dialog" wide confirmLabel={t('common.close')} onConfirm={() => setPreview(null)}>
          <PreviewTable run={preview} />
        </FormDialog>
      )}
    </div>
  );
}

function PreviewTable({ run }: { run: StockPushRun }) {
  const { t } = useTranslation();
  const changed = run.figures.filter((f) => f.changed);
  const shown = changed.slice(0, PREVIEW_ROWS);
  return (
    <>
      <p className="muted small" data-testid="pushes-preview-summary">
        {t('stockPush.previewSummary', { targets: run.figures.length, written: run.written, shown: shown.length })}
      </p>
      <ListTable
        testId="pushes-preview-table"
        columns={[{ label: t('stockPush.colShop') }, { label: t('stockPush.colSku') }, { label: t('stockPush.colPlatformSku') }, { label: t('stockPush.colWas'), align: 'right' }, { label: t('stockPush.colFigure'), align: 'right' }]}
        rows={shown}
        empty={t('stockPush.previewNone')}
      >
        {shown.map((f) => (
          <tr key={`${f.shopId}/${f.platformProductId}/${f.platformSkuId}`} data-testid="preview-row">
            <td>{f.shopName}</td>
            <td className="mono">{f.sku}</td>
            <td className="mono small">
              {f.platformProductId}
              {f.platformSkuId ? ` / ${f.platformSkuId}` : ''}
            </td>
            <td className="right muted">{f.told ?? '—'}</td>
            <td className="right">{f.quantity}</td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}
