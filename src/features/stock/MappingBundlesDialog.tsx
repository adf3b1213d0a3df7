// 组合装: the bundles and their components, and a form to make a SKU a bundle (or change one, or make
// it plain again). Components are plain SKUs by 商家编码, each with its units per bundle; the core
// refuses a bundle inside a bundle, a bundle of itself and a code twice, in words.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useCan } from '../../app/session-store.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { Dialog } from '../../components/Dialog.tsx';

interface Line {
  sku: string;
  quantity: string;
}
const blank = (): Line => ({ sku: '', quantity: '1' });

export function MappingBundlesDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const canEdit = useCan('bundles.set');
  const { data: bundles } = useQuery('bundles.list', {});
  const { busy, run } = useSubmit();
  const [sku, setSku] = useState('');
  const [lines, setLines] = useState<Line[]>([blank()]);
  const edit = (b: BundleView) => {
    setSku(b.sku);
    setLines(b.components.map((c) => ({ sku: c.sku, quantity: String(c.quantity) })));
  };
  const setLine = (i: number, patch: Partial<Line>) => setLines((ls) => ls.map((l, n) => (n === i ? { ...l, ...patch } : l)));
  const components = lines.filter((l) => l.sku.trim() !== '').map((l) => ({ sku: l.sku.trim(), quantity: Number(l.quantity) }));
  const valid = sku.trim() !== '' && components.length > 0 && components.every((c) => Number.isInteger(c.quantity) && c.quantity >= 1);
  const isBundle = (bundles ?? []).some((b) => b.sku === sku.trim());

  const save = () =>
    void run('bundles.set', async () => {
      const b = await api.call('bundles.set', { sku: sku.trim(), components });
      toast({ kind: 'success', text: t('mapping.bundleSaved', { sku: b.sku }) });
    });
  const remove = () =>
    void run('bundles.remove', async () => {
      await api.call('bundles.remove', { sku: sku.trim() });
      toast({ kind: 'success', text: t('mapping.bundleRemoved', { sku: sku.trim() }) });
      setSku('');
      setLines([blank()]);
    });

  return (
    <Dialog title={t('mapping.bundlesTitle')} onClose={onClose} testId="mapping-bundles-dialog" wide>
      <p className="muted small">{t('mapping.bundlesHint')}</p>
      <div className="mapping-bundles">
        <ul className="mapping-bundle-list" data-testid="mapping-bundle-list">
          {bundles?.length === 0 && <li className="muted">{t('mapping.noBundles')}</li>}
          {bundles?.map((b) => (
            <li key={b.sku} data-testid="mapping-bundle" data-sku={b.sku}>
              <div>
                <span className="mono">{b.sku}</span> {b.title}
                {canEdit && (
                  <button type="button" className="stock-link" data-testid="mapping-bundle-edit" onClick={() => edit(b)}>
                    {' '}
                    {t('mapping.editBundle')}
                  </button>
                )}
              </div>
              <div className="muted small">{b.components.map((c) => `${c.sku} × ${c.quantity}`).join(' + ')}</div>
            </li>
          ))}
        </ul>
        {canEdit && (
          <div className="mapping-bundle-form">
            <div className="row">
              <label>
                {t('mapping.bundleSku')}{' '}
                <input data-testid="mapping-bundle-sku" value={sku} onChange={(e) => setSku(e.target.value)} />
              </label>
            </div>
            {lines.map((l, i) => (
              <div className="row" key={i}>
                <input aria-label={t('mapping.componentSku')} placeholder={t('mapping.componentSku')} data-testid="mapping-component-sku" value={l.sku} onChange={(e) => setLine(i, { sku: e.target.value })} />
                <span>×</span>
                <input aria-label={t('mapping.componentQty')} className="qty" type="number" min={1} data-testid="mapping-component-qty" value={l.quantity} onChange={(e) => setLine(i, { quantity: e.target.value })} />
                {lines.length > 1 && (
                  <button type="button" onClick={() => setLines((ls) => ls.filter((_, n) => n !== i))}>
                    {t('mapping.removeComponent')}
                  </button>
                )}
              </div>
            ))}
            <div className="row">
              <button type="button" data-testid="mapping-component-add" onClick={() => setLines((ls) => [...ls, blank()])}>
                {t('mapping.addComponent')}
              </button>
              <span className="fill" />
              <button type="button" className="primary" data-testid="mapping-bundle-save" disabled={busy || !valid} onClick={save}>
                {t('mapping.saveBundle')}
              </button>
              {isBundle && (
                <button type="button" data-testid="mapping-bundle-remove" disabled={busy} onClick={remove}>
                  {t('mapping.removeBundle')}
                </button>
              )}
            </div>
          </div>
        )}
      </div>
    </Dialog>
  );
}
