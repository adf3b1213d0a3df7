// The status tabs: one per work queue plus 全部 and 异常, each with its live count.
import { useTranslation } from 'react-i18next';
import type { OrderCounts } from '../../../electron/shared/contract.ts';
import { QUEUES } from '../../../electron/shared/model.ts';
import { useOrders } from './store.ts';

const TABS = ['all', ...QUEUES, 'abnormal'] as const;
type Tab = (typeof TABS)[number];

function countOf(counts: OrderCounts | null, tab: Tab): number | null {
  if (!counts) return null;
  if (tab === 'all') return counts.all;
  if (tab === 'abnormal') return counts.abnormal.any;
  return counts.queues[tab];
}

export function QueueTabs({ counts }: { counts: OrderCounts | null }) {
  const { t } = useTranslation();
  const current = useOrders((s) => s.filter.queue ?? 'all');
  const setFilter = useOrders((s) => s.setFilter);
  return (
    <nav className="queue-tabs" role="tablist">
      {TABS.map((tab) => {
        const n = countOf(counts, tab);
        const label = t(`queue.${tab}`);
        return (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={current === tab}
            className={`queue-tab${current === tab ? ' active' : ''}${tab === 'abnormal' ? ' queue-tab-abnormal' : ''}`}
            data-testid={`queue-tab-${tab}`}
            onClick={() => setFilter({ queue: tab === 'all' ? undefined : tab })}
            title={label}
          >
            <span className="queue-tab-label">{label}</span>
            <span className="queue-count" data-testid={`queue-count-${tab}`}>
              {n === null ? '…' : n.toLocaleString('en-US')}
            </span>
          </button>
        );
      })}
    </nav>
  );
}
