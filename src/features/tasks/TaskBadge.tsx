// The header's count on 我的任务: the signed-in person's tasks still open or being done. Hidden at zero.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../api/use-query.ts';
import { useSession } from '../../app/session-store.ts';

export function TaskBadge() {
  const { t } = useTranslation();
  const { data, reload } = useQuery('tasks.counts', {});
  // "Mine" is whoever is signed in: a quick user switch asks again.
  const userId = useSession((s) => s.actor?.userId);
  useEffect(reload, [userId, reload]);
  if (!data || data.active === 0) return null;
  return (
    <span className="nav-alert" data-testid="task-count" title={t('tasks.badgeTitle', { count: data.active })}>
      {data.active > 99 ? '99+' : data.active}
    </span>
  );
}
