// 常用筛选: the station's saved filters. Apply one with a click; save what is on screen under a
// name (an existing name is overwritten); rename or delete in place. Kept in the core, so a reload
// and the desktop app show the same list; relative date ranges stay relative.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readsOf, type FilterPreset } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useToasts } from '../../app/toast-store.ts';
import { useReportError } from '../../app/use-report-error.ts';
import '../../components/multi-select.css';
import { useOrders } from './store.ts';

function usePresets(): [FilterPreset[], (list: FilterPreset[]) => void] {
  const report = useReportError();
  const [presets, setPresets] = useState<FilterPreset[]>([]);
  const load = () => api.call('filterPresets.list', {}).then(setPresets, (e) => report(e, 'filterPresets.list'));
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Another window of this station saved one.
  useDbChanged(readsOf('filterPresets.list'), () => void load(), 300);
  return [presets, setPresets];
}

export function PresetMenu() {
  const { t } = useTranslation();
  const report = useReportError();
  const push = useToasts((s) => s.push);
  const [presets, setPresets] = usePresets();
  const [open, setOpen] = useState(false);
  const [naming, setNaming] = useState<{ id: string | null; text: string } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const filter = useOrders((s) => s.filter);
  const dateShortcuts = useOrders((s) => s.dateShortcuts);
  const applyPreset = useOrders((s) => s.applyPreset);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(false);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && (naming ? setNaming(null) : setOpen(false));
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, naming]);
  useEffect(() => {
    if (!open) setNaming(null);
  }, [open]);

  const { q: _q, ...savable } = filter;
  const nothingToSave = Object.keys(savable).length === 0;

  const submitName = async () => {
    if (!naming) return;
    const name = naming.text.trim();
    if (!name) return;
    try {
      const list =
        naming.id === null
          ? await api.call('filterPresets.save', { name, filter: savable, relative: dateShortcuts })
          : await api.call('filterPresets.rename', { id: naming.id, name });
      setPresets(list);
      setNaming(null);
      if (naming.id === null) push({ kind: 'success', text: t('presets.saved', { name }) });
    } catch (err) {
      report(err, naming.id === null ? 'filterPresets.save' : 'filterPresets.rename');
    }
  };

  const remove = async (p: FilterPreset) => {
    try {
      setPresets(await api.call('filterPresets.delete', { id: p.id }));
    } catch (err) {
      report(err, 'filterPresets.delete');
    }
  };

  const nameInput = (
    <form
      className="preset-name"
      onSubmit={(e) => {
        e.preventDefault();
        void submitName();
      }}
    >
      <input
        autoFocus
        data-testid="preset-name"
        maxLength={30}
        value={naming?.text ?? ''}
        placeholder={t('presets.namePlaceholder')}
        onChange={(e) => setNaming((n) => n && { ...n, text: e.target.value })}
      />
      <button type="submit" className="primary" data-testid="preset-name-ok" disabled={!naming?.text.trim()}>
        {t('common.save')}
      </button>
    </form>
  );

  return (
    <div className="ms preset-menu" ref={ref}>
      <button type="button" className="ms-button" data-testid="presets" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">★</span>
        {t('presets.title')}
        <span className="ms-caret">▾</span>
      </button>
      {open && (
        <div className="ms-panel preset-panel" data-testid="presets-panel">
          {presets.length === 0 && <div className="muted small preset-empty">{t('presets.empty')}</div>}
          {presets.map((p) =>
            naming?.id === p.id ? (
              <div key={p.id} className="preset-row">
                {nameInput}
              </div>
            ) : (
              <div key={p.id} className="preset-row ms-option" data-testid="preset" data-name={p.name}>
                <button
                  type="button"
                  className="link preset-apply"
                  data-testid="preset-apply"
                  onClick={() => {
                    applyPreset(p);
                    setOpen(false);
                  }}
                >
                  {p.name}
                </button>
                <button type="button" className="link preset-tool" data-testid="preset-rename" title={t('presets.rename')} aria-label={t('presets.rename')} onClick={() => setNaming({ id: p.id, text: p.name })}>
                  ✎
                </button>
                <button type="button" className="link preset-tool" data-testid="preset-delete" title={t('presets.delete')} aria-label={t('presets.delete')} onClick={() => void remove(p)}>
                  ×
                </button>
              </div>
            ),
          )}
          <div className="preset-save">
            {naming?.id === null ? (
              nameInput
            ) : (
              <button type="button" className="link" data-testid="preset-save" disabled={nothingToSave} title={nothingToSave ? t('presets.nothingToSave') : undefined} onClick={() => setNaming({ id: null, text: '' })}>
                + {t('presets.saveCurrent')}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
