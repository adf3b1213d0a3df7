// 打印机校准: each printer's whole-label offset in dots (printers.settings offsetXDots/offsetYDots, saved
// through printers.update), a test print, and a button that shows the preview as that printer prints.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrinterView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { useQuery } from '../../api/use-query.ts';
import { parseDots } from './label-form.ts';
import { useLabelsPage } from './labels-store.ts';


export function CalibrationPanel() {
  const { t } = useTranslation();
  const { data: printers, reload } = useQuery('printers.list', {});
  return (
    <section className="labels-calibration" data-testid="labels-calibration">
      <div className="labels-section-title">{t('labels.calibration')}</div>
      <p className="muted small">{t('labels.calibrationHint')}</p>
      {printers && printers.length === 0 && <p className="muted">{t('labels.calibrationNone')}</p>}
      {printers && printers.length > 0 && (
        <table className="shops-table labels-calibration-table">
          <thead>
            <tr>
              <th>{t('labels.printer')}</th>
              <th>{t('labels.offsetXDots')}</th>
              <th>{t('labels.offsetYDots')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {printers.map((p) => (
              <CalibrationRow key={p.id} printer={p} onSaved={reload} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const dotsOf = (p: PrinterView, key: 'offsetXDots' | 'offsetYDots'): number => {
  const v = p.settings[key];
  return typeof v === 'number' ? v : 0;
};

function CalibrationRow({ printer, onSaved }: { printer: PrinterView; onSaved(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const canEdit = useCan('printers.update');
  const canTest = useCan('printers.testPrint');
  const setPreview = useLabelsPage((s) => s.setPreview);
  const [x, setX] = useState(String(dotsOf(printer, 'offsetXDots')));
  const [y, setY] = useState(String(dotsOf(printer, 'offsetYDots')));
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setX(String(dotsOf(printer, 'offsetXDots')));
    setY(String(dotsOf(printer, 'offsetYDots')));
  }, [printer]);
  const px = parseDots(x);
  const py = parseDots(y);
  const changed = px !== dotsOf(printer, 'offsetXDots') || py !== dotsOf(printer, 'offsetYDots');

  const save = async () => {
    if (px === null || py === null) return;
    setBusy(true);
    try {
      // printers.update replaces settings whole: keep the stock size, timeouts and the rest as they are.
      await api.call('printers.update', { id: printer.id, patch: { settings: { ...printer.settings, offsetXDots: px, offsetYDots: py } } });
      toast({ kind: 'success', text: t('labels.calibrationSaved', { name: printer.name }) });
      onSaved();
    } catch (err) {
      report(err, 'printers.update');
    } finally {
      setBusy(false);
    }
  };

  const testPrint = async () => {
    setBusy(true);
    try {
      await api.call('printers.testPrint', { id: printer.id });
      toast({ kind: 'success', text: t('labels.testQueued', { name: printer.name }) });
    } catch (err) {
      report(err, 'printers.testPrint');
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-testid={`labels-calibration-${printer.id}`}>
      <td>
        {printer.name} <span className="muted small">{printer.dpi} dpi</span>
      </td>
      <td>
        <input className={`labels-mm${px === null ? ' invalid' : ''}`} data-testid="calibration-x" inputMode="numeric" value={x} disabled={!canEdit} aria-invalid={px === null} title={px === null ? t('labels.invalidDots') : undefined} onChange={(e) => setX(e.target.value)} />
      </td>
      <td>
        <input className={`labels-mm${py === null ? ' invalid' : ''}`} data-testid="calibration-y" inputMode="numeric" value={y} disabled={!canEdit} aria-invalid={py === null} title={py === null ? t('labels.invalidDots') : undefined} onChange={(e) => setY(e.target.value)} />
      </td>
      <td className="shop-actions">
        {canEdit && (
          <button type="button" className="primary" data-testid="calibration-save" disabled={busy || !changed || px === null || py === null} onClick={() => void save()}>
            {t('labels.saveCalibration')}
          </button>
        )}
        {canTest && (
          <button type="button" data-testid="calibration-test" disabled={busy} onClick={() => void testPrint()}>
            {t('labels.testPrint')}
          </button>
        )}
        <button type="button" data-testid="calibration-preview" onClick={() => setPreview({ previewPrinterId: printer.id })}>
          {t('labels.previewOnPrinter')}
        </button>
      </td>
    </tr>
  );
}
