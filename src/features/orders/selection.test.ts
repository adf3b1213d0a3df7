import { describe, expect, it } from 'vitest';
import { addRange, clickModeOf, emptySelection, headerState, keepStillShown, removeAll, selectOnly, toggle } from './selection.ts';

describe('order table selection', () => {
  it('maps modifier keys to click modes', () => {
    expect(clickModeOf({ shiftKey: false, ctrlKey: false, metaKey: false })).toBe('single');
    expect(clickModeOf({ shiftKey: false, ctrlKey: true, metaKey: false })).toBe('toggle');
    expect(clickModeOf({ shiftKey: false, ctrlKey: false, metaKey: true })).toBe('toggle');
    expect(clickModeOf({ shiftKey: true, ctrlKey: true, metaKey: false })).toBe('range');
  });

  it('toggles, selects one, and ranges from the anchor', () => {
    let s = toggle(emptySelection, 'a', 0);
    s = toggle(s, 'c', 2);
    expect([...s.ids]).toEqual(['a', 'c']);
    expect(s.anchor).toBe(2);
    s = toggle(s, 'a', 0);
    expect([...s.ids]).toEqual(['c']);
    s = selectOnly('b', 1);
    expect([...s.ids]).toEqual(['b']);
    s = addRange(s, ['b', 'c', 'd']);
    expect([...s.ids].sort()).toEqual(['b', 'c', 'd']);
    expect(s.anchor).toBe(1);
  });

  it('reports the header checkbox state over loaded rows', () => {
    const s = addRange(emptySelection, ['a', 'b']);
    expect(headerState(s, [])).toBe('none');
    expect(headerState(s, ['a', 'b'])).toBe('all');
    expect(headerState(s, ['a', 'b', 'c'])).toBe('some');
    expect(headerState(removeAll(s, ['a', 'b']), ['a', 'b'])).toBe('none');
  });

  it('never mutates the selection it was given', () => {
    const s = addRange(emptySelection, ['a']);
    toggle(s, 'b', 1);
    removeAll(s, ['a']);
    expect([...s.ids]).toEqual(['a']);
    expect(emptySelection.ids.size).toBe(0);
  });
});

describe('selection after the view changed', () => {
  it('drops the checked ids the view no longer shows and keeps ids picked meanwhile', () => {
    const before = { ids: new Set(['a', 'b', 'c']), anchor: 4 };
    // The check asked about a, b, c; only b is still shown; meanwhile d was picked.
    const meanwhile = addRange(before, ['d']);
    const after = keepStillShown(meanwhile, ['a', 'b', 'c'], ['b']);
    expect([...after.ids].sort()).toEqual(['b', 'd']);
    expect(after.anchor).toBe(4);
    // Nothing left the view: the same selection object, so nothing re-renders.
    expect(keepStillShown(before, ['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(before);
  });
});
