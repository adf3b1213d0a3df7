// showView with the electron module mocked: a view is named to the page through the preload's
// navigate channel right away when the page has loaded, and only after it has when it is loading.
import { describe, expect, it, vi } from 'vitest';
import { NAVIGATE_CHANNEL } from '../preload/channels.ts';

vi.mock('electron', () => ({ BrowserWindow: class {} }));
const { showView } = await import('./window.ts');

function contentsDouble(loading: boolean) {
  const loaded: (() => void)[] = [];
  const sent: unknown[][] = [];
  return {
    sent,
    finishLoad: () => loaded.splice(0).forEach((fn) => fn()),
    webContents: {
      isLoading: () => loading,
      isDestroyed: () => false,
      once: (event: string, fn: () => void) => {
        if (event === 'did-finish-load') loaded.push(fn);
      },
      send: (...args: unknown[]) => sent.push(args),
    },
  };
}

describe('showView', () => {
  it('tells a loaded page at once', () => {
    const w = contentsDouble(false);
    showView(w as never, '#stock/alerts');
    expect(w.sent).toEqual([[NAVIGATE_CHANNEL, '#stock/alerts']]);
  });

  it('waits for a window still loading (made for the click) to finish', () => {
    const w = contentsDouble(true);
    showView(w as never, '#stock/alerts');
    expect(w.sent).toEqual([]);
    w.finishLoad();
    expect(w.sent).toEqual([[NAVIGATE_CHANNEL, '#stock/alerts']]);
  });
});
