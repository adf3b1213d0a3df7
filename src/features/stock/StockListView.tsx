// 库存: one row per SKU and warehouse — on hand, reserved, available, safety stock, days of cover,
// and low / out-of-stock marks (a bundle: its badge, and no figures of its own) — virtualised, filtered by warehouse, low, out of stock, unmapped
// and a search. A SKU code opens its detail.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StockRow } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { downloadBase64 } from '../orders/batch/download.ts';
import { ImportSkusDialog } from './ImportSkusDialog.tsx';
import { formatCover } from './stock-words.ts';
import { STOCK_COLUMNS, type StockColumnId } from './stock-list-columns.ts';
import { useStockList } from './stock-list-store.ts';
import { useStockPages } from './use-stock-pages.ts';

const ROW_HEIGHT = 29;

/** A bundle's figure cell: a dash that says why (its components hold the stock). */
function NoOwnStock() {
  const { t } = useTranslation();
  return (
    <span className="muted" data-testid="stock-bundle-none" title={t('stock.bundleNoStock')}>
      —
    </span>
  );
}

export function StockListView() {
  const { t } = useTranslation();
  const filter = useStockList((s) => s.filter);
  const setFilter = useStockList((s) => s.setFilter);
  const openStock = useNav((s) => s.openStock);
  const { data: warehouses } = useQuery('warehouses.list', {});
  const pages = useStockPages(filter);
  const report = useReportError();
  const canImport = useCan('skus.import');
  const canExport = useCan('skus.export');
  const [importing, setImporting] = useState(false);
  // The search box types freely; the list follows once typing pauses.
  const [q, setQ] = useState(filter.q);
  useEffect(() => {
    const timer = setTimeout(() => setFilter({ q }), 300);
    return () => clearTimeout(timer);
  }, [q, setFilter]);
  const download = (name: 'skus.template' | 'skus.export') =>
    api.call(name, {}).then(
      (f) => downloadBase64(f.fileName, f.mime, f.base64),
      (err) => report(err, name),
    );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: pages.rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? 0;
  const { more, rows, done } = pages;
  // Another filter is another list: start it at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filter]);
  // Within a screenful of the end: fetch the next page.
  useEffect(() => {
    if (!done && rows.length > 0 && lastShown >= rows.length - 40) more();
  }, [lastShown, rows.length, done, more]);

  const cell = (c: StockColumnId, r: StockRow) => {
    switch (c) {
      case 'sku':
        return (
          <button type="button" className="stock-link mono" data-testid="stock-sku-link" onClick={() => openStock('sku', r.sku)}>
            {r.sku}
          </button>
        );
      case 'title':
        return r.title;
      case 'spec':
        return r.spec;
      case 'warehouse':
        return r.warehouse;
      // A bundle's own figures are always nothing: its components hold the stock.
      case 'onHand':
        return r.bundle ? <NoOwnStock /> : r.onHand;
      case 'reserved':
        return r.bundle ? <NoOwnStock /> : r.reserved;
      case 'available':
        return r.bundle ? <NoOwnStock /> : <span className={r.available < 0 ? 'stock-negative' : undefined}>{r.available}</span>;
      case 'safety':
        return r.safety;
      case 'cover':
        return <span title={t('stock.perDay', { n: r.perDay.toFixed(1) })}>{formatCover(r.daysOfCover)}</span>;
      case 'marks':
        if (r.bundle) {
          return (
            <span className="stock-mark bundle" data-testid="stock-mark-bundle" title={t('stock.bundleNoStock')}>
              {t('stock.markBundle')}
            </span>
          );
        }
        return (
          <>
            {r.skuAvailable <= 0 ? (
              <span className="stock-mark out" data-testid="stock-mark-out">
                {t('stock.markOut')}
              </span>
            ) : (
              r.low && (
                <span className="stock-mark low" data-testid="stock-mark-low">
                  {t('stock.markLow')}
                </span>
              )
            )}
            {!r.mapped && (
              <span className="stock-mark unmapped" data-testid="stock-mark-unmapped">
                {t('stock.markUnmapped')}
              </span>
            )}
          </>
        );
    }
  };

  return (
    <div className="stock-view" data-testid="stock-list">
      <div className="stock-toolbar">
        <select aria-label={t('stock.filterWarehouse')} data-testid="stock-filter-warehouse" value={filter.warehouse} onChange={(e) => setFilter({ warehouse: e.target.value })}>
          <option value="">{t('stock.allWarehouses')}</option>
          {warehouses?.map((w) => (
            <option key={w.code} value={w.code}>
              {w.name} ({w.code})
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" data-testid="stock-filter-low" checked={filter.low} onChange={(e) => setFilter({ low: e.target.checked })} />
          {t('stock.filterLow')}
        </label>
        <label>
          <input type="checkbox" data-testid="stock-filter-out" checked={filter.out} onChange={(e) => setFilter({ out: e.target.checked })} />
          {t('stock.filterOut')}
        </label>
        <label>
          <input type="checkbox" data-testid="stock-filter-unmapped" checked={filter.unmapped} onChange={(e) => setFilter({ unmapped: e.target.checked })} />
          {t('stock.filterUnmapped')}
        </label>
        <input type="search" data-testid="stock-search" placeholder={t('stock.searchHint')} aria-label={t('stock.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} />
        <span className="fill" />
        <span className="muted" data-testid="stock-count">
          {done ? t('stock.rowsAll', { count: rows.length }) : t('stock.rowsSoFar', { count: rows.length })}
        </span>
        {canImport && (
          <button type="button" data-testid="sku-import" onClick={() => setImporting(true)}>
            {t('stock.import')}
          </button>
        )}
        <button type="button" data-testid="sku-template" onClick={() => void download('skus.template')}>
          {t('stock.template')}
        </button>
        {canExport && (
          <button type="button" data-testid="sku-export" onClick={() => void download('skus.export')}>
            {t('stock.export')}
          </button>
        )}
      </div>
      <div className="stock-table" ref={scrollRef} role="grid" aria-rowcount={rows.length} data-testid="stock-table">
        <div className="thead" role="row">
          {STOCK_COLUMNS.map((c) => (
            <div key={c.id} role="columnheader" className={`cell${'right' in c ? ' right' : ''}${'grow' in c ? ' grow' : ''}`} style={{ width: c.width }}>
              {t(c.label)}
            </div>
          ))}
        </div>
        <div className="tbody" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const r = rows[item.index]!;
            return (
              <div
                key={`${r.sku}\u0000${r.warehouse}`}
                role="row"
                className={`trow${item.index % 2 ? ' odd' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="stock-row"
                data-sku={r.sku}
                data-warehouse={r.warehouse}
              >
                {STOCK_COLUMNS.map((c) => (
                  <div key={c.id} role="cell" className={`cell cell-${c.id}${'right' in c ? ' right' : ''}${'grow' in c ? ' grow' : ''}`} style={{ width: c.width }}>
                    {cell(c.id, r)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {rows.length === 0 && (
          <div className="empty" data-testid="stock-empty">
            {pages.loading ? t('stock.loading') : t('stock.empty')}
          </div>
        )}
      </div>
      {importing && <ImportSkusDialog onClose={() => setImporting(false)} />}
    </div>
  );
}
