// 退货入库 at the packing station: the returned parcel's order, found through the workbench's search
// (its order number typed or scanned), opens here; each shipped line with a local SKU can put N units
// back into the warehouse it left from, with a reason (stock.return, which refuses more than the line had).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail, OrderItemView } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../app/session-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { Section } from './Section.tsx';

const shipped = (o: OrderDetail): boolean => o.stage === 'shipped' || o.status === 'shipped' || o.status === 'completed';

function ReturnLine({ order, line }: { order: OrderDetail; line: OrderItemView }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const submit = async () => {
    setBusy(true);
    try {
      await api.call('stock.return', { orderId: order.id, lineNo: line.lineNo, quantity, ...(note.trim() ? { note: note.trim() } : {}) });
      setDone((d) => (d ?? 0) + quantity);
    } catch (err) {
      report(err, 'stock.return');
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-testid="return-line" data-line={line.lineNo}>
      <div>
        #{line.lineNo} {line.outerSkuCode ?? line.title} × {line.quantity}
      </div>
      <div className="inline-form">
        <input
          type="number"
          min={1}
          max={line.quantity}
          value={quantity}
          aria-label={t('stock.returnQuantity')}
          data-testid="return-quantity"
          onChange={(e) => setQuantity(Math.max(1, Math.min(line.quantity, Math.trunc(Number(e.target.value)) || 1)))}
        />
        <input type="text" value={note} maxLength={200} placeholder={t('stock.returnReason')} aria-label={t('stock.returnReason')} data-testid="return-reason" onChange={(e) => setNote(e.target.value)} />
        <button type="button" className="primary" data-testid="return-submit" disabled={busy} onClick={() => void submit()}>
          {t('stock.returnSubmit')}
        </button>
      </div>
      {done !== null && (
        <div className="muted small" data-testid="return-done">
          {t('stock.returnDone', { count: done })}
        </div>
      )}
    </li>
  );
}

export function ReturnSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const can = useCan('stock.return');
  const lines = order.items.filter((l) => l.skuId !== null);
  if (!can || !shipped(order) || lines.length === 0) return null;
  return (
    <Section title={t('stock.returnTitle')} testId="drawer-return">
      <ul className="plain-list">
        {lines.map((l) => (
          <ReturnLine key={l.lineNo} order={order} line={l} />
        ))}
      </ul>
    </Section>
  );
}
