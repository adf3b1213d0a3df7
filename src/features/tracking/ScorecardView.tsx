// 快递考核: transit time (shipped → signed) and exception rate by carrier × receiver province for a
// shipping-date range (default: the last 30 days), sortable by any column.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShanghai } from '../../../electron/shared/time.ts';
import { shanghaiDayToMs } from '../../i18n/format.ts';
import { useQuery } from '../../api/use-query.ts';
import { carrierName, SCORECARD_KEYS, sortScorecard, type ScorecardKey } from './tracking-words.ts';

const DAY_MS = 86_400_000;
const dayOf = (ms: number): string => formatShanghai(ms, false).slice(0, 10);
const HEADER: Record<ScorecardKey, string> = {
  carrierCode: 'tracking.colCarrier',
  province: 'tracking.colProvince',
  shipped: 'tracking.colShipped',
  signed: 'tracking.colSigned',
  medianHours: 'tracking.colMedian',
  p90Hours: 'tracking.colP90',
  exceptionRate: 'tracking.colExceptionRate',
};

export function ScorecardView() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const [from, setFrom] = useState(() => dayOf(Date.now() - 30 * DAY_MS));
  const [to, setTo] = useState(() => dayOf(Date.now()));
  const [sort, setSort] = useState<{ key: ScorecardKey; dir: 'asc' | 'desc' }>({ key: 'shipped', dir: 'desc' });
  const fromMs = shanghaiDayToMs(from, 'start') ?? 0;
  const toMs = (shanghaiDayToMs(to, 'end') ?? Date.now()) + 1;
  const { data } = useQuery('tracking.scorecard', { from: fromMs, to: toMs });
  const rows = data ? sortScorecard(data, sort.key, sort.dir) : [];
  const toggle = (key: ScorecardKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'carrierCode' || key === 'province' ? 'asc' : 'desc' }));
  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        <label>
          {t('tracking.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="scorecard-from" />
        </label>
        <label>
          {t('tracking.to')} <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="scorecard-to" />
        </label>
      </div>
      <div className="shops-table-wrap">
        <table className="shops-table tracking-scorecard" data-testid="tracking-scorecard">
          <thead>
            <tr>
              {SCORECARD_KEYS.map((k) => (
                <th key={k} className={k === 'carrierCode' || k === 'province' ? undefined : 'right'} aria-sort={sort.key === k ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort-button" data-testid={`scorecard-sort-${k}`} onClick={() => toggle(k)}>
                    {t(HEADER[k] as 'tracking.colCarrier')}
                    {sort.key === k ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data?.length === 0 && (
              <tr>
                <td colSpan={SCORECARD_KEYS.length} className="muted">
                  {t('tracking.scorecardEmpty')}
                </td>
              </tr>
            )}
            {rows.map((r) => (
              <tr key={`${r.carrierCode}-${r.province}`} data-testid="scorecard-row">
                <td>{carrierName(r.carrierCode, zh)}</td>
                <td>{r.province}</td>
                <td className="right">{r.shipped}</td>
                <td className="right">{r.signed}</td>
                <td className="right">{r.medianHours ?? '—'}</td>
                <td className="right">{r.p90Hours ?? '—'}</td>
                <td className={`right${r.exceptionRate >= 0.05 ? ' warn' : ''}`}>{(r.exceptionRate * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
