// The audit trail of the order: who did what, when, what changed and why.
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { formatTime } from '../../../i18n/format.ts';
import { Section } from './Section.tsx';

/** i18next splits keys on '.', so "orders.hold" is looked up as "orders_hold". */
const keyOf = (s: string) => s.replace(/\./g, '_');

export function TimelineSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const entries = [...order.timeline].sort((a, b) => b.at - a.at);
  // The audit log stores values as text; booleans read better as words.
  const value = (v: string | null) => (v === null ? '∅' : v === 'true' ? t('common.yes') : v === 'false' ? t('common.no') : v);
  return (
    <Section title={t('drawer.timeline')} testId="drawer-timeline">
      {entries.length === 0 && <p className="muted small">{t('drawer.noTimeline')}</p>}
      <ol className="timeline">
        {entries.map((e) => (
          <li key={e.id} data-testid="timeline-entry" data-command={e.command}>
            <div className="timeline-head">
              <strong>{t(`command.${keyOf(e.command)}`, { defaultValue: e.command })}</strong>
              <span className="muted small">
                {e.actor} · {formatTime(e.at, true)}
              </span>
            </div>
            {e.field && (
              <div className="small">
                {t(`field.${keyOf(e.field)}`, { defaultValue: e.field })}: <span className="muted">{value(e.before)}</span> → {value(e.after)}
              </div>
            )}
            {e.reason && <div className="small">{t('drawer.reasonIs', { reason: e.reason })}</div>}
          </li>
        ))}
      </ol>
    </Section>
  );
}
