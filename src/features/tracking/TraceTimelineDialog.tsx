// The trace timeline of one package (tracking.list): newest event first, with where it happened and
// whether it came from the platform or a CSV import.
import { useTranslation } from 'react-i18next';
import { Badge } from '../../components/Badge.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { formatTime } from '../../i18n/format.ts';
import { useQuery } from '../../api/use-query.ts';
import { carrierName } from './tracking-words.ts';

export function TraceTimelineDialog({ packageId, onClose }: { packageId: string; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { data } = useQuery('tracking.list', { packageId });
  const pkg = data?.[0];
  return (
    <Dialog
      title={t('tracking.timeline', { waybill: pkg?.waybillNo ?? '' })}
      onClose={onClose}
      testId="trace-timeline"
      wide
      footer={
        <button type="button" onClick={onClose}>
          {t('tracking.close')}
        </button>
      }
    >
      {pkg && (
        <div className="trace-head">
          <span>{carrierName(pkg.carrierCode, i18n.language.startsWith('zh'))}</span>
          <span className="mono">{pkg.waybillNo}</span>
          <Badge tone={pkg.trackingState === 'signed' ? 'success' : pkg.trackingState === 'returned' || pkg.trackingState === 'exception' ? 'danger' : 'info'}>
            {t(`trackingState.${pkg.trackingState}`)}
          </Badge>
          <span className="muted">{t('tracking.shippedAt', { time: formatTime(pkg.shippedAt) })}</span>
        </div>
      )}
      {pkg && pkg.events.length === 0 && <p className="muted">{t('tracking.timelineEmpty')}</p>}
      <ol className="trace-timeline">
        {pkg?.events.map((e) => (
          <li key={`${e.at}-${e.description}`} className={`trace-event trace-${e.status}`} data-testid="trace-event">
            <span className="time">{formatTime(e.at, true)}</span>
            <span className="trace-status">{t(`trackingState.${e.status}`)}</span>
            <span className="trace-desc">
              {e.description}
              {e.location && <span className="muted"> · {e.location}</span>}
            </span>
            <span className="muted small">{t(`traceSource.${e.source}`)}</span>
          </li>
        ))}
      </ol>
    </Dialog>
  );
}
