// Exports reach disk as <a download> blobs from the renderer; this asks where to save them with
// the system save dialog. Downloads from anywhere but our own pages are cancelled.
import path from 'node:path';
import type { DownloadItem, SaveDialogOptions, Session } from 'electron';
import { APP_ORIGIN } from './app-protocol.ts';

const FILTERS: Record<string, { name: string; extensions: string[] }> = {
  '.xlsx': { name: 'Excel 工作簿', extensions: ['xlsx'] },
  '.csv': { name: 'CSV 文件', extensions: ['csv'] },
  '.pdf': { name: 'PDF 文件', extensions: ['pdf'] },
};

/** Only blobs and files made by our own pages may be saved. */
export function isOwnDownload(url: string): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`) || url.startsWith(`${APP_ORIGIN}/`);
}

export function saveDialogOptionsFor(item: Pick<DownloadItem, 'getFilename'>, downloadsDir: string): SaveDialogOptions {
  const fileName = path.basename(item.getFilename() || 'export');
  const filter = FILTERS[path.extname(fileName).toLowerCase()];
  return {
    title: '保存导出文件',
    defaultPath: path.join(downloadsDir, fileName),
    buttonLabel: '保存',
    filters: filter ? [filter, { name: '所有文件', extensions: ['*'] }] : [{ name: '所有文件', extensions: ['*'] }],
  };
}

export function handleDownloads(session: Session, downloadsDir: () => string): void {
  session.on('will-download', (event, item) => {
    if (!isOwnDownload(item.getURL())) {
      event.preventDefault();
      return;
    }
    // With dialog options and no save path, Electron shows the save dialog itself.
    item.setSaveDialogOptions(saveDialogOptionsFor(item, downloadsDir()));
    item.once('done', (_event, state) => {
      if (state === 'interrupted') console.error('[downloads] interrupted', item.getFilename());
    });
  });
}
