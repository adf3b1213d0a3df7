// One SKU (#stock/sku/<code>): its catalogue fields and barcodes, its figures in each warehouse,
// its ledger timeline with running balances and correction links (a keeper may correct a mistaken
// movement), where its stock went (reservations with their orders), the platform SKUs mapped to
// it, its components when it is a 组合装, and on a station joined to a hub its 离线配额.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MovementView, SkuView } from '../../../electron/shared/contract.ts';
import { useQuery } from '../../api/use-query.ts';
import { useNav } from '../../app/nav-store.ts';
import { useCan } from '../../app/session-store.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatFen, formatTime } from '../../i18n/format.ts';
import { CorrectMovementDialog } from './CorrectMovementDialog.tsx';
import { OfflineQuotaSection } from './OfflineQuotaSection.tsx';
import { formatCover } from './stock-words.ts';

const LEDGER_LIMIT = 500;

export function SkuDetailView({ code }: { code: string }) {
  const { t } = useTranslation();
  const openStock = useNav((s) => s.openStock);
  const { data: scanned } = useQuery('skus.scan', { code });
  const sku = scanned?.sku;
  // An address naming a barcode: show its SKU under its own code.
  useEffect(() => {
    if (sku && sku.code !== code) openStock('sku', sku.code);
  }, [sku, code, openStock]);
  if (scanned && scanned.sku === null) {
    return (
      <div className="stock-view stock-detail" data-testid="sku-detail-missing">
        <p className="stock-detail-note">{t('stock.skuMissing', { code })}</p>
        <button type="button" onClick={() => openStock('list')}>
          {t('stock.backToList')}
        </button>
      </div>
    );
  }
  // The figures and the ledger are asked for only once the code is known to be a SKU's.
  return sku && sku.code === code ? <SkuDetail code={code} sku={sku} /> : <div className="stock-view stock-detail" aria-busy="true" />;
}

function SkuDetail({ code, sku }: { code: string; sku: SkuView }) {
  const { t } = useTranslation();
  const openStock = useNav((s) => s.openStock);
  const canCorrect = useCan('stock.correct');
  const { data: figures } = useQuery('stock.list', { sku: code, limit: 100 });
  const { data: ledger } = useQuery('stock.ledger', { sku: code, limit: LEDGER_LIMIT });
  const { data: reservations } = useQuery('stock.reservations', { sku: code, limit: 200 });
  const { data: mappings } = useQuery('mapping.list', { sku: code, limit: 500 });
  const { data: bundles } = useQuery('bundles.list', { sku: code });
  const [correcting, setCorrecting] = useState<MovementView | null>(null);
  const mine = mappings?.rows.filter((m) => m.sku === code) ?? [];
  const bundle = bundles?.find((b) => b.sku === code);
  // Ledger rows by id, so a correction can name the row it reverses.
  const shortId = (id: string) => id.slice(-6);

  return (
    <div className="stock-view stock-detail" data-testid="sku-detail" data-sku={code}>
      <div className="stock-detail-head">
        <button type="button" className="stock-link" data-testid="sku-back" onClick={() => openStock('list')}>
          ← {t('stock.backToList')}
        </button>
        <h2>
          <span className="mono">{code}</span> {sku.title} <span className="muted">{sku.spec}</span>
        </h2>
        {bundle && <Badge tone="info">{t('stock.bundle')}</Badge>}
      </div>
      <div className="stock-detail-body">
        <section className="stock-card" data-testid="sku-fields">
          <dl className="stock-fields">
            <dt>{t('stock.barcodes')}</dt>
            <dd className="mono" data-testid="sku-barcodes">
              {sku.barcodes.length ? sku.barcodes.join('  ') : '—'}
            </dd>
            <dt>{t('stock.location')}</dt>
            <dd>{sku.location ?? '—'}</dd>
            <dt>{t('stock.cost')}</dt>
            <dd>{sku.costFen != null ? formatFen(sku.costFen) : '—'}</dd>
            <dt>{t('stock.weight')}</dt>
            <dd>{sku.weightG != null ? `${sku.weightG} g` : '—'}</dd>
            <dt>{t('stock.colSafety')}</dt>
            <dd>{sku.safetyStock ?? '—'}</dd>
            <dt>{t('stock.threshold')}</dt>
            <dd>{sku.lowStockThreshold ?? '—'}</dd>
          </dl>
          <table className="shops-table stock-figures" data-testid="sku-figures">
            <thead>
              <tr>
                <th>{t('stock.colWarehouse')}</th>
                <th className="right">{t('stock.colOnHand')}</th>
                <th className="right">{t('stock.colReserved')}</th>
                <th className="right">{t('stock.colAvailable')}</th>
              </tr>
            </thead>
            <tbody>
              {figures?.map((r) => (
                <tr key={r.warehouse} data-testid="sku-figure-row" data-warehouse={r.warehouse}>
                  <td>{r.warehouse}</td>
                  <td className="right" data-testid="sku-on-hand">
                    {r.onHand}
                  </td>
                  <td className="right">{r.reserved}</td>
                  <td className={`right${r.available < 0 ? ' stock-negative' : ''}`}>{r.available}</td>
                </tr>
              ))}
            </tbody>
            {figures?.[0] && (
              <tfoot>
                {/* A warehouse's available is its free units; the SKU's safety stock is held back once, here. */}
                <tr data-testid="sku-total-available">
                  <td colSpan={3}>{t('stock.skuTotalAvailable', { safety: figures[0].safety })}</td>
                  <td className={`right${figures[0].skuAvailable < 0 ? ' stock-negative' : ''}`}>{figures[0].skuAvailable}</td>
                </tr>
              </tfoot>
            )}
          </table>
          {figures?.[0] && (
            <p className="muted small" data-testid="sku-cover">
              {t('stock.coverLine', { perDay: figures[0].perDay.toFixed(1), days: formatCover(figures[0].daysOfCover) })}
            </p>
          )}
          {bundle && (
            <>
              <h3>{t('stock.components')}</h3>
              <ul className="stock-list-plain" data-testid="sku-components">
                {bundle.components.map((c) => (
                  <li key={c.sku}>
                    <button type="button" className="stock-link mono" onClick={() => openStock('sku', c.sku)}>
                      {c.sku}
                    </button>{' '}
                    {c.title} {c.spec} × {c.quantity}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t('stock.mappings')}</h3>
          {mine.length === 0 ? (
            <p className="muted small" data-testid="sku-no-mappings">
              {t('stock.noMappings')}
            </p>
          ) : (
            <ul className="stock-list-plain" data-testid="sku-mappings">
              {mine.map((m) => (
                <li key={`${m.shopId}/${m.platformProductId}/${m.platformSkuId}`}>
                  {m.shopName} · <span className="mono">{m.platformSkuId || m.platformProductId}</span> {m.title} {m.spec ?? ''}
                </li>
              ))}
            </ul>
          )}
          <OfflineQuotaSection code={code} />
        </section>
        <section className="stock-card stock-timeline" data-testid="sku-ledger">
          <h3>{t('stock.ledger')}</h3>
          <div className="stock-scroll">
            <table className="shops-table">
              <thead>
                <tr>
                  <th>{t('stock.at')}</th>
                  <th>{t('stock.colWarehouse')}</th>
                  <th>{t('stock.reason')}</th>
                  <th className="right">{t('stock.delta')}</th>
                  <th className="right">{t('stock.balance')}</th>
                  <th>{t('stock.reference')}</th>
                  <th>{t('stock.actor')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {ledger?.length === 0 && (
                  <tr>
                    <td colSpan={8} className="muted" data-testid="sku-ledger-empty">
                      {t('stock.noMovements')}
                    </td>
                  </tr>
                )}
                {ledger?.map((m) => (
                  <tr key={m.id} id={`mv-${m.id}`} data-testid="ledger-row" data-reason={m.reason} data-delta={m.delta} data-balance={m.balance} className={m.correctedBy ? 'stock-corrected' : undefined}>
                    <td className="nowrap">{formatTime(m.at)}</td>
                    <td>{m.warehouse}</td>
                    <td>
                      {t(`movementReason.${m.reason}`)} <span className="muted small mono">#{shortId(m.id)}</span>
                    </td>
                    <td className={`right${m.delta < 0 ? ' stock-negative' : ''}`}>{m.delta > 0 ? `+${m.delta}` : m.delta}</td>
                    <td className="right">{m.balance}</td>
                    <td className="small">
                      {[m.reference, m.note].filter(Boolean).join(' · ')}
                      {m.correctsId && (
                        <a className="stock-link small" href={`#stock/sku/${encodeURIComponent(code)}`} data-testid="ledger-corrects" onClick={(e) => (e.preventDefault(), document.getElementById(`mv-${m.correctsId}`)?.scrollIntoView({ block: 'center' }))}>
                          {' '}
                          {t('stock.corrects', { id: shortId(m.correctsId) })}
                        </a>
                      )}
                      {m.correctedBy && (
                        <a className="stock-link small" href={`#stock/sku/${encodeURIComponent(code)}`} data-testid="ledger-corrected-by" onClick={(e) => (e.preventDefault(), document.getElementById(`mv-${m.correctedBy}`)?.scrollIntoView({ block: 'center' }))}>
                          {' '}
                          {t('stock.correctedBy', { id: shortId(m.correctedBy) })}
                        </a>
                      )}
                    </td>
                    <td className="small">{m.actor}</td>
                    <td>
                      {canCorrect && !m.correctedBy && m.reason !== 'correction' && (
                        <button type="button" className="small" data-testid="ledger-correct" onClick={() => setCorrecting(m)}>
                          {t('stock.correct')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {ledger?.length === LEDGER_LIMIT && <p className="muted small">{t('stock.ledgerCapped', { count: LEDGER_LIMIT })}</p>}
          </div>
          <h3>{t('stock.whereWent')}</h3>
          <div className="stock-scroll short">
            <table className="shops-table" data-testid="sku-reservations">
              <thead>
                <tr>
                  <th>{t('stock.at')}</th>
                  <th>{t('stock.order')}</th>
                  <th>{t('stock.shop')}</th>
                  <th>{t('stock.colWarehouse')}</th>
                  <th className="right">{t('stock.quantity')}</th>
                  <th>{t('stock.state')}</th>
                </tr>
              </thead>
              <tbody>
                {reservations?.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted">
                      {t('stock.noReservations')}
                    </td>
                  </tr>
                )}
                {reservations?.map((r) => (
                  <tr key={r.id} data-testid="reservation-row" data-state={r.state}>
                    <td className="nowrap">{formatTime(r.settledAt ?? r.createdAt)}</td>
                    <td className="mono">{r.platformOrderId ?? '—'}</td>
                    <td>{r.shopName ?? '—'}</td>
                    <td>{r.warehouse}</td>
                    <td className="right">{r.quantity}</td>
                    <td>
                      <Badge tone={r.state === 'held' ? 'warning' : r.state === 'shipped' ? 'success' : 'muted'}>{t(`reservationState.${r.state}`)}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
      {correcting && <CorrectMovementDialog movement={correcting} onClose={() => setCorrecting(null)} />}
    </div>
  );
}
