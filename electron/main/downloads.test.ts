// Exports (blob downloads from our pages) get a save dialog; downloads from elsewhere are cancelled.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { handleDownloads, isOwnDownload, saveDialogOptionsFor } from './downloads.ts';

class FakeItem extends EventEmitter {
  dialogOptions: unknown = null;
  constructor(
    private readonly url: string,
    private readonly fileName: string,
  ) {
    super();
  }
  getURL = () => this.url;
  getFilename = () => this.fileName;
  setSaveDialogOptions = (options: unknown) => (this.dialogOptions = options);
}

function download(url: string, fileName: string) {
  const session = new EventEmitter();
  handleDownloads(session as never, () => '/home/packer/Downloads');
  const item = new FakeItem(url, fileName);
  const preventDefault = vi.fn();
  session.emit('will-download', { preventDefault }, item);
  return { item, preventDefault };
}

describe('downloads', () => {
  it('asks where to save an export made by the renderer', () => {
    const { item, preventDefault } = download('blob:app://shopfleet/5b1c0c1e-7c0e', '订单导出-20250101.xlsx');
    expect(preventDefault).not.toHaveBeenCalled();
    expect(item.dialogOptions).toMatchObject({
      defaultPath: path.join('/home/packer/Downloads', '订单导出-20250101.xlsx'),
      filters: [{ extensions: ['xlsx'] }, { extensions: ['*'] }],
    });
  });

  it('cancels downloads that did not come from our pages', () => {
    for (const url of ['https://evil.example/payload.exe', 'blob:https://evil.example/x', 'file:///etc/passwd']) {
      const { item, preventDefault } = download(url, 'x.exe');
      expect(preventDefault, url).toHaveBeenCalled();
      expect(item.dialogOptions).toBeNull();
    }
    expect(isOwnDownload('app://shopfleet/report.csv')).toBe(true);
  });

  it('keeps the suggested name inside the downloads folder', () => {
    const options = saveDialogOptionsFor({ getFilename: () => '../../.bashrc' }, '/home/u/Downloads');
    expect(options.defaultPath).toBe(path.join('/home/u/Downloads', '.bashrc'));
    expect(saveDialogOptionsFor({ getFilename: () => 'a.csv' }, '/d').filters?.[0]?.extensions).toEqual(['csv']);
  });
});
