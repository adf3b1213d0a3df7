// A keyboard-wedge barcode scanner for the e2e tests: the code's characters, then Enter, into
// whatever has focus, stamped 3 ms apart like a real scanner's burst. The stamps are given to
// Chromium with each key (CDP Input.dispatchKeyEvent's `timestamp`) rather than taken from when the
// key arrives, because the 验货 page tells a scan from typing by those stamps (keyed.ts) and a busy
// test machine would otherwise space a burst out like a person's typing.
import type { Page } from '@playwright/test';

const GAP_S = 0.003;

export async function scan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    let at = Date.now() / 1000;
    for (const ch of code) {
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch, timestamp: at });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch, timestamp: at + GAP_S / 3 });
      at += GAP_S;
    }
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r', timestamp: at });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, timestamp: at + GAP_S / 3 });
  } finally {
    await cdp.detach();
  }
}
