// 库存同步: the stock figures sent to each shop, newest first — the state of each push, the figure
// (for a delta: what the platform showed, the target and the change sent), and the platform's words
// for a refusal or failure — with "push now", a preview of what would be sent, and the allocation
// editor (PushAllocations.tsx) below. A round writes a row per changed platform SKU of every shop, so
// the list is virtualised like the order table: only the rows on screen are drawn.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
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
/** The newest pushes one screen loads (the API's cap is 10,000); a shop or state filter narrows them. */
const LIMIT = 5000;
const ROW_HEIGHT = 29;

const COLUMNS = [
  { id: 'at', label: 'stockPush.colAt', width: 120 },
  { id: 'shop', label: 'stockPush.colShop', width: 120 },
  { id: 'sku', label: 'stockPush.colSku', grow: true },
  { id: 'platformSku', label: 'stockPush.colPlatformSku', width: 190 },
  { id: 'figure', label: 'stockPush.colFigure', width: 170, right: true },
  { id: 'state', label: 'stockPush.colState', width: 130 },
  { id: 'attempts', label: 'stockPush.colAttempts', width: 56, right: true },
  { id: 'words', label: 'stockPush.colWords', width: 240 },
] as const;
type ColumnId = (typeof COLUMNS)[number]['id'];

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
  const { data, reload } = useQuery('stock.pushes', { ...(shopId ? { shopId } : {}), ...(states ? { states } : {}), limit: LIMIT });
  const rows = data ?? [];
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });

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

  const cell = (c: ColumnId, p: StockPushView) => {
    switch (c) {
      case 'at':
        return time(p.createdAt);
      case 'shop':
        return p.shopName;
      case 'sku':
        return (
          <>
            <span className="mono">{p.sku}</span> <span className="muted small">{p.title}</span>
          </>
        );
      case 'platformSku':
        return `${p.platformProductId}${p.platformSkuId ? ` / ${p.platformSkuId}` : ''}`;
      case 'figure':
        return (
          <>
            {p.mode === 'delta' && p.platformBefore !== null && p.sentDelta !== null
              ? t('stockPush.deltaFigure', { before: p.platformBefore, target: p.quantity, delta: p.sentDelta > 0 ? `+${p.sentDelta}` : p.sentDelta })
              : p.quantity}
            <span className="muted small"> · {t(`stockPush.mode.${p.mode}`)}</span>
          </>
        );
      case 'state':
        return (
          <>
            <span className={`stock-chip push-${p.state}`}>{t(`stockPush.state.${p.state}`)}</span>
            {p.lockedByPromotion && <span className="stock-chip push-refused">{t('stockPush.locked')}</span>}
          </>
        );
      case 'attempts':
        return p.attempts;
      case 'words':
        return words(p) ?? '';
    }
  };
  // The words are often longer than their column: the whole of them on hover.
  const cellProps = (c: ColumnId, p: StockPushView) =>
    c === 'figure' ? { 'data-testid': 'push-figure' } : c === 'words' ? { 'data-testid': 'push-words', title: words(p) ?? undefined } : c === 'sku' ? { title: `${p.sku} ${p.title}` } : {};

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
      <div className="stock-table stock-pushes-table" ref={scrollRef} role="grid" aria-rowcount={rows.length} data-testid="pushes-table">
        <div className="thead" role="row">
          {COLUMNS.map((c) => (
            <div key={c.id} role="columnheader" className={columnClass(c)} style={'width' in c ? { width: c.width } : undefined}>
              {t(c.label)}
            </div>
          ))}
        </div>
        <div className="tbody" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const p = rows[item.index]!;
            return (
              <div
                key={p.id}
                role="row"
                className={`trow${item.index % 2 ? ' odd' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="push-row"
                data-state={p.state}
                data-sku={p.sku}
              >
                {COLUMNS.map((c) => (
                  <div key={c.id} role="cell" className={`${columnClass(c)} cell-${c.id}`} style={'width' in c ? { width: c.width } : undefined} {...cellProps(c.id, p)}>
                    {cell(c.id, p)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {data && rows.length === 0 && (
          <div className="empty" data-testid="pushes-empty">
            {t('stockPush.empty')}
          </div>
        )}
      </div>
      <PushAllocations shops={shops ?? []} />
      {preview && (
        <FormDialog title={t('stockPush.previewTitle')} onClose={() => setPreview(null)} testId="pushes-preview-dialog" wide confirmLabel={t('common.close')} onConfirm={() => setPreview(null)}>
          <PreviewTable run={preview} />
        </FormDialog>
      )}
    </div>
  );
}

function columnClass(c: (typeof COLUMNS)[number]): string {
  return `cell${'grow' in c ? ' grow' : ''}${'right' in c ? ' right' : ''}`;
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
