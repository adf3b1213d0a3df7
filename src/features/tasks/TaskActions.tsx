// The buttons that move a task: 开始 / 完成 / 取消 while it is open, 重新打开 once it is over. The
// core decides who may (the assignee or the desk); the buttons show for both and a refusal is a toast.
import { useTranslation } from 'react-i18next';
import type { TaskState, TaskView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useSession } from '../../app/session-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { TASK_ASSIGNERS } from '../../../electron/shared/contract.ts';

const MOVES: Record<TaskState, { to: TaskState; word: string; primary?: boolean }[]> = {
  open: [
    { to: 'doing', word: 'tasks.start' },
    { to: 'done', word: 'tasks.done', primary: true },
    { to: 'cancelled', word: 'tasks.cancel' },
  ],
  doing: [
    { to: 'done', word: 'tasks.done', primary: true },
    { to: 'cancelled', word: 'tasks.cancel' },
  ],
  done: [{ to: 'open', word: 'tasks.reopen' }],
  cancelled: [{ to: 'open', word: 'tasks.reopen' }],
};

export function TaskActions({ task }: { task: TaskView }) {
  const { t } = useTranslation();
  const report = useReportError();
  const actor = useSession((s) => s.actor);
  const mayMove = actor !== null && (actor.userId === task.assigneeId || (TASK_ASSIGNERS as readonly string[]).includes(actor.role));
  if (!mayMove) return null;
  const move = (to: TaskState) => api.call('tasks.update', { id: task.id, state: to }).catch((err: unknown) => report(err, 'tasks.update'));
  return (
    <>
      {MOVES[task.state].map((m) => (
        <button key={m.to} type="button" className={m.primary ? 'primary' : undefined} data-testid={`task-${m.to}`} onClick={() => void move(m.to)}>
          {t(m.word)}
        </button>
      ))}
    </>
  );
}

export function StateMark({ state }: { state: TaskState }) {
  const { t } = useTranslation();
  return (
    <span className={`task-state ${state}`} data-testid="task-state" data-state={state}>
      {t(`tasks.state.${state}`)}
    </span>
  );
}
