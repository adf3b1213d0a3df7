// The selection bar: how many are selected, "select all N matching", and the batch actions the
// role may perform, with their dialogs.
import { useTranslation } from 'react-i18next';
import type { MethodName, OrderFilter } from '../../../../electron/shared/contract.ts';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../app/session-store.ts';
import { useToasts } from '../../../app/toast-store.ts';
import { useReportError } from '../../../app/use-report-error.ts';
import { emptySelection } from '../selection.ts';
import { useOrders } from '../store.ts';
import { ExportDialog } from './ExportDialog.tsx';
import { PrintDocsDialog } from './PrintDocsDialog.tsx';
import { PrintLabelsDialog } from './PrintLabelsDialog.tsx';
import { FlagDialog } from './FlagDialog.tsx';
import { ReasonDialog } from './ReasonDialog.tsx';
import { TagDialog } from './TagDialog.tsx';
import { useBatchRunner } from './use-batch-runner.ts';

function ActionButton({ method, action, onClick, disabled }: { method: MethodName; action: string; onClick(): void; disabled: boolean }) {
  const { t } = useTranslation();
  const allowed = useCan(method);
  // Hidden, not greyed: a role never sees what it can never do.
  if (!allowed) return null;
  return (
    <button type="button" data-testid={`batch-${action}`} disabled={disabled} onClick={onClick}>
      {t(`batch.${action}`)}
    </button>
  );
}

export function BatchBar({ filter, total }: { filter: OrderFilter; total: number | null }) {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const selection = useOrders((s) => s.selection);
  const setSelection = useOrders((s) => s.setSelection);
  const dialog = useOrders((s) => s.dialog);
  const openDialog = useOrders((s) => s.openDialog);
  const { busy, run } = useBatchRunner();
  const canPrint = useCan('print.labels');
  const ids = [...selection.ids];
  const none = ids.length === 0 || busy;
  const close = () => openDialog(null);

  const selectAllMatching = async () => {
    try {
      const res = await api.call('orders.ids', { filter });
      setSelection({ ids: new Set(res.ids), anchor: null });
      if (res.truncated) push({ kind: 'info', text: t('batch.truncated', { count: res.ids.length }) });
    } catch (err) {
      report(err, 'orders.ids');
    }
  };

  return (
    <div className={`batch-bar${ids.length ? ' has-selection' : ''}`}>
      <span className="selection-count" data-testid="selection-count" data-count={ids.length}>
        {t('batch.selected', { count: ids.length })}
      </span>
      {total !== null && total > 0 && ids.length < total && (
        <button type="button" className="link" data-testid="select-all-matching" onClick={() => void selectAllMatching()}>
          {t('batch.selectAllMatching', { count: total })}
        </button>
      )}
      {ids.length > 0 && (
        <button type="button" className="link" data-testid="selection-clear" onClick={() => setSelection(emptySelection)}>
          {t('batch.clearSelection')}
        </button>
      )}
      <span className="batch-spacer" />
      <ActionButton method="orders.markRead" action="markRead" disabled={none} onClick={() => void run('markRead', () => api.call('orders.markRead', { ids, read: true }))} />
      <ActionButton method="orders.markRead" action="markUnread" disabled={none} onClick={() => void run('markUnread', () => api.call('orders.markRead', { ids, read: false }))} />
      <ActionButton method="orders.tag" action="tag" disabled={none} onClick={() => openDialog('tag')} />
      <ActionButton method="orders.setFlag" action="flag" disabled={none} onClick={() => openDialog('flag')} />
      <ActionButton method="orders.review" action="review" disabled={none} onClick={() => void run('review', () => api.call('orders.review', { ids }))} />
      <ActionButton method="orders.hold" action="hold" disabled={none} onClick={() => openDialog('hold')} />
      <ActionButton method="orders.release" action="release" disabled={none} onClick={() => void run('release', () => api.call('orders.release', { ids }))} />
      <ActionButton method="orders.close" action="close" disabled={none} onClick={() => openDialog('close')} />
      <ActionButton method="orders.export" action="export" disabled={busy || (ids.length === 0 && !total)} onClick={() => openDialog('export')} />
      <ActionButton method="orders.shipPrinted" action="ship" disabled={none} onClick={() => void run('ship', () => api.call('orders.shipPrinted', { ids }))} />
      <ActionButton method="pickList.render" action="pickList" disabled={none} onClick={() => openDialog('pick_list')} />
      <ActionButton method="packingSlips.render" action="packingSlips" disabled={none} onClick={() => openDialog('packing_slip')} />
      {canPrint && (
        <button type="button" className="primary" data-testid="batch-print" disabled={none} onClick={() => openDialog('print')}>
          {t('printBatch.action')}
        </button>
      )}

      {dialog === 'tag' && (
        <TagDialog busy={busy} onClose={close} onConfirm={(add, remove) => void run('tag', () => api.call('orders.tag', { ids, add, remove })).then((ok) => ok && close())} />
      )}
      {dialog === 'flag' && (
        <FlagDialog
          busy={busy}
          onClose={close}
          onConfirm={(flag, memo) =>
            void run('flag', () => api.call('orders.setFlag', { ids, ...(flag !== undefined ? { flag } : {}), ...(memo !== undefined ? { memo } : {}) })).then((ok) => ok && close())
          }
        />
      )}
      {dialog === 'hold' && (
        <ReasonDialog
          title={t('batch.holdTitle', { count: ids.length })}
          presets={[t('reasonPreset.hold1'), t('reasonPreset.hold2'), t('reasonPreset.hold3')]}
          busy={busy}
          onClose={close}
          onConfirm={(reason) => void run('hold', () => api.call('orders.hold', { ids, reason })).then((ok) => ok && close())}
        />
      )}
      {dialog === 'close' && (
        <ReasonDialog
          title={t('batch.closeTitle', { count: ids.length })}
          presets={[t('reasonPreset.close1'), t('reasonPreset.close2'), t('reasonPreset.close3')]}
          busy={busy}
          onClose={close}
          onConfirm={(reason) => void run('close', () => api.call('orders.close', { ids, reason })).then((ok) => ok && close())}
        />
      )}
      {dialog === 'export' && <ExportDialog selectedIds={ids} filter={filter} total={total} onClose={close} />}
      {dialog === 'print' && <PrintLabelsDialog ids={ids} onClose={close} />}
      {(dialog === 'pick_list' || dialog === 'packing_slip') && <PrintDocsDialog ids={ids} doc={dialog} onClose={close} />}
    </div>
  );
}
