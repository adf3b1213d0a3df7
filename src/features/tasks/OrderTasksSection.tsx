// The order drawer's 任务: the order's tasks with their state and assignee, moved in place, and
// 新建任务.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { formatTime } from '../../i18n/format.ts';
import { Section } from '../orders/drawer/Section.tsx';
import { NewTaskForm } from './NewTaskForm.tsx';
import { StateMark, TaskActions } from './TaskActions.tsx';
import { personName, usePeople } from './use-people.ts';
import './tasks.css';

export function OrderTasksSection({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const canCreate = useCan('tasks.create');
  const people = usePeople();
  const { data } = useQuery('tasks.list', { orderId });
  const [adding, setAdding] = useState(false);
  const tasks = data?.rows ?? [];
  return (
    <Section
      title={t('tasks.section')}
      testId="drawer-tasks"
      actions={
        canCreate &&
        !adding && (
          <button type="button" className="chip-button" data-testid="task-new" onClick={() => setAdding(true)}>
            {t('tasks.new')}
          </button>
        )
      }
    >
      {tasks.length === 0 && !adding && <p className="muted small">{t('tasks.none')}</p>}
      <ul className="plain-list">
        {tasks.map((task) => (
          <li key={task.id} className="order-task" data-testid="order-task" data-task-id={task.id}>
            <div className="order-task-head">
              <StateMark state={task.state} />
              <span className="order-task-title" title={task.title}>
                {task.title}
              </span>
            </div>
            {task.body && <div className="small">{task.body}</div>}
            <div className="order-task-head small muted">
              <span className="fill">
                {t('tasks.assignee')}: {task.assigneeName ?? t('tasks.unknownPerson', { id: task.assigneeId })} ·{' '}
                {t('tasks.createdBy', { name: personName(people, task.createdBy, t('tasks.hub')) ?? task.createdByName ?? task.createdBy })} · {formatTime(task.updatedAt)}
              </span>
            </div>
            <div className="tasks-row-actions">
              <TaskActions task={task} />
            </div>
          </li>
        ))}
      </ul>
      {adding && <NewTaskForm orderId={orderId} onDone={() => setAdding(false)} />}
    </Section>
  );
}
