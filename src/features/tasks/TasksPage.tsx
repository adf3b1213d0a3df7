// 我的任务: the signed-in person's tasks (by state) and the notes that @mention them, newest change
// first, in one virtualised list; a row opens its order, and its buttons move the task.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MentionView, TaskState, TaskView } from '../../../electron/shared/contract.ts';
import { useQuery } from '../../api/use-query.ts';
import { useSession } from '../../app/session-store.ts';
import { formatTime } from '../../i18n/format.ts';
import { openOrder } from './open-order.ts';
import { StateMark, TaskActions } from './TaskActions.tsx';
import { personName, usePeople } from './use-people.ts';
import './tasks.css';

const FILTERS = ['active', 'open', 'doing', 'done', 'cancelled', 'all', 'mentions'] as const;
type Filter = (typeof FILTERS)[number];
const ROW_HEIGHT = 56;
/** One page of the list: far more than a person's own tasks; the count says when there are more. */
const LIMIT = 5000;

export function TasksPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>('active');
  const userId = useSession((s) => s.actor?.userId);
  const tasks = useQuery('tasks.list', { mine: true, limit: LIMIT, ...(filter === 'all' || filter === 'mentions' ? {} : { state: filter }) });
  const mentions = useQuery('tasks.mentions', { limit: LIMIT });
  const counts = useQuery('tasks.counts', {});
  // "Mine" is whoever is signed in: a quick user switch asks again.
  useEffect(() => {
    tasks.reload();
    mentions.reload();
    counts.reload();
  }, [userId]);
  const showMentions = filter === 'mentions';
  const rows: (TaskView | MentionView)[] = showMentions ? (mentions.data?.rows ?? []) : (tasks.data?.rows ?? []);
  const total = showMentions ? (mentions.data?.total ?? 0) : (tasks.data?.total ?? 0);
  return (
    <div className="tasks-page" data-testid="tasks-page">
      <div className="tasks-toolbar">
        {FILTERS.map((f) => (
          <button key={f} type="button" className={`tasks-chip${filter === f ? ' active' : ''}`} aria-pressed={filter === f} data-testid={`tasks-filter-${f}`} onClick={() => setFilter(f)}>
            {t(`tasks.filter.${f}`)}
          </button>
        ))}
        <span className="fill" />
        {counts.data && counts.data.recentMentions > 0 && <span className="muted small">{t('tasks.mentionsCount', { count: counts.data.recentMentions })}</span>}
        <span className="muted small" data-testid="tasks-total">
          {t('tasks.count', { total })}
        </span>
      </div>
      <TaskList rows={rows} mentions={showMentions} />
    </div>
  );
}

function TaskList({ rows, mentions }: { rows: (TaskView | MentionView)[]; mentions: boolean }) {
  const { t } = useTranslation();
  const people = usePeople();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  if (rows.length === 0) {
    return (
      <div className="tasks-scroll" data-testid="tasks-list">
        <div className="tasks-empty" data-testid="tasks-empty">
          {mentions ? t('tasks.emptyMentions') : t('tasks.empty')}
        </div>
      </div>
    );
  }
  return (
    <div className="tasks-scroll" ref={scrollRef} data-testid="tasks-list" role="list">
      <div className="tasks-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index]!;
          const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
          if ('noteId' in row) {
            return (
              <div key={row.noteId} className="tasks-row" style={style} role="listitem" data-testid="mention-row">
                <div className="tasks-row-main">
                  <div className="tasks-row-title" title={row.body}>
                    {row.body}
                  </div>
                  <div className="tasks-row-sub">
                    {t('tasks.mentionedYou', { author: row.author })}
                    {row.station ? t('tasks.atStation', { station: row.station }) : ''} · {row.platformOrderId ?? row.orderId} · {formatTime(row.createdAt)}
                  </div>
                </div>
                <div className="tasks-row-actions">
                  <button type="button" data-testid="mention-open-order" onClick={() => openOrder(row.orderId)}>
                    {t('tasks.openOrder')}
                  </button>
                </div>
              </div>
            );
          }
          const state: TaskState = row.state;
          return (
            <div key={row.id} className="tasks-row" style={style} role="listitem" data-testid="task-row" data-task-id={row.id} data-state={state}>
              <StateMark state={state} />
              <div className="tasks-row-main">
                <div className="tasks-row-title" title={row.body || row.title}>
                  {row.title}
                </div>
                <div className="tasks-row-sub">
                  {row.orderId ? (row.platformOrderId ?? row.orderId) : t('tasks.teamTask')} ·{' '}
                  {t('tasks.createdBy', { name: personName(people, row.createdBy, t('tasks.hub')) ?? row.createdByName ?? row.createdBy })} · {formatTime(row.updatedAt)}
                  {row.body ? ` · ${row.body}` : ''}
                </div>
              </div>
              <div className="tasks-row-actions">
                <TaskActions task={row} />
                {row.orderId && (
                  <button type="button" data-testid="task-open-order" onClick={() => openOrder(row.orderId!)}>
                    {t('tasks.openOrder')}
                  </button>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
