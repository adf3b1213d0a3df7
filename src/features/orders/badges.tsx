// Queue, stage and abnormal badges shared by the table and the drawer.
import { useTranslation } from 'react-i18next';
import type { OrderRow } from '../../../electron/shared/contract.ts';
import type { AbnormalReason, FulfilmentStage, Queue } from '../../../electron/shared/model.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';
import { badgesThatFit, badgesThatFitWidth } from './badge-fit.ts';
import { textWidth } from './text-width.ts';

const QUEUE_TONE: Record<Queue, Tone> = {
  unpaid: 'muted',
  after_sale: 'danger',
  held: 'warning',
  pending_review: 'info',
  awaiting_print: 'accent',
  printed: 'accent',
  shipped: 'success',
  completed: 'neutral',
  closed: 'muted',
};

export function QueueBadge({ queue, title }: { queue: Queue; title?: string }) {
  const { t } = useTranslation();
  return (
    <Badge tone={QUEUE_TONE[queue]} testId="queue-badge" title={title}>
      {t(`queue.${queue}`)}
    </Badge>
  );
}

export function StageBadge({ stage }: { stage: FulfilmentStage }) {
  const { t } = useTranslation();
  return (
    <Badge tone="neutral" testId="stage-badge">
      {t(`stage.${stage}`)}
    </Badge>
  );
}

/**
 * The 库存 column: 缺货 (why, in its tooltip) or 已占用, then the codes of the warehouses the lines are
 * held in or shipped from.
 */
export function StockBadge({ row }: { row: Pick<OrderRow, 'stock' | 'stockShortReason' | 'lineWarehouses'> }) {
  const { t } = useTranslation();
  const codes = [...new Set(row.lineWarehouses.map((l) => l.warehouse).filter((w): w is string => w !== null))];
  const from = codes.length > 0 ? t('orderStock.warehouses', { codes: codes.join('、') }) : undefined;
  return (
    <>
      {row.stock === 'short' && (
        <Badge tone="danger" testId="stock-short-badge" title={row.stockShortReason ? t(`orderStock.shortReason.${row.stockShortReason}`) : undefined}>
          {t('orderStock.short')}
        </Badge>
      )}
      {row.stock === 'reserved' && (
        <Badge tone="success" testId="stock-reserved-badge" title={from}>
          {t('orderStock.reserved')}
        </Badge>
      )}
      {codes.length > 0 && (
        <span className="ellipsis mono" title={from} data-testid="stock-warehouses">
          {codes.join(' ')}
        </span>
      )}
    </>
  );
}

/**
 * A badge's text size, its weight in an unread row (.trow.unread .badge; the "+N" takes the row's
 * 600), its side padding (marks.css .badge), and the gap between a cell's badges (.cell).
 */
const BADGE_FONT_PX = 11;
const BADGE_WEIGHT = 500;
const MORE_WEIGHT = 600;
const BADGE_PADDING_PX = 10;
const CELL_GAP_PX = 4;

export interface ExtraBadge {
  label: string;
  tone: Tone;
  testId: string;
  /** The whole story when the label is short (its tooltip, and its line in the "+N" tooltip). */
  title?: string;
}

/**
 * The 状态 column: the queue's badge always whole, then the extra badges (stage, 预售) as long as they
 * fit in `room` px; what does not fit folds into a "+N" whose tooltip names it. English words are
 * two to three times wider than the Chinese ones, so the same column holds fewer of them.
 */
export function StatusBadges({ queue, title, extras, room }: { queue: Queue; title?: string | undefined; extras: readonly ExtraBadge[]; room: number }) {
  const { t } = useTranslation();
  const labels = [t(`queue.${queue}`), ...extras.map((e) => e.label)];
  const widths = labels.map((l) => Math.ceil(textWidth(l, BADGE_FONT_PX, BADGE_WEIGHT)) + BADGE_PADDING_PX);
  const more = `+${extras.length}`;
  const shown = badgesThatFitWidth(widths, room, CELL_GAP_PX, Math.ceil(textWidth(more, BADGE_FONT_PX, MORE_WEIGHT)));
  const folded = extras.slice(shown - 1);
  return (
    <>
      <QueueBadge queue={queue} title={title} />
      {extras.slice(0, shown - 1).map((e) => (
        <Badge key={e.testId} tone={e.tone} testId={e.testId} title={e.title}>
          {e.label}
        </Badge>
      ))}
      {folded.length > 0 && (
        <span className="more-count" data-testid="status-more" title={folded.map((e) => e.title ?? e.label).join('\n')}>
          +{folded.length}
        </span>
      )}
    </>
  );
}

/**
 * The order's abnormal reasons. `compact` (the table's 异常 column): short names, and what does not
 * fit folded into "+N" with every reason in its tooltip; the drawer shows them all in full.
 */
export function AbnormalBadges({ reasons, compact = false }: { reasons: AbnormalReason[]; compact?: boolean }) {
  const { t } = useTranslation();
  if (!compact) {
    return (
      <>
        {reasons.map((r) => (
          <Badge key={r} tone="danger" testId="abnormal-badge">
            {t(`abnormal.${r}`)}
          </Badge>
        ))}
      </>
    );
  }
  const shortNames = reasons.map((r) => t(`abnormalShort.${r}`));
  const shown = badgesThatFit(shortNames);
  const all = reasons.map((r) => t(`abnormal.${r}`)).join('、');
  return (
    <>
      {reasons.slice(0, shown).map((r, i) => (
        <Badge key={r} tone="danger" testId="abnormal-badge" title={t(`abnormal.${r}`)}>
          {shortNames[i]}
        </Badge>
      ))}
      {shown < reasons.length && (
        <Badge tone="danger" testId="abnormal-more" title={all}>
          +{reasons.length - shown}
        </Badge>
      )}
    </>
  );
}
