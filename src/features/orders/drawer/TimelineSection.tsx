// Who did what to the order across the team (tasks.timeline): the commands' audit entries, the
// notes and the tasks' events, newest first, each with the person and, when known, the station.
import { useTranslation } from 'react-i18next';
import type { OrderDetail, TeamTimelineEntry } from '../../../../electron/shared/contract.ts';
import { useQuery } from '../../../api/use-query.ts';
import { formatTime } from '../../../i18n/format.ts';
import { Section } from './Section.tsx';

/** i18next splits keys on '.', so "orders.hold" is looked up as "orders_hold". */
const keyOf = (s: string) => s.replace(/\./g, '_');

export function TimelineSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const { data } = useQuery('tasks.timeline', { orderId: order.id });
  const entries = data ?? [];
  // The audit log stores values as text; booleans read better as words.
  const value = (v: string | null) => (v === null ? '∅' : v === 'true' ? t('common.yes') : v === 'false' ? t('common.no') : v);
  const taskValue = (e: TeamTimelineEntry, v: string | null) =>
    e.field === 'state' && v !== null ? t(`tasks.state.${v}`, { defaultValue: v }) : e.field === 'due' && v !== null ? formatTime(Number(v)) : value(v);
  const head = (e: TeamTimelineEntry) =>
    e.kind === 'note' ? t('timeline.note') : e.kind === 'task' ? t(e.command === 'tasks.create' ? 'timeline.taskCreate' : 'timeline.taskUpdate') : t(`command.${keyOf(e.command)}`, { defaultValue: e.command });
  const who = (e: TeamTimelineEntry) => (e.actor === 'hub' ? t('tasks.hub') : e.actor) + (e.station ? t('tasks.atStation', { station: e.station }) : '');
  return (
    <Section title={t('drawer.timeline')} testId="drawer-timeline">
      {entries.length === 0 && <p className="muted small">{t('drawer.noTimeline')}</p>}
      <ol className="timeline">
        {entries.map((e) => (
          <li key={e.id} data-testid="timeline-entry" data-command={e.command} data-kind={e.kind}>
            <div className="timeline-head">
              <strong>{head(e)}</strong>
              <span className="muted small" data-testid="timeline-who">
                {who(e)} · {formatTime(e.at, true)}
              </span>
            </div>
            {e.kind === 'task' && e.text && <div className="small">「{e.text}」</div>}
            {e.kind === 'note' && e.text && <div className="small">{e.text}</div>}
            {e.kind === 'audit' && e.field && (
              <div className="small">
                {t(`field.${keyOf(e.field)}`, { defaultValue: e.field })}: <span className="muted">{value(e.before)}</span> → {value(e.after)}
              </div>
            )}
            {e.kind === 'task' && e.field && (e.before !== null || e.after !== null) && (
              <div className="small">
                {t(`timeline.taskField.${e.field}`, { defaultValue: e.field })}: {e.before !== null && <span className="muted">{taskValue(e, e.before)} → </span>}
                {taskValue(e, e.after)}
              </div>
            )}
            {e.reason && <div className="small">{t('drawer.reasonIs', { reason: e.reason })}</div>}
          </li>
        ))}
      </ol>
    </Section>
  );
}
