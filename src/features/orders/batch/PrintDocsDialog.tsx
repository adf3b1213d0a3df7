// 拣货单 / 发货单 for the selected orders: download an A4 PDF, or send it to a receipt or A4 printer
// (by default the one assigned to that document on the 打印 page). The core lays the document out
// for the printer it goes to; a retried click with the same request id queues nothing new.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrinterView } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useToasts } from '../../../app/toast-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { FormDialog } from '../../../components/FormDialog.tsx';
import { downloadBase64 } from './download.ts';

export type PrintDoc = 'pick_list' | 'packing_slip';

export function PrintDocsDialog({ ids, doc, onClose }: { ids: string[]; doc: PrintDoc; onClose(): void }) {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const [printers, setPrinters] = useState<PrinterView[]>([]);
  const [target, setTarget] = useState<string>('download');
  const [busy, setBusy] = useState(false);
  const requestId = useMemo(() => crypto.randomUUID(), []);

  useEffect(() => {
    api.call('printers.list', {}).then(
      (all) => {
        // Printers assigned to this document first; label printers cannot print A4 or receipts.
        const usable = all.filter((p) => p.lang === 'escpos' || p.lang === 'pdf');
        usable.sort((a, b) => Number(b.documents.includes(doc)) - Number(a.documents.includes(doc)));
        setPrinters(usable);
        const assigned = usable.find((p) => p.documents.includes(doc) && !p.paused);
        if (assigned) setTarget(assigned.id);
      },
      (err) => report(err, 'printers.list'),
    );
  }, [doc, report]);

  const run = async () => {
    setBusy(true);
    try {
      if (target === 'download') {
        const out = doc === 'pick_list' ? await api.call('pickList.render', { ids, format: 'pdf' }) : await api.call('packingSlips.render', { ids, format: 'pdf' });
        downloadBase64(out.fileName, out.mime, out.base64);
      } else {
        const input = { ids, printerId: target, requestId };
        const queued = doc === 'pick_list' ? await api.call('print.pickList', input) : await api.call('print.packingSlips', input);
        push({ kind: 'success', text: t('printDocs.queued', { printer: queued.printerName }) });
      }
      onClose();
    } catch (err) {
      report(err, doc === 'pick_list' ? 'pickList.render' : 'packingSlips.render');
    } finally {
      setBusy(false);
    }
  };

  return (
    <FormDialog
      title={t(doc === 'pick_list' ? 'printDocs.pickListTitle' : 'printDocs.slipsTitle', { count: ids.length })}
      onClose={onClose}
      testId="print-docs-dialog"
      confirmLabel={target === 'download' ? t('printDocs.download') : t('printDocs.print')}
      onConfirm={() => void run()}
      disabled={busy}
    >
      <label className="form-row">
        <span className="form-label">{t('printDocs.target')}</span>
        <select data-testid="print-docs-target" value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="download">{t('printDocs.downloadPdf')}</option>
          {printers.map((p) => (
            <option key={p.id} value={p.id} disabled={p.paused}>
              {p.name}
              {p.paused ? ` (${t('printDocs.paused')})` : ''}
            </option>
          ))}
        </select>
      </label>
    </FormDialog>
  );
}
