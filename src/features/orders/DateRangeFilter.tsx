// A from–to pair of day pickers whose days are read as Asia/Shanghai calendar days.
import { formatTime, shanghaiDayToMs } from '../../i18n/format.ts';

interface Props {
  label: string;
  from: number | undefined;
  to: number | undefined;
  onChange(from: number | undefined, to: number | undefined): void;
  testId: string;
}

const day = (ms: number | undefined) => (ms === undefined ? '' : formatTime(ms).slice(0, 10));

export function DateRangeFilter({ label, from, to, onChange, testId }: Props) {
  return (
    <label className={`date-range${from !== undefined || to !== undefined ? ' active' : ''}`}>
      <span className="date-range-label">{label}</span>
      <input
        type="date"
        data-testid={`${testId}-from`}
        value={day(from)}
        max={day(to) || undefined}
        onChange={(e) => onChange(shanghaiDayToMs(e.target.value, 'start'), to)}
      />
      <span className="date-range-dash">–</span>
      <input
        type="date"
        data-testid={`${testId}-to`}
        value={day(to)}
        min={day(from) || undefined}
        onChange={(e) => onChange(from, shanghaiDayToMs(e.target.value, 'end'))}
      />
    </label>
  );
}
