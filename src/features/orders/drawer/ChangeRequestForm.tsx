// Ask for a price or quantity change on one order line (approved later by an owner/operator).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderItemView } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useToasts } from '../../../app/toast-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { formatFen } from '../../../i18n/format.ts';
import { yuanToFen } from '../../../../electron/shared/money.ts';

/** A unit price typed in yuan ("12.5") → 1250 fen; null when it is not a non-negative amount. */
export function priceToFen(text: string): number | null {
  try {
    const fen = yuanToFen(text);
    return fen < 0 ? null : fen;
  } catch {
    return null;
  }
}

export function ChangeRequestForm({ orderId, item, onDone }: { orderId: string; item: OrderItemView; onDone(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const [kind, setKind] = useState<'price' | 'quantity'>('price');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const parsed = kind === 'price' ? priceToFen(value) : /^\s*\d+\s*$/.test(value) ? Number(value) : null;
  const ok = parsed !== null && reason.trim().length > 0;

  const submit = async () => {
    if (parsed === null) return;
    setBusy(true);
    try {
      await api.call('orders.requestChange', { id: orderId, lineNo: item.lineNo, kind, value: parsed, reason: reason.trim() });
      push({ kind: 'success', text: t('drawer.changeRequested') });
      onDone();
    } catch (err) {
      report(err, 'orders.requestChange');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sub-form" data-testid="change-request-form">
      <div className="muted small">
        {t('drawer.changeFor', { title: item.title, price: formatFen(item.unitPriceFen), qty: item.quantity })}
      </div>
      <div className="inline-form">
        <select value={kind} onChange={(e) => setKind(e.target.value as 'price' | 'quantity')} data-testid="change-kind">
          <option value="price">{t('drawer.changePrice')}</option>
          <option value="quantity">{t('drawer.changeQty')}</option>
        </select>
        <input
          data-testid="change-value"
          inputMode="decimal"
          value={value}
          placeholder={kind === 'price' ? t('drawer.newPriceYuan') : t('drawer.newQty')}
          onChange={(e) => setValue(e.target.value)}
        />
        <input data-testid="change-reason" value={reason} maxLength={200} placeholder={t('drawer.reason')} onChange={(e) => setReason(e.target.value)} />
        <button type="button" className="primary" data-testid="change-submit" disabled={!ok || busy} onClick={() => void submit()}>
          {t('drawer.submitRequest')}
        </button>
      </div>
    </div>
  );
}
