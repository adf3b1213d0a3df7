// 查看完整收货信息: the platform decrypts one receiver for a person who gives a reason. The core
// audits it (without the plaintext) and caps it per person per day; the plaintext lives only in this
// component's state and is gone when the drawer closes or another order opens.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail, RevealedReceiver } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useReportError } from '../../../app/use-report-error.ts';

export function RevealReceiver({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const report = useReportError();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ orderId: string; receiver: RevealedReceiver } | null>(null);

  if (revealed && revealed.orderId === order.id) {
    const r = revealed.receiver;
    return (
      <div className="sub-form" data-testid="receiver-revealed">
        <div>{t('reveal.shown')}</div>
        <div>
          {r.name} <span className="mono">{r.phone}</span>
        </div>
        <div>{r.address}</div>
        <button type="button" className="link" onClick={() => setRevealed(null)}>
          {t('reveal.hide')}
        </button>
      </div>
    );
  }
  if (!asking) {
    return (
      <button type="button" className="link" data-testid="receiver-reveal" onClick={() => setAsking(true)}>
        {t('reveal.action')}
      </button>
    );
  }
  const submit = async () => {
    setBusy(true);
    try {
      const receiver = await api.call('orders.revealReceiver', { id: order.id, reason: reason.trim() });
      setRevealed({ orderId: order.id, receiver });
      setAsking(false);
      setReason('');
    } catch (err) {
      report(err, 'orders.revealReceiver');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="sub-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        <span>{t('reveal.reason')}</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('reveal.reasonHint')} data-testid="reveal-reason" autoFocus />
      </label>
      <div className="actions">
        <button type="submit" disabled={busy || !reason.trim()} data-testid="reveal-submit">
          {t('reveal.submit')}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
