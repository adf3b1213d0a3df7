// The receiver block, with an edit form for roles that may change the address.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { useCan } from '../../../app/session-store.ts';
import { AddressForm } from './AddressForm.tsx';
import { RevealReceiver } from './RevealReceiver.tsx';
import { Section } from './Section.tsx';

export function ReceiverSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const canEdit = useCan('orders.editAddress');
  const canReveal = useCan('orders.revealReceiver');
  const [editing, setEditing] = useState(false);
  return (
    <Section
      title={t('drawer.receiver')}
      testId="drawer-receiver"
      actions={
        canEdit && !editing ? (
          <button type="button" className="link" data-testid="address-edit" onClick={() => setEditing(true)}>
            {t('drawer.editAddress')}
          </button>
        ) : null
      }
    >
      {editing ? (
        <AddressForm order={order} onDone={() => setEditing(false)} />
      ) : (
        <dl className="kv">
          <dt>{t('receiver.name')}</dt>
          <dd data-testid="receiver-name">{order.receiverName}</dd>
          <dt>{t('receiver.phone')}</dt>
          <dd className="mono">{order.receiverPhone}</dd>
          <dt>{t('receiver.region')}</dt>
          <dd>{[order.receiverProvince, order.receiverCity, order.receiverDistrict, order.receiverTown].filter(Boolean).join(' ')}</dd>
          <dt>{t('receiver.address')}</dt>
          <dd data-testid="receiver-address">{order.receiverAddress}</dd>
          <dt>{t('drawer.buyer')}</dt>
          <dd>{order.buyerNick}</dd>
          {order.receiverEncrypted && canReveal ? (
            <>
              <dt />
              <dd>
                <RevealReceiver order={order} />
              </dd>
            </>
          ) : null}
        </dl>
      )}
    </Section>
  );
}
