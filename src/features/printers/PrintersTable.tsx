// The printers list: address, language, DPI, documents assigned, paused, live status, the jobs
// holding its lane (a link to them); and the actions the role may use — test print, pause/resume,
// edit, remove — plus 添加 and 发现打印机.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveredPrinter, PrinterView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { Badge } from '../../components/Badge.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useQuery } from '../../api/use-query.ts';
import { DiscoverPanel } from './DiscoverPanel.tsx';
import { FolderOutputPanel, isFolderPrinter } from './FolderOutputPanel.tsx';
import { PrinterDialog } from './PrinterDialog.tsx';
import { formFromDiscovered, type PrinterFormValues } from './printer-form.ts';
import { usePrintingView } from './printing-view-store.ts';
import { statusBadge, usePrinterStatus } from './use-printer-status.ts';

// print_jobs: a job failing or being answered changes what holds a printer.

type DialogState = { kind: 'add'; initial?: PrinterFormValues } | { kind: 'edit'; printer: PrinterView } | null;

export function PrintersTable() {
  const { t } = useTranslation();
  const report = useReportError();
  const toast = useToasts((s) => s.push);
  const { data: printers, reload } = useQuery('printers.list', {});
  const { status, refresh } = usePrinterStatus(printers?.map((p) => p.id) ?? []);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [discovering, setDiscovering] = useState(false);
  const [found, setFound] = useState<DiscoveredPrinter[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const openPrinting = usePrintingView((s) => s.open);
  const can = {
    add: useCan('printers.add'),
    edit: useCan('printers.update'),
    remove: useCan('printers.remove'),
    pause: useCan('printers.setPaused'),
    test: useCan('printers.testPrint'),
    discover: useCan('printers.discover'),
  };

  const act = async (p: PrinterView, what: 'test' | 'pause' | 'resume' | 'remove') => {
    if (what === 'remove' && !window.confirm(t('printers.removeConfirm', { name: p.name }))) return;
    setBusy(`${p.id}:${what}`);
    try {
      if (what === 'test') {
        await api.call('printers.testPrint', { id: p.id });
        toast({ kind: 'success', text: t('printers.testQueued', { name: p.name }) });
      } else if (what === 'remove') {
        await api.call('printers.remove', { id: p.id });
        toast({ kind: 'success', text: t('printers.removed', { name: p.name }) });
      } else {
        await api.call('printers.setPaused', { id: p.id, paused: what === 'pause' });
        toast({ kind: 'success', text: t(what === 'pause' ? 'printers.pausedToast' : 'printers.resumedToast', { name: p.name }) });
      }
      reload();
    } catch (err) {
      report(err, `printers.${what}`);
    } finally {
      setBusy(null);
    }
  };

  const discover = async () => {
    setDiscovering(true);
    try {
      setFound(await api.call('printers.discover', {}));
    } catch (err) {
      report(err, 'printers.discover');
    } finally {
      setDiscovering(false);
    }
  };

  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        {can.add && (
          <button type="button" className="primary" data-testid="printer-add" onClick={() => setDialog({ kind: 'add' })}>
            {t('printers.add')}
          </button>
        )}
        {can.discover && (
          <button type="button" data-testid="printer-discover" disabled={discovering} onClick={() => void discover()}>
            {discovering ? t('printers.discovering') : t('printers.discover')}
          </button>
        )}
        <button type="button" className="link" data-testid="printer-refresh-status" onClick={() => refresh()}>
          {t('printers.refreshStatus')}
        </button>
      </div>
      {found !== null && (
        <DiscoverPanel
          found={found}
          canAdd={can.add}
          onUse={(d) => setDialog({ kind: 'add', initial: formFromDiscovered(d) })}
          onClose={() => setFound(null)}
        />
      )}
      <ListTable
        testId="printers-table"
        columns={[
          { label: t('printers.name') },
          { label: t('printers.uri') },
          { label: t('printers.lang') },
          { label: t('printers.dpi') },
          { label: t('printers.documents') },
          { label: t('printers.status') },
          { label: t('printers.actions') },
        ]}
        rows={printers}
        loading={t('printers.loading')}
        empty={t('printers.empty')}
        emptyTestId="printers-empty"
      >
        {printers?.map((p) => {
          const badge = statusBadge(status[p.id], p.paused);
          // A failed or uncertain job stops everything behind it on this printer (queue-sender.ts nextJob).
          const held = p.held.failed + p.held.uncertain;
          return (
            <tr key={p.id} data-testid="printer-row" data-printer-id={p.id} data-paused={p.paused ? 'true' : 'false'}>
              <td className="strong" data-testid="printer-name">
                {p.name}
                {p.settings.demo === true && (
                  <>
                    {' '}
                    <Badge tone="accent" testId="printer-demo" title={t('printers.demoTitle')}>
                      {t('printers.demo')}
                    </Badge>
                  </>
                )}
              </td>
              <td className="mono" data-testid="printer-uri">
                {p.uri}
              </td>
              <td data-testid="printer-lang">{t(`printerLang.${p.lang}`)}</td>
              <td>{p.dpi} dpi</td>
              <td data-testid="printer-documents">
                <div className="chip-line">
                  {p.documents.map((d) => (
                    <Badge key={d} tone="neutral">
                      {t(`printerDoc.${d}`)}
                    </Badge>
                  ))}
                </div>
              </td>
              <td data-testid="printer-status" data-tone={badge.tone}>
                <Badge tone={badge.tone} title={badge.words ?? undefined}>
                  {p.paused ? t('printers.paused') : (badge.words ?? t('printers.checking'))}
                </Badge>
                {held > 0 && (
                  <button
                    type="button"
                    className="link warn small printer-held"
                    data-testid="printer-held"
                    data-count={held}
                    title={t('printers.heldTitle')}
                    onClick={() => openPrinting('jobs', { printerId: p.id, state: 'held' })}
                  >
                    {t('printers.held', { count: held })}
                  </button>
                )}
              </td>
              <td>
                <div className="shop-actions">
                  {can.test && (
                    <button type="button" data-testid="printer-test" disabled={busy !== null} onClick={() => void act(p, 'test')}>
                      {t('printers.testPrint')}
                    </button>
                  )}
                  {can.pause && (
                    <button type="button" data-testid={p.paused ? 'printer-resume' : 'printer-pause'} disabled={busy !== null} onClick={() => void act(p, p.paused ? 'resume' : 'pause')}>
                      {t(p.paused ? 'printers.resume' : 'printers.pause')}
                    </button>
                  )}
                  {can.edit && (
                    <button type="button" data-testid="printer-edit" onClick={() => setDialog({ kind: 'edit', printer: p })}>
                      {t('printers.edit')}
                    </button>
                  )}
                  {can.remove && (
                    <button type="button" className="danger-text" data-testid="printer-remove" disabled={busy !== null} onClick={() => void act(p, 'remove')}>
                      {t('printers.remove')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          );
        })}
      </ListTable>
      {/* A folder printer's labels are on screen here: what a packer would otherwise pick off the printer. */}
      {printers?.filter(isFolderPrinter).map((p) => <FolderOutputPanel key={p.id} printer={p} />)}
      {dialog?.kind === 'add' && <PrinterDialog {...(dialog.initial ? { initial: dialog.initial } : {})} onClose={() => setDialog(null)} onDone={reload} />}
      {dialog?.kind === 'edit' && <PrinterDialog printer={dialog.printer} onClose={() => setDialog(null)} onDone={reload} />}
    </div>
  );
}
