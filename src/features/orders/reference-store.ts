// Reference lists the filters and dialogs pick from: shops, tags, provinces. Loaded once, refreshed
// when their tables change.
import { useEffect } from 'react';
import { create } from 'zustand';
import { readsOf, type ShopSummary, type TagView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useReportError } from '../../app/use-report-error.ts';

interface ReferenceState {
  shops: ShopSummary[];
  tags: TagView[];
  provinces: string[];
  set(patch: Partial<Pick<ReferenceState, 'shops' | 'tags' | 'provinces'>>): void;
}

export const useReference = create<ReferenceState>((set) => ({
  shops: [],
  tags: [],
  provinces: [],
  set: (patch) => set(patch),
}));

/** Mount once (in the workbench) to keep the reference lists fresh. */
export function useReferenceLoader(): void {
  const report = useReportError();
  const setRef = useReference((s) => s.set);
  const loadTags = () => api.call('tags.list', {}).then((tags) => setRef({ tags }), report);
  const loadShops = () => api.call('shops.list', {}).then((shops) => setRef({ shops }), report);
  useEffect(() => {
    void loadTags();
    void loadShops();
    void api.call('catalog.provinces', {}).then((provinces) => setRef({ provinces }), report);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useDbChanged(readsOf('tags.list'), () => void loadTags());
  useDbChanged(readsOf('shops.list'), () => void loadShops(), 1000);
}
