// What each table column shows for one order row.
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CARRIERS } from '../../../electron/shared/carriers.ts';
import type { OrderRow } from '../../../electron/shared/contract.ts';
import { FlagMark } from '../../components/FlagMark.tsx';
import { TagChip } from '../../components/TagChip.tsx';
import { formatFen, formatTime } from '../../i18n/format.ts';
import { AbnormalBadges, StatusBadges, StockBadge } from './badges.tsx';
import { COLUMNS, type ColumnId } from './columns.ts';

/** A carrier by its code: the full name, or the two characters a packing station calls it by (中通, 顺丰). */
export function carrierName(code: string | null, lang: string, full = false): string {
  if (!code) return '';
  const c = CARRIERS.find((x) => x.code === code);
  if (!c) return code;
  if (lang.startsWith('en')) return full ? c.en : c.code;
  return full || c.zh.length <= 3 ? c.zh : c.zh.slice(0, 2);
}

/** 快递 / 面单号: the first parcel's carrier and number, "+N" for more parcels, all of them in the tooltip. */
function WaybillCell({ waybills }: { waybills: OrderRow['waybills'] }) {
  const { i18n } = useTranslation();
  const first = waybills[0];
  if (!first) return null;
  const all = waybills.map((w) => `${carrierName(w.carrierCode, i18n.language, true)} ${w.waybillNo}`.trim()).join('\n');
  return (
    <span className="waybill" title={all} data-testid="waybill-cell" data-waybill={first.waybillNo}>
      <span className="carrier">{carrierName(first.carrierCode, i18n.language)}</span>
      <span className="mono ellipsis">{first.waybillNo}</span>
      {waybills.length > 1 && <span className="more-count">+{waybills.length - 1}</span>}
    </span>
  );
}

/** What the 状态 cell holds inside its side padding (.cell: 6 px each side). */
const STATUS_ROOM = COLUMNS.queue.width - 12;

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
        <StatusBadges
          queue={r.queue}
          title={r.holdReason ?? r.closeReason ?? undefined}
          extras={[
            // Another station of the team works this order: printing it here would be refused. One
            // character, so it fits beside the queue's badge; the station and person in its tooltip.
            ...(r.claimedBy
              ? [
                  {
                    label: t('team.claimedShort'),
                    title: t('team.claimedByWho', { station: r.claimedBy.stationName, user: r.claimedBy.userName ?? '—' }),
                    tone: 'warning' as const,
                    testId: 'claimed-badge',
                  },
                ]
              : []),
            ...(showsStage(r) ? [{ label: t(`stage.${r.stage}`), tone: 'neutral' as const, testId: 'stage-badge' }] : []),
            ...(r.orderType === 'presale' ? [{ label: t('orderType.presale'), tone: 'accent' as const, testId: 'presale-badge' }] : []),
            // Waiting in 缺货 matters wherever the order sits, so it shows without the 库存 column.
            ...(r.stock === 'short' ? [{ label: t('orderStock.short'), tone: 'danger' as const, testId: 'short-badge' }] : []),
          ]}
          room={STATUS_ROOM}
        />
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
      return <AbnormalBadges reasons={r.abnormal} compact />;
    case 'stock':
      return <StockBadge row={r} />;
    case 'waybill':
      return <WaybillCell waybills={r.waybills} />;
    case 'claim':
      return r.claimedBy ? (
        <span className="ellipsis" data-testid="claim-cell" title={t('team.claimedByWho', { station: r.claimedBy.stationName, user: r.claimedBy.userName ?? '—' })}>
          {t('team.claimedBy', { station: r.claimedBy.stationName })}
        </span>
      ) : null;
    case 'buyerMessage':
      return r.buyerMessage ? <span className="ellipsis" title={r.buyerMessage}>{r.buyerMessage}</span> : null;
    case 'createdAt':
      return <span className="time">{formatTime(r.createdAt)}</span>;
    case 'paidAt':
      return <span className="time">{formatTime(r.paidAt)}</span>;
  }
}
