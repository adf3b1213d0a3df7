// 新建任务 on an order: a preset title or one's own, an optional line of detail, and whom it goes to
// (the desk may hand it to anyone; others make it for themselves).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TASK_ASSIGNERS } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useSession } from '../../app/session-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { useToasts } from '../../app/toast-store.ts';
import { usePeople } from './use-people.ts';

const PRESETS = ['gift', 'address', 'shipping', 'buyer', 'reship'] as const;

export function NewTaskForm({ orderId, onDone }: { orderId: string; onDone(): void }) {
  const { t } = useTranslation();
  const actor = useSession((s) => s.actor);
  const people = usePeople();
  const push = useToasts((s) => s.push);
  const { busy, run } = useSubmit();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const mayAssign = actor !== null && (TASK_ASSIGNERS as readonly string[]).includes(actor.role);
  const submit = () =>
    run('tasks.create', async () => {
      const task = await api.call('tasks.create', { orderId, title: title.trim(), body: body.trim(), ...(assigneeId ? { assigneeId } : {}) });
      push({ kind: 'success', text: t('tasks.created', { name: task.assigneeName ?? task.assigneeId }) });
      onDone();
    });
  return (
    <div className="new-task" data-testid="new-task">
      <div className="preset-row">
        {PRESETS.map((p) => (
          <button key={p} type="button" className="chip-button" data-testid={`task-preset-${p}`} onClick={() => setTitle(t(`tasks.presets.${p}`))}>
            {t(`tasks.presets.${p}`)}
          </button>
        ))}
      </div>
      <div className="new-task-row">
        <input data-testid="task-title" aria-label={t('tasks.titleLabel')} maxLength={100} value={title} placeholder={t('tasks.titlePlaceholder')} onChange={(e) => setTitle(e.target.value)} />
        {mayAssign && (
          <select data-testid="task-assignee" aria-label={t('tasks.assignee')} value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
            <option value="">{t('tasks.me')}</option>
            {people
              .filter((p) => p.id !== actor?.userId)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} · {t(`role.${p.role}`)}
                </option>
              ))}
          </select>
        )}
      </div>
      <div className="new-task-row">
        <input data-testid="task-body" maxLength={1000} value={body} placeholder={t('tasks.bodyPlaceholder')} onChange={(e) => setBody(e.target.value)} />
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="button" className="primary" data-testid="task-create" disabled={busy || !title.trim()} onClick={() => void submit()}>
          {t('tasks.create')}
        </button>
      </div>
    </div>
  );
}
