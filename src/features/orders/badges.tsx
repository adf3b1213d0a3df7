// Queue, stage and abnormal badges shared by the table and the drawer.
import { useTranslation } from 'react-i18next';
import type { AbnormalReason, FulfilmentStage, Queue } from '../../../electron/shared/model.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';
import { badgesThatFit } from './badge-fit.ts';

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
