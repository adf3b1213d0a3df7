// What each table column shows for one order row.
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { OrderRow } from '../../../electron/shared/contract.ts';
import { Badge } from '../../components/Badge.tsx';
import { FlagMark } from '../../components/FlagMark.tsx';
import { TagChip } from '../../components/TagChip.tsx';
import { formatFen, formatTime } from '../../i18n/format.ts';
import { AbnormalBadges, QueueBadge, StageBadge } from './badges.tsx';
import type { ColumnId } from './columns.ts';

/** Stage only adds information inside the open fulfilment queues. */
const showsStage = (r: OrderRow) => r.queue === 'held' || r.queue === 'after_sale';

export function renderCell(col: ColumnId, r: OrderRow, t: TFunction): ReactNode {
  switch (col) {
    case 'platformOrderId':
      return <span className="mono">{r.platformOrderId}</span>;
    case 'shop':
      return (
        <>
          <span className={`platform-dot platform-${r.platform}`} title={t(`platform.${r.platform}`)} />
          <span className="ellipsis">{r.shopName}</span>
        </>
      );
    case 'queue':
      return (
        <>
          <QueueBadge queue={r.queue} title={r.holdReason ?? r.closeReason ?? undefined} />
          {showsStage(r) && <StageBadge stage={r.stage} />}
          {r.orderType === 'presale' && <Badge tone="accent">{t('orderType.presale')}</Badge>}
        </>
      );
    case 'buyerNick':
      return <span className="ellipsis">{r.buyerNick}</span>;
    case 'receiver':
      return <span className="ellipsis">{r.receiverName}</span>;
    case 'region':
      return <span className="ellipsis" title={`${r.receiverProvince} ${r.receiverCity} ${r.receiverDistrict} ${r.receiverAddress}`}>{`${r.receiverProvince} ${r.receiverCity} ${r.receiverDistrict}`}</span>;
    case 'phone':
      return <span className="mono">{r.receiverPhone}</span>;
    case 'items':
      return <span className="ellipsis" title={r.itemSummary}>{r.itemSummary}</span>;
    case 'itemCount':
      return r.itemCount;
    case 'paidFen':
      return <span className="money">{formatFen(r.paidFen)}</span>;
    case 'flag':
      return (
        <>
          <FlagMark flag={r.sellerFlag} title={t(`flag.${r.sellerFlag}`)} />
          {r.sellerMemo && <span className="ellipsis memo" title={r.sellerMemo}>{r.sellerMemo}</span>}
        </>
      );
    case 'tags':
      return r.tags.map((tag) => <TagChip key={tag.id} tag={tag} />);
    case 'abnormal':
      return <AbnormalBadges reasons={r.abnormal} />;
    case 'buyerMessage':
      return r.buyerMessage ? <span className="ellipsis" title={r.buyerMessage}>{r.buyerMessage}</span> : null;
    case 'createdAt':
      return <span className="time">{formatTime(r.createdAt)}</span>;
    case 'paidAt':
      return <span className="time">{formatTime(r.paidAt)}</span>;
  }
}
