// Money of the order: goods, shipping, discount, paid, and presale deposit/balance.
import { useTranslation } from 'react-i18next';
import type { OrderDetail } from '../../../../electron/shared/contract.ts';
import { formatFen, formatTime } from '../../../i18n/format.ts';
import { Section } from './Section.tsx';

export function AmountsSection({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  return (
    <Section title={t('drawer.amounts')} testId="drawer-amounts">
      <dl className="kv kv-money">
        <dt>{t('drawer.goods')}</dt>
        <dd className="money">{formatFen(order.goodsFen)}</dd>
        <dt>{t('drawer.shipping')}</dt>
        <dd className="money">{formatFen(order.shippingFen)}</dd>
        <dt>{t('drawer.discount')}</dt>
        <dd className="money">{formatFen(-order.discountFen)}</dd>
        <dt>{t('drawer.paid')}</dt>
        <dd className="money strong" data-testid="drawer-paid">{formatFen(order.paidFen)}</dd>
        {order.presaleDepositFen !== null && (
          <>
            <dt>{t('drawer.deposit')}</dt>
            <dd className="money">{formatFen(order.presaleDepositFen)}</dd>
          </>
        )}
        {order.presaleBalanceFen !== null && (
          <>
            <dt>{t('drawer.balance')}</dt>
            <dd className="money">{formatFen(order.presaleBalanceFen)}</dd>
          </>
        )}
        <dt>{t('column.createdAt')}</dt>
        <dd>{formatTime(order.createdAt, true)}</dd>
        <dt>{t('column.paidAt')}</dt>
        <dd>{formatTime(order.paidAt, true)}</dd>
        {order.shippedAt !== null && (
          <>
            <dt>{t('drawer.shippedAt')}</dt>
            <dd>{formatTime(order.shippedAt, true)}</dd>
          </>
        )}
      </dl>
    </Section>
  );
}
