// 面单账号: where each carrier's numbers come from — free/used counts of self-managed pools — with
// add account, add a number range and import numbers (.xlsx/.csv, with the per-line bad-row report).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARRIERS } from '../../../electron/shared/carriers.ts';
import type { WaybillAccountInfo } from '../../../electron/shared/contract.ts';
import { useCan } from '../../app/session-store.ts';
import { Badge } from '../../components/Badge.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { useQuery } from '../../api/use-query.ts';
import { AddAccountDialog } from './AddAccountDialog.tsx';
import { ImportNumbersDialog } from './ImportNumbersDialog.tsx';
import { NumberRangeDialog } from './NumberRangeDialog.tsx';


export function carrierName(code: string, zh: boolean): string {
  const c = CARRIERS.find((x) => x.code === code);
  return c ? (zh ? c.zh : c.en) : code;
}

type DialogState = { kind: 'add' } | { kind: 'range' | 'import'; account: WaybillAccountInfo } | null;

export function WaybillAccountsView() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const { data: accounts, reload } = useQuery('waybillAccounts.list', {});
  const { data: shops } = useQuery('shops.list', {});
  const [dialog, setDialog] = useState<DialogState>(null);
  const can = { add: useCan('waybillAccounts.add'), range: useCan('waybillAccounts.addRange'), import: useCan('waybillAccounts.importNumbers') };
  const shopName = (id: string | null) => shops?.find((s) => s.id === id)?.name ?? '';
  return (
    <div className="shops-view">
      <div className="shops-toolbar">
        {can.add && (
          <button type="button" className="primary" data-testid="account-add" onClick={() => setDialog({ kind: 'add' })}>
            {t('waybillAccounts.add')}
          </button>
        )}
      </div>
      <ListTable
        testId="accounts-table"
        columns={[
          { label: t('waybillAccounts.name') },
          { label: t('waybillAccounts.carrier') },
          { label: t('waybillAccounts.kind') },
          { label: t('waybillAccounts.shop') },
          { label: t('waybillAccounts.free'), align: 'right' },
          { label: t('waybillAccounts.used'), align: 'right' },
          { label: t('waybillAccounts.actions') },
        ]}
        rows={accounts}
        empty={t('waybillAccounts.empty')}
        emptyTestId="accounts-empty"
      >
        {accounts?.map((a) => (
          <tr key={a.id} data-testid="account-row" data-account-id={a.id}>
            <td className="strong">
              {a.name}
              {a.settings.options.demo === '1' && (
                <>
                  {' '}
                  <Badge tone="accent" testId="account-demo" title={t('waybillAccounts.demoTitle')}>
                    {t('waybillAccounts.demo')}
                  </Badge>
                </>
              )}
            </td>
            <td>{carrierName(a.carrierCode, zh)}</td>
            <td>{t(a.kind === 'pool' ? 'waybillAccounts.kindPool' : 'waybillAccounts.kindPlatform')}</td>
            <td className="small">{a.kind === 'platform' ? shopName(a.shopId) : a.settings.shopIds.map(shopName).filter(Boolean).join('、')}</td>
            <td className="right" data-testid="account-free">
              {a.pool ? a.pool.free : '—'}
            </td>
            <td className="right" data-testid="account-used">
              {a.pool ? a.pool.used : '—'}
            </td>
            <td>
              {a.kind === 'pool' && (
                <div className="shop-actions">
                  {can.range && (
                    <button type="button" data-testid="account-add-range" onClick={() => setDialog({ kind: 'range', account: a })}>
                      {t('waybillAccounts.addRange')}
                    </button>
                  )}
                  {can.import && (
                    <button type="button" data-testid="account-import" onClick={() => setDialog({ kind: 'import', account: a })}>
                      {t('waybillAccounts.importNumbers')}
                    </button>
                  )}
                </div>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      {dialog?.kind === 'add' && <AddAccountDialog shops={shops ?? []} onClose={() => setDialog(null)} onDone={reload} />}
      {dialog?.kind === 'range' && <NumberRangeDialog account={dialog.account} onClose={() => setDialog(null)} onDone={reload} />}
      {dialog?.kind === 'import' && <ImportNumbersDialog account={dialog.account} onClose={() => setDialog(null)} onDone={reload} />}
    </div>
  );
}
