// Buyer message, seller memo and flag; the memo/flag can be changed here for this one order.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../app/session-store.ts';
import { FlagMark } from '../../../components/FlagMark.tsx';
import { FlagDialog } from '../batch/FlagDialog.tsx';
import { useBatchRunner } from '../batch/use-batch-runner.ts';
import { Section } from './Section.tsx';

export function MessagesSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const canFlag = useCan('orders.setFlag');
  const { busy, run } = useBatchRunner();
  const [editing, setEditing] = useState(false);
  return (
    <Section
      title={t('drawer.messages')}
      testId="drawer-messages"
      actions={
        canFlag ? (
          <button type="button" className="link" data-testid="memo-edit" onClick={() => setEditing(true)}>
            {t('drawer.editMemo')}
          </button>
        ) : null
      }
    >
      <dl className="kv">
        <dt>{t('drawer.buyerMessage')}</dt>
        <dd className={order.buyerMessage ? 'buyer-message' : 'muted'}>{order.buyerMessage ?? t('drawer.none')}</dd>
        <dt>{t('drawer.sellerMemo')}</dt>
        <dd>
          <FlagMark flag={order.sellerFlag} title={t(`flag.${order.sellerFlag}`)} /> {order.sellerMemo ?? <span className="muted">{t('drawer.none')}</span>}
        </dd>
        {order.holdReason && (
          <>
            <dt>{t('drawer.holdReason')}</dt>
            <dd className="warn">{order.holdReason}</dd>
          </>
        )}
        {order.closeReason && (
          <>
            <dt>{t('drawer.closeReason')}</dt>
            <dd>{order.closeReason}</dd>
          </>
        )}
      </dl>
      {editing && (
        <FlagDialog
          busy={busy}
          onClose={() => setEditing(false)}
          onConfirm={(flag, memo) =>
            void run('flag', () =>
              api.call('orders.setFlag', { ids: [order.id], ...(flag !== undefined ? { flag } : {}), ...(memo !== undefined ? { memo } : {}) }),
            ).then((ok) => ok && setEditing(false))
          }
        />
      )}
    </Section>
  );
}
