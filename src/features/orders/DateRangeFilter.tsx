// A date range filter as a dropdown: one-click shortcuts (今天/昨天/近7天/近30天), the first and last
// day typed as YYYY-MM-DD or picked on a month calendar. Days are Asia/Shanghai days (date-range.ts),
// shown the same in every language and on every computer, never in the browser's own date format.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DATE_SHORTCUTS, type DateShortcut } from '../../../electron/shared/contract.ts';
import { dayOf, monthGrid, parseDay, rangeOfDays } from './date-range.ts';
import '../../components/multi-select.css';
import { useDismiss } from '../../components/use-dismiss.ts';

interface Props {
  label: string;
  from: number | undefined;
  to: number | undefined;
  shortcut: DateShortcut | undefined;
  onDays(range: { from?: number; to?: number }): void;
  onShortcut(s: DateShortcut): void;
  testId: string;
}

const short = (day: string) => day.slice(5);

export function DateRangeFilter({ label, from, to, shortcut, onDays, onShortcut, testId }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const fromDay = from === undefined ? '' : dayOf(from);
  const toDay = to === undefined ? '' : dayOf(to);
  const [first, setFirst] = useState(fromDay);
  const [last, setLast] = useState(toDay);
  const [month, setMonth] = useState(() => (fromDay || dayOf(Date.now())).slice(0, 7));
  /** Picking on the calendar: the next click sets the last day. */
  const [picking, setPicking] = useState(false);

  useEffect(() => {
    if (!open) return;
    setFirst(fromDay);
    setLast(toDay);
    setPicking(false);
    setMonth((toDay || fromDay || dayOf(Date.now())).slice(0, 7));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  useDismiss(ref, open, () => setOpen(false));

  const active = from !== undefined || to !== undefined;
  const shown = shortcut
    ? t(`dateRange.${shortcut}`)
    : active
      ? fromDay === toDay
        ? fromDay
        : `${fromDay ? short(fromDay) : '…'} ~ ${toDay ? short(toDay) : '…'}`
      : '';
  const firstOk = first === '' || parseDay(first) !== null;
  const lastOk = last === '' || parseDay(last) !== null;
  const apply = () => {
    const a = parseDay(first);
    const b = parseDay(last);
    if (!firstOk || !lastOk) return;
    if (a && b) onDays(rangeOfDays(a, b));
    else onDays({ from: a ? rangeOfDays(a, a).from : undefined, to: b ? rangeOfDays(b, b).to : undefined });
    setOpen(false);
  };
  const pickDay = (day: string) => {
    if (!picking) {
      setFirst(day);
      setLast(day);
      setPicking(true);
    } else {
      const [a, b] = parseDay(first) && first <= day ? [first, day] : [day, first];
      setFirst(a);
      setLast(b);
      setPicking(false);
    }
  };
  const [y, m] = month.split('-').map(Number) as [number, number];
  const stepMonth = (n: number) => {
    const d = new Date(Date.UTC(y, m - 1 + n, 1));
    setMonth(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  };
  const a = parseDay(first);
  const b = parseDay(last);
  const inRange = (day: string) => a !== null && b !== null && day >= (a < b ? a : b) && day <= (a < b ? b : a);
  const today = dayOf(Date.now());

  return (
    <div className="ms date-range" ref={ref}>
      <button
        type="button"
        className={`ms-button${active ? ' ms-active' : ''}`}
        data-testid={testId}
        data-from={fromDay}
        data-to={toDay}
        aria-expanded={open}
        title={active ? `${label} ${fromDay || '…'} ~ ${toDay || '…'}` : undefined}
        onClick={() => setOpen(!open)}
      >
        {label}
        {shown && <span className="date-range-value">{shown}</span>}
        <span className="ms-caret">▾</span>
      </button>
      {open && (
        <div className="ms-panel date-panel" data-testid={`${testId}-panel`}>
          <div className="date-shortcuts">
            {DATE_SHORTCUTS.map((s) => (
              <button
                key={s}
                type="button"
                className={`chip-button${shortcut === s ? ' active' : ''}`}
                data-testid={`${testId}-${s}`}
                onClick={() => {
                  onShortcut(s);
                  setOpen(false);
                }}
              >
                {t(`dateRange.${s}`)}
              </button>
            ))}
          </div>
          <div className="date-inputs">
            <input
              data-testid={`${testId}-from`}
              value={first}
              placeholder="YYYY-MM-DD"
              aria-label={t('dateRange.first')}
              aria-invalid={!firstOk}
              onChange={(e) => setFirst(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && apply()}
            />
            <span>~</span>
            <input
              data-testid={`${testId}-to`}
              value={last}
              placeholder="YYYY-MM-DD"
              aria-label={t('dateRange.last')}
              aria-invalid={!lastOk}
              onChange={(e) => setLast(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && apply()}
            />
          </div>
          <div className="date-month">
            <button type="button" className="link" aria-label={t('dateRange.prevMonth')} onClick={() => stepMonth(-1)}>
              ‹
            </button>
            <span data-testid={`${testId}-month`}>{month}</span>
            <button type="button" className="link" aria-label={t('dateRange.nextMonth')} onClick={() => stepMonth(1)}>
              ›
            </button>
          </div>
          <table className="date-grid">
            <thead>
              <tr>
                {(t('dateRange.weekdays') as string).split('').map((w, i) => (
                  <th key={i}>{w}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthGrid(y, m).map((week, i) => (
                <tr key={i}>
                  {week.map((day, j) => (
                    <td key={j}>
                      {day && (
                        <button
                          type="button"
                          data-day={day}
                          className={`date-day${inRange(day) ? ' in-range' : ''}${day === a || day === b ? ' edge' : ''}${day === today ? ' today' : ''}`}
                          onClick={() => pickDay(day)}
                        >
                          {Number(day.slice(8))}
                        </button>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="date-actions">
            <button
              type="button"
              className="link"
              data-testid={`${testId}-clear`}
              onClick={() => {
                onDays({});
                setOpen(false);
              }}
            >
              {t('filter.clearThis')}
            </button>
            <button type="button" className="primary" data-testid={`${testId}-apply`} disabled={!firstOk || !lastOk} onClick={apply}>
              {t('common.confirm')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
