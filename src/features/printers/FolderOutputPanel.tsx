// The on-screen preview of a folder printer (folder:DIR): its newest labels as they came out — the
// PNG a thermal printer would have printed, or a PDF to download — with the order and waybill each
// belongs to. Refreshed as print jobs change, so a printed batch shows up here as it is written.
import { useTranslation } from 'react-i18next';
import type { PrinterView } from '../../../electron/shared/contract.ts';
import { downloadBase64 } from '../orders/batch/download.ts';
import { useQuery } from '../../api/use-query.ts';

/** A folder printer writes files; only it has output to preview. */
export const isFolderPrinter = (p: Pick<PrinterView, 'uri'>): boolean => p.uri.startsWith('folder:');

export function FolderOutputPanel({ printer, limit = 6, onClose }: { printer: PrinterView; limit?: number; onClose?: () => void }) {
  const { t } = useTranslation();
  const { data } = useQuery('printers.output', { id: printer.id, limit });
  return (
    <section className="folder-output" data-testid="folder-output" data-printer-id={printer.id}>
      <div className="folder-output-head">
        <span className="strong">{t('folderOutput.title', { name: printer.name })}</span>
        {data && <span className="muted small mono">{t('folderOutput.dir', { dir: data.dir })}</span>}
        {onClose && (
          <button type="button" className="link" data-testid="folder-output-close" onClick={onClose}>
            {t('folderOutput.close')}
          </button>
        )}
      </div>
      {!data && <p className="muted small">{t('folderOutput.loading')}</p>}
      {data && data.files.length === 0 && (
        <p className="muted small" data-testid="folder-output-empty">
          {t('folderOutput.empty')}
        </p>
      )}
      {data && data.files.length > 0 && (
        <ul className="folder-output-files">
          {data.files.map((f) => (
            <li key={f.fileName} className="folder-output-file" data-testid="folder-output-file" data-kind={f.kind} data-waybill={f.waybillNo ?? ''}>
              {f.kind === 'png' && f.base64 ? (
                <img src={`data:image/png;base64,${f.base64}`} alt={f.waybillNo ?? f.fileName} data-testid="folder-output-image" />
              ) : f.kind === 'pdf' && f.base64 ? (
                <button type="button" className="link" onClick={() => downloadBase64(f.fileName, 'application/pdf', f.base64 as string)}>
                  {t('folderOutput.openPdf')}
                </button>
              ) : (
                <span className="muted small">{t('folderOutput.raw', { kind: f.kind.toUpperCase() })}</span>
              )}
              <span className="small">{f.waybillNo ? t('folderOutput.waybill', { no: f.waybillNo }) : f.docType ? t(`printerDoc.${f.docType}`, { defaultValue: f.docType }) : ''}</span>
              {f.platformOrderId && <span className="muted small">{t('folderOutput.order', { no: f.platformOrderId })}</span>}
              <span className="muted small mono">{f.fileName}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
