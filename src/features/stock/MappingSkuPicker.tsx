// 对应到商品: a search over the catalogue (outer code, barcode, title) to pick the local SKU the
// selected platform SKUs stand for. A person's mapping; auto-match never overrides it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MappingKey } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useQuery } from '../../api/use-query.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { FormDialog } from '../../components/FormDialog.tsx';

export function MappingSkuPicker({ rows, onClose, onDone }: { rows: MappingKey[]; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const toast = useToasts((s) => s.push);
  const { busy, run } = useSubmit();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const { data: skus } = useQuery('skus.list', { ...(q ? { q } : {}), limit: 50 });
  const { data: bundles } = useQuery('bundles.list', {});
  const bundleCodes = new Set((bundles ?? []).map((b) => b.sku));

  const submit = () =>
    void run('mapping.set', async () => {
      if (picked === null) return;
      const r = await api.call('mapping.set', { rows, sku: picked });
      toast({ kind: 'success', text: t('mapping.mapDone', { changed: r.changed, rechecked: r.rechecked }) });
      onDone();
    });

  return (
    <FormDialog title={t('mapping.pickTitle')} onClose={onClose} testId="mapping-picker" wide confirmLabel={t('mapping.pickConfirm')} onConfirm={submit} disabled={busy || picked === null}>
      <p className="muted small">{t('mapping.pickHint', { count: rows.length })}</p>
      <input
        type="search"
        autoFocus
        className="mapping-pick-search"
        data-testid="mapping-picker-search"
        placeholder={t('mapping.pickSearch')}
        aria-label={t('mapping.pickSearch')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
      />
      <div className="mapping-pick-list" role="listbox" aria-label={t('mapping.pickTitle')}>
        {skus?.length === 0 && <p className="muted">{t('mapping.pickNone')}</p>}
        {skus?.map((s) => (
          <button
            key={s.code}
            type="button"
            role="option"
            aria-selected={picked === s.code}
            className={`mapping-pick-option${picked === s.code ? ' on' : ''}`}
            data-testid="mapping-picker-option"
            data-code={s.code}
            onClick={() => setPicked(s.code)}
            onDoubleClick={() => {
              setPicked(s.code);
              void run('mapping.set', async () => {
                const r = await api.call('mapping.set', { rows, sku: s.code });
                toast({ kind: 'success', text: t('mapping.mapDone', { changed: r.changed, rechecked: r.rechecked }) });
                onDone();
              });
            }}
          >
            <span className="mono">{s.code}</span>
            <span className="mapping-pick-title">{s.title}</span>
            <span className="muted">{s.spec}</span>
            {bundleCodes.has(s.code) && <span className="stock-mark low">{t('mapping.bundleMark')}</span>}
          </button>
        ))}
      </div>
    </FormDialog>
  );
}
