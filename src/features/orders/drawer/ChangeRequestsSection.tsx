// Price/quantity change requests of this order; owners and operators approve or reject pending ones.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChangeRequestView, OrderDetail } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useCan, useSession } from '../../../app/session-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { Badge } from '../../../components/Badge.tsx';
import { formatFen, formatTime } from '../../../i18n/format.ts';
import { Section } from './Section.tsx';

const STATE_TONE = { pending: 'warning', approved: 'success', rejected: 'muted' } as const;

function Value({ cr, v }: { cr: ChangeRequestView; v: number }) {
  return <>{cr.kind === 'price' ? formatFen(v) : v}</>;
}

export function ChangeRequestsSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const report = useReportError();
  const canDecide = useCan('changeRequests.decide');
  // Four eyes: the core refuses a decision by the requester, so do not offer it.
  const me = useSession((s) => s.actor?.name);
  const [busy, setBusy] = useState<string | null>(null);
  if (order.changeRequests.length === 0) return null;
  const decide = async (id: string, approve: boolean) => {
    setBusy(id);
    try {
      await api.call('changeRequests.decide', { id, approve });
    } catch (err) {
      report(err, 'changeRequests.decide');
    } finally {
      setBusy(null);
    }
  };
  return (
    <Section title={t('drawer.changeRequests')} testId="drawer-change-requests">
      <ul className="plain-list">
        {order.changeRequests.map((cr) => (
          <li key={cr.id} className="change-request" data-testid="change-request" data-state={cr.state}>
            <div>
              <Badge tone={STATE_TONE[cr.state]}>{t(`changeState.${cr.state}`)}</Badge>{' '}
              {t(cr.kind === 'price' ? 'drawer.changePriceLine' : 'drawer.changeQtyLine', { line: cr.lineNo })}: <Value cr={cr} v={cr.previous} /> → <strong><Value cr={cr} v={cr.value} /></strong>
            </div>
            <div className="muted small">
              {cr.requestedBy} · {formatTime(cr.requestedAt)} · {cr.reason}
              {cr.decidedBy && ` · ${t('drawer.decidedBy', { who: cr.decidedBy, at: formatTime(cr.decidedAt) })}`}
            </div>
            {cr.state === 'pending' && canDecide && cr.requestedBy === me && <div className="muted small">{t('drawer.awaitingOther')}</div>}
            {cr.state === 'pending' && canDecide && cr.requestedBy !== me && (
              <div className="inline-form">
                <button type="button" className="primary" data-testid="change-approve" disabled={busy === cr.id} onClick={() => void decide(cr.id, true)}>
                  {t('drawer.approve')}
                </button>
                <button type="button" data-testid="change-reject" disabled={busy === cr.id} onClick={() => void decide(cr.id, false)}>
                  {t('drawer.reject')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
