// The order's lines: title, SKU, outer SKU code, gift/bundle marks, quantity and money; each line
// can get a price/quantity change request.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { useCan } from '../../../app/session-store.ts';
import { Badge } from '../../../components/Badge.tsx';
import { formatFen } from '../../../i18n/format.ts';
import { ChangeRequestForm } from './ChangeRequestForm.tsx';
import { Section } from './Section.tsx';

export function ItemsSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const canRequest = useCan('orders.requestChange');
  const [requestLine, setRequestLine] = useState<number | null>(null);
  return (
    <Section title={t('drawer.items', { count: order.items.length })} testId="drawer-items">
      <table className="items-table">
        <thead>
          <tr>
            <th>{t('drawer.itemTitle')}</th>
            <th>{t('drawer.outerSku')}</th>
            <th className="right">{t('drawer.qty')}</th>
            <th className="right">{t('drawer.unitPrice')}</th>
            <th className="right">{t('drawer.linePaid')}</th>
            {canRequest && <th />}
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.lineNo} data-testid="drawer-item">
              <td>
                <div className="item-title">
                  {item.isGift && <Badge tone="success">{t('drawer.gift')}</Badge>}
                  {item.isBundle && <Badge tone="accent">{t('drawer.bundle')}</Badge>}
                  <span>{item.title}</span>
                </div>
                {item.skuName && <div className="muted small">{item.skuName}</div>}
                {item.outerSkuCode && !item.skuId && <div className="warn small">{t('drawer.unmatched')}</div>}
              </td>
              <td className="mono">{item.outerSkuCode ?? '—'}</td>
              <td className="right">{item.quantity}</td>
              <td className="right money">{formatFen(item.unitPriceFen)}</td>
              <td className="right money">{formatFen(item.paidFen)}</td>
              {canRequest && (
                <td>
                  <button type="button" className="link" data-testid="request-change" onClick={() => setRequestLine(requestLine === item.lineNo ? null : item.lineNo)}>
                    {t('drawer.requestChange')}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {requestLine !== null && (
        <ChangeRequestForm
          key={requestLine}
          orderId={order.id}
          item={order.items.find((i) => i.lineNo === requestLine)!}
          onDone={() => setRequestLine(null)}
        />
      )}
    </Section>
  );
}
