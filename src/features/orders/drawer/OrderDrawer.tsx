// The order detail drawer: opens beside the table; Esc or × closes it. Opening an unread order marks it read.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useOrders } from '../store.ts';
import { QueueBadge, StageBadge, AbnormalBadges } from '../badges.tsx';
import { TagChip } from '../../../components/TagChip.tsx';
import { AmountsSection } from './AmountsSection.tsx';
import { ChangeRequestsSection } from './ChangeRequestsSection.tsx';
import { ItemsSection } from './ItemsSection.tsx';
import { MessagesSection } from './MessagesSection.tsx';
import { NotesSection } from './NotesSection.tsx';
import { ReceiverSection } from './ReceiverSection.tsx';
import { ReturnSection } from './ReturnSection.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import { OrderTasksSection } from '../../tasks/OrderTasksSection.tsx';
import { useOrderDetail } from './use-order-detail.ts';

export function OrderDrawer() {
  const { t } = useTranslation();
  const id = useOrders((s) => s.drawerId);
  const openDrawer = useOrders((s) => s.openDrawer);
  const dialog = useOrders((s) => s.dialog);
  const { detail } = useOrderDetail(id);
  const markedRef = useRef<string | null>(null);

  useEffect(() => {
    if (!id) return;
    const onKey = (e: KeyboardEvent) => {
      // A dialog on top takes Esc first.
      if (e.key === 'Escape' && !useOrders.getState().dialog && !document.querySelector('[role="dialog"]')) openDrawer(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, openDrawer, dialog]);

  useEffect(() => {
    if (detail && !detail.isRead && markedRef.current !== detail.id) {
      markedRef.current = detail.id;
      // Reading is a side effect nobody should have to click for; a failure is not worth a toast.
      api.call('orders.markRead', { ids: [detail.id], read: true }).catch(() => {});
    }
  }, [detail]);

  if (!id) return null;
  return (
    <aside className="order-drawer" data-testid="order-drawer" aria-label={t('drawer.title')} data-order-id={id}>
      <header className="drawer-head">
        <div className="drawer-head-main">
          <div className="drawer-title mono" data-testid="drawer-platform-order-id">
            {detail?.platformOrderId ?? '…'}
          </div>
          {detail && (
            <div className="drawer-sub">
              <span>{detail.shopName}</span>
              <span className="muted">{t(`platform.${detail.platform}`)}</span>
              <QueueBadge queue={detail.queue} />
              {detail.stage !== detail.queue && <StageBadge stage={detail.stage} />}
              <AbnormalBadges reasons={detail.abnormal} />
              {detail.tags.map((tag) => (
                <TagChip key={tag.id} tag={tag} />
              ))}
            </div>
          )}
        </div>
        <button type="button" className="icon-button" data-testid="drawer-close" aria-label={t('common.close')} title={t('common.close')} onClick={() => openDrawer(null)}>
          ×
        </button>
      </header>
      {detail ? (
        <div className="drawer-body">
          <ItemsSection order={detail} />
          <ReturnSection order={detail} />
          <ChangeRequestsSection order={detail} />
          <ReceiverSection order={detail} />
          <MessagesSection order={detail} />
          <AmountsSection order={detail} />
          <OrderTasksSection orderId={detail.id} />
          <NotesSection order={detail} />
          <TimelineSection order={detail} />
        </div>
      ) : (
        <div className="drawer-body muted">{t('table.loading')}</div>
      )}
    </aside>
  );
}
