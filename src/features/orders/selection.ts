// Multi-select rules of the order table, as pure functions over an immutable selection:
// plain click selects one, ctrl/cmd-click toggles, shift-click selects the range from the anchor.
export interface Selection {
  ids: ReadonlySet<string>;
  /** Row index the next shift-click ranges from. */
  anchor: number | null;
}

export const emptySelection: Selection = { ids: new Set(), anchor: null };

export type ClickMode = 'single' | 'toggle' | 'range';

export function clickModeOf(e: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): ClickMode {
  if (e.shiftKey) return 'range';
  if (e.ctrlKey || e.metaKey) return 'toggle';
  return 'single';
}

export function toggle(sel: Selection, id: string, index: number): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index };
}

export function selectOnly(id: string, index: number): Selection {
  return { ids: new Set([id]), anchor: index };
}

/** Add the ids of a range (already resolved from row indexes) to the selection; the anchor stays. */
export function addRange(sel: Selection, rangeIds: readonly string[]): Selection {
  const ids = new Set(sel.ids);
  for (const id of rangeIds) ids.add(id);
  return { ids, anchor: sel.anchor };
}

export function addAll(sel: Selection, more: readonly string[]): Selection {
  return addRange(sel, more);
}

export function removeAll(sel: Selection, less: readonly string[]): Selection {
  const ids = new Set(sel.ids);
  for (const id of less) ids.delete(id);
  return { ids, anchor: sel.anchor };
}

/** Header checkbox state over the loaded rows. */
export function headerState(sel: Selection, loadedIds: readonly string[]): 'none' | 'some' | 'all' {
  if (loadedIds.length === 0) return 'none';
  let n = 0;
  for (const id of loadedIds) if (sel.ids.has(id)) n++;
  return n === 0 ? 'none' : n === loadedIds.length ? 'all' : 'some';
}

/**
 * After the view's orders changed (a batch action moved some out of it): drop the selected ids
 * that were checked (`asked`) and are no longer in the view (not in `still`). Ids selected while
 * the check ran were not asked about and stay; so does the anchor.
 */
export function keepStillShown(sel: Selection, asked: readonly string[], still: readonly string[]): Selection {
  const shown = new Set(still);
  const gone = asked.filter((id) => !shown.has(id) && sel.ids.has(id));
  if (gone.length === 0) return sel;
  return removeAll(sel, gone);
}
