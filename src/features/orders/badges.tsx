// Queue, stage and abnormal badges shared by the table and the drawer.
import { useTranslation } from 'react-i18next';
import type { AbnormalReason, FulfilmentStage, Queue } from '../../../electron/shared/model.ts';
import { Badge, type Tone } from '../../components/Badge.tsx';

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

export function AbnormalBadges({ reasons }: { reasons: AbnormalReason[] }) {
  const { t } = useTranslation();
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
