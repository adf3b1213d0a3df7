// 仓库: every warehouse with the provinces it serves and its priority (warehouse choice reads both);
// a manager adds and edits them.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WarehouseView } from '../../../electron/shared/contract.ts';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { WarehouseDialog } from './WarehouseDialog.tsx';

export function WarehousesView() {
  const { t } = useTranslation();
  const { data, reload } = useQuery('warehouses.list', {});
  const canAdd = useCan('warehouses.add');
  const canEdit = useCan('warehouses.update');
  const [editing, setEditing] = useState<WarehouseView | 'new' | null>(null);
  return (
    <div className="stock-view" data-testid="warehouses-view">
      <div className="stock-toolbar">
        <span className="muted small">{t('stock.warehousesHint')}</span>
        <span className="fill" />
        {canAdd && (
          <button type="button" className="primary" data-testid="warehouse-add" onClick={() => setEditing('new')}>
            {t('stock.warehouseAdd')}
          </button>
        )}
      </div>
      <ListTable
        testId="warehouses-table"
        columns={[{ label: t('stock.whCode') }, { label: t('stock.whName') }, { label: t('stock.whAddress') }, { label: t('stock.whRegions') }, { label: t('stock.whPriority'), align: 'right' }, {}]}
        rows={data}
        empty={t('stock.noWarehouses')}
        emptyTestId="warehouses-empty"
      >
        {data?.map((w) => (
          <tr key={w.code} data-testid="warehouse-row" data-code={w.code}>
            <td className="mono">{w.code}</td>
            <td>{w.name}</td>
            <td className="small">{w.address ?? '—'}</td>
            <td>
              {w.regions.length === 0 ? (
                <span className="muted small">{t('stock.whAnywhere')}</span>
              ) : (
                w.regions.map((r) => (
                  <span key={r} className="stock-chip">
                    {r}
                  </span>
                ))
              )}
            </td>
            <td className="right">{w.priority}</td>
            <td>
              {canEdit && (
                <button type="button" className="small" data-testid="warehouse-edit" onClick={() => setEditing(w)}>
                  {t('stock.edit')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      {editing && <WarehouseDialog warehouse={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onDone={reload} />}
    </div>
  );
}
