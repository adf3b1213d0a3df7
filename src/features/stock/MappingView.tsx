// 商品对应: every shop's platform SKUs and the local SKU each stands for, unmapped first — filtered
// by shop, unmapped and a search, virtualised. Select rows to map them to a SKU (a picker searching
// the catalogue) or unmap them; auto-match by outer code; pull the shops' listings now; import a
// mapping file with its per-row report, export (all or the unmapped, to fill in and import back);
// edit bundles (组合装). A shop whose latest pull failed is named above the table with why.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MappingKey, MappingPullShop, MappingView as MappingRow } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { formatTime } from '../../i18n/format.ts';
import { downloadBase64 } from '../orders/batch/download.ts';
import { describeSyncError } from '../shops/sync-words.ts';
import { MappingBundlesDialog } from './MappingBundlesDialog.tsx';
import { MappingImportDialog } from './MappingImportDialog.tsx';
import { MappingSkuPicker } from './MappingSkuPicker.tsx';
import './mapping.css';

const ROW_HEIGHT = 29;
/** Rows one screen loads: a filter narrows past it (the count says so). */
const LIMIT = 5000;

const keyOf = (r: MappingKey): string => `${r.shopId}\u0000${r.platformProductId}\u0000${r.platformSkuId}`;

const COLUMNS = [
  { id: 'pick', width: 32 },
  { id: 'shop', label: 'mapping.colShop', width: 120 },
  { id: 'title', label: 'mapping.colTitle', grow: true },
  { id: 'spec', label: 'mapping.colSpec', width: 150 },
  { id: 'outer', label: 'mapping.colOuterCode', width: 140 },
  { id: 'ids', label: 'mapping.colPlatformSku', width: 170 },
  { id: 'sku', label: 'mapping.colSku', width: 200 },
  { id: 'by', label: 'mapping.colBy', width: 80 },
] as const;
type ColumnId = (typeof COLUMNS)[number]['id'];

export function MappingView() {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const report = useReportError();
  const canSet = useCan('mapping.set');
  const canExport = useCan('mapping.export');
  const [shopId, setShopId] = useState('');
  const [unmappedOnly, setUnmappedOnly] = useState(false);
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);
  const { data: shops } = useQuery('shops.list', {});
  const { data } = useQuery('mapping.list', { ...(shopId ? { shopId } : {}), ...(unmappedOnly ? { unmapped: true } : {}), ...(q ? { q } : {}), limit: LIMIT });
  const rows = useMemo(() => data?.rows ?? [], [data]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // A selection only ever names rows on screen.
  useEffect(() => {
    setSelected((s) => {
      if (s.size === 0) return s;
      const shown = new Set(rows.map(keyOf));
      const kept = new Set([...s].filter((k) => shown.has(k)));
      return kept.size === s.size ? s : kept;
    });
  }, [rows]);
  const [picking, setPicking] = useState<MappingKey[] | null>(null);
  const [importing, setImporting] = useState(false);
  const [bundles, setBundles] = useState(false);
  const [pulling, setPulling] = useState(false);
  const [pulled, setPulled] = useState<MappingPullShop[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [showQuarantined, setShowQuarantined] = useState(false);
  // Products the last pulls could not read: kept, and shown until a pull reads them.
  const quarantined = (data?.lastPulls ?? []).reduce((n, p) => n + p.quarantinedCount, 0);
  const shopName = (id: string) => shops?.find((s) => s.id === id)?.name ?? id;
  // When each active shop's listing was last pulled whole (by hand or on the background schedule).
  const activeShops = (shops ?? []).filter((s) => s.state === 'active' && (!shopId || s.id === shopId));
  const lastPulls = activeShops
    .map((s) => {
      const at = data?.lastPulls.find((p) => p.shopId === s.id)?.at;
      return at === undefined ? t('mapping.neverPulled', { shop: s.name }) : t('mapping.lastPulled', { shop: s.name, at: formatTime(at) });
    })
    .join('\n');
  // A shop whose latest pull failed (a scheduled one nobody watched above all) is said on screen,
  // in words with what to do, until one of its pulls completes.
  const failedPulls = (data?.failedPulls ?? []).filter((p) => activeShops.some((s) => s.id === p.shopId));

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();

  const selectedKeys = (): MappingKey[] =>
    rows.filter((r) => selected.has(keyOf(r))).map((r) => ({ shopId: r.shopId, platformProductId: r.platformProductId, platformSkuId: r.platformSkuId }));
  const toggle = (r: MappingRow) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(keyOf(r))) next.add(keyOf(r));
      return next;
    });
  const allSelected = rows.length > 0 && selected.size === rows.length;

  const unmap = async () => {
    setBusy(true);
    try {
      const r = await api.call('mapping.set', { rows: selectedKeys(), sku: null });
      toast({ kind: 'success', text: t('mapping.unmapDone', { changed: r.changed }) });
      setSelected(new Set());
    } catch (err) {
      report(err, 'mapping.set');
    } finally {
      setBusy(false);
    }
  };
  const autoMatch = async () => {
    setBusy(true);
    try {
      const r = await api.call('mapping.autoMatch', shopId ? { shopId } : {});
      toast({ kind: 'success', text: t('mapping.autoDone', { changed: r.changed, rechecked: r.rechecked }) });
    } catch (err) {
      report(err, 'mapping.autoMatch');
    } finally {
      setBusy(false);
    }
  };
  const pull = async () => {
    setPulling(true);
    try {
      const r = await api.call('mapping.pull', shopId ? { shopId } : {});
      setPulled(r.shops);
    } catch (err) {
      report(err, 'mapping.pull');
    } finally {
      setPulling(false);
    }
  };
  const download = (unmapped: boolean) =>
    api.call('mapping.export', { ...(shopId ? { shopId } : {}), ...(unmapped ? { unmapped: true } : {}) }).then(
      (f) => downloadBase64(f.fileName, f.mime, f.base64),
      (err) => report(err, 'mapping.export'),
    );

  const cell = (c: ColumnId, r: MappingRow) => {
    switch (c) {
      case 'pick':
        return <input type="checkbox" aria-label={r.title} data-testid="mapping-pick" checked={selected.has(keyOf(r))} onChange={() => toggle(r)} />;
      case 'shop':
        return r.shopName;
      case 'title':
        return (
          <>
            <span title={r.title}>{r.title}</span>
            {r.delisted && (
              <span className="stock-mark unmapped" title={t('mapping.delistedHint')} data-testid="mapping-delisted">
                {t('mapping.delisted')}
              </span>
            )}
          </>
        );
      case 'spec':
        return r.spec ?? '';
      case 'outer':
        return <span className="mono">{r.outerCode ?? r.productOuterCode ?? ''}</span>;
      case 'ids':
        return (
          <span className="mono muted" title={`${r.platformProductId} / ${r.platformSkuId || t('mapping.noSku')}`}>
            {r.platformSkuId || `${r.platformProductId} ${t('mapping.noSku')}`}
          </span>
        );
      case 'sku':
        return r.sku === null ? (
          canSet ? (
            <button type="button" className="stock-link" data-testid="mapping-map-one" onClick={() => setPicking([r])}>
              <span className="stock-mark unmapped">{t('mapping.unmapped')}</span>
            </button>
          ) : (
            <span className="stock-mark unmapped">{t('mapping.unmapped')}</span>
          )
        ) : (
          <span title={`${r.skuTitle ?? ''} ${r.skuSpec ?? ''}`}>
            {canSet ? (
              <button type="button" className="stock-link mono" data-testid="mapping-map-one" onClick={() => setPicking([r])}>
                {r.sku}
              </button>
            ) : (
              <span className="mono">{r.sku}</span>
            )}
            {r.skuIsBundle && <span className="stock-mark low">{t('mapping.bundleMark')}</span>}
          </span>
        );
      case 'by':
        return r.matchedBy ? t(`mapping.by.${r.matchedBy}`) : '';
    }
  };

  return (
    <div className="stock-view mapping-view" data-testid="mapping-view">
      <div className="stock-toolbar">
        <select aria-label={t('mapping.filterShop')} data-testid="mapping-filter-shop" value={shopId} onChange={(e) => setShopId(e.target.value)}>
          <option value="">{t('mapping.allShops')}</option>
          {shops?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" data-testid="mapping-filter-unmapped" checked={unmappedOnly} onChange={(e) => setUnmappedOnly(e.target.checked)} />
          {t('mapping.unmappedOnly')}
        </label>
        <input type="search" data-testid="mapping-search" placeholder={t('mapping.searchHint')} aria-label={t('mapping.searchHint')} value={typed} onChange={(e) => setTyped(e.target.value)} />
        <span className="muted" data-testid="mapping-counts" data-total={data?.total ?? ''} data-unmapped={data?.unmapped ?? ''}>
          {data ? t('mapping.counts', { total: data.total, unmapped: data.unmapped }) : t('mapping.loading')}
          {data && data.total > rows.length ? ` ${t('mapping.showingFirst', { count: rows.length })}` : ''}
        </span>
        {quarantined > 0 && (
          <button type="button" className="stock-link" data-testid="mapping-quarantined" onClick={() => setShowQuarantined(true)}>
            <span className="stock-mark out">{t('mapping.quarantinedCount', { count: quarantined })}</span>
          </button>
        )}
        <span className="fill" />
        {canSet && (
          <>
            <button type="button" data-testid="mapping-pull" disabled={pulling} onClick={() => void pull()} title={lastPulls ? `${t('mapping.lastPullsTitle')}\n${lastPulls}` : undefined}>
              {pulling ? t('mapping.pulling') : t('mapping.pull')}
            </button>
            <button type="button" data-testid="mapping-auto" disabled={busy} onClick={() => void autoMatch()}>
              {t('mapping.autoMatch')}
            </button>
            <button type="button" data-testid="mapping-import" onClick={() => setImporting(true)}>
              {t('mapping.import')}
            </button>
          </>
        )}
        {canExport && (
          <>
            <button type="button" data-testid="mapping-export-unmapped" onClick={() => void download(true)}>
              {t('mapping.exportUnmapped')}
            </button>
            <button type="button" data-testid="mapping-export" onClick={() => void download(false)}>
              {t('mapping.export')}
            </button>
          </>
        )}
        <button type="button" data-testid="mapping-bundles" onClick={() => setBundles(true)}>
          {t('mapping.bundles')}
        </button>
      </div>
      {failedPulls.length > 0 && (
        <ul className="mapping-pull-failed" data-testid="mapping-pull-failed">
          {failedPulls.map((p) => (
            <li key={p.shopId} data-testid="mapping-pull-failed-shop" data-shop={p.shopId} data-kind={p.error.kind} title={`${p.error.code}: ${p.error.message}`}>
              <span className="stock-mark out">{t('mapping.pullFailedMark')}</span>
              {t(p.scheduled ? 'mapping.pullFailedScheduled' : 'mapping.pullFailedByHand', { shop: shopName(p.shopId), at: formatTime(p.at) })}
              {describeSyncError(t, p.error)}
              {p.retryAt !== null && <span className="muted">{t('mapping.pullRetryAt', { at: formatTime(p.retryAt) })}</span>}
            </li>
          ))}
        </ul>
      )}
      {canSet && selected.size > 0 && (
        <div className="stock-toolbar mapping-selection" data-testid="mapping-selection">
          <span>{t('mapping.selected', { count: selected.size })}</span>
          <button type="button" className="primary" data-testid="mapping-map-selected" onClick={() => setPicking(selectedKeys())}>
            {t('mapping.mapTo')}
          </button>
          <button type="button" data-testid="mapping-unmap-selected" disabled={busy} onClick={() => void unmap()}>
            {t('mapping.unmap')}
          </button>
        </div>
      )}
      <div className="stock-table" ref={scrollRef} role="grid" aria-rowcount={rows.length} data-testid="mapping-table">
        <div className="thead" role="row">
          {COLUMNS.map((c) => (
            <div key={c.id} role="columnheader" className={`cell${'grow' in c ? ' grow' : ''}`} style={'width' in c ? { width: c.width } : undefined}>
              {c.id === 'pick' ? (
                canSet && (
                  <input
                    type="checkbox"
                    data-testid="mapping-pick-all"
                    aria-label={t('mapping.selected', { count: rows.length })}
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map(keyOf)))}
                  />
                )
              ) : (
                t(c.label)
              )}
            </div>
          ))}
        </div>
        <div className="tbody" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const r = rows[item.index]!;
            return (
              <div
                key={keyOf(r)}
                role="row"
                className={`trow${item.index % 2 ? ' odd' : ''}${selected.has(keyOf(r)) ? ' picked' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="mapping-row"
                data-sku={r.sku ?? ''}
                data-platform-sku={r.platformSkuId}
                data-product={r.platformProductId}
              >
                {COLUMNS.map((c) => (
                  <div key={c.id} role="cell" className={`cell cell-${c.id}${'grow' in c ? ' grow' : ''}`} style={'width' in c ? { width: c.width } : undefined}>
                    {c.id === 'pick' && !canSet ? null : cell(c.id, r)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {rows.length === 0 && (
          <div className="empty" data-testid="mapping-empty">
            {!data ? t('mapping.loading') : shopId || unmappedOnly || q ? t('mapping.emptyFiltered') : t('mapping.empty')}
          </div>
        )}
      </div>
      {picking && (
        <MappingSkuPicker
          rows={picking}
          onClose={() => setPicking(null)}
          onDone={() => {
            setPicking(null);
            setSelected(new Set());
          }}
        />
      )}
      {importing && <MappingImportDialog onClose={() => setImporting(false)} />}
      {bundles && <MappingBundlesDialog onClose={() => setBundles(false)} />}
      {showQuarantined && data && (
        <Dialog title={t('mapping.quarantinedTitle')} onClose={() => setShowQuarantined(false)} testId="mapping-quarantined-dialog" wide>
          <p className="muted small">{t('mapping.quarantinedHint')}</p>
          <ul className="mapping-pull-list">
            {data.lastPulls
              .filter((p) => p.quarantinedCount > 0)
              .map((p) => (
                <li key={p.shopId}>
                  {shopName(p.shopId)}
                  <ul>
                    {p.quarantined.map((q, i) => (
                      <li key={i} className="small" data-testid="mapping-quarantined-item">
                        {t('mapping.quarantinedItem', { id: q.platformProductId ?? '?', reason: q.reason })}
                      </li>
                    ))}
                    {p.quarantinedCount > p.quarantined.length && <li className="muted small">{t('mapping.quarantinedMore', { count: p.quarantinedCount - p.quarantined.length })}</li>}
                  </ul>
                </li>
              ))}
          </ul>
        </Dialog>
      )}
      {pulled && (
        <Dialog title={t('mapping.pullTitle')} onClose={() => setPulled(null)} testId="mapping-pull-result">
          <ul className="mapping-pull-list">
            {pulled.map((s) => (
              <li key={s.shopId} data-testid="mapping-pull-shop" data-error={s.error === null ? '' : 'yes'}>
                {s.error === null
                  ? t('mapping.pullShop', { shop: s.shopName, listed: s.listed, added: s.added, autoMatched: s.autoMatched, quarantined: s.quarantinedCount, delisted: s.delisted })
                  : t('mapping.pullFailed', { shop: s.shopName, error: s.error })}
                {s.quarantined.length > 0 && (
                  <ul>
                    {s.quarantined.map((q, i) => (
                      <li key={i} className="muted small">
                        {t('mapping.quarantinedItem', { id: q.platformProductId ?? '?', reason: q.reason })}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </Dialog>
      )}
    </div>
  );
}
