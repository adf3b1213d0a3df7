// The application menu: only what a workbench needs (edit shortcuts for the scan box and forms,
// zoom for small screens, quit). Labels in Simplified Chinese, English when the system is English.
import { Menu, type MenuItemConstructorOptions } from 'electron';

const LABELS = {
  'zh-CN': {
    file: '文件', openDataDir: '打开数据目录', quit: '退出', edit: '编辑', undo: '撤销', redo: '重做', cut: '剪切',
    copy: '复制', paste: '粘贴', selectAll: '全选', view: '视图', reload: '重新加载', devTools: '开发者工具',
    resetZoom: '实际大小', zoomIn: '放大', zoomOut: '缩小', fullscreen: '全屏', window: '窗口', minimize: '最小化',
    close: '关闭窗口', help: '帮助', about: '关于 ShopFleet 店群订单台', hide: '隐藏', hideOthers: '隐藏其他', unhide: '全部显示',
  },
  en: {
    file: 'File', openDataDir: 'Open Data Folder', quit: 'Quit', edit: 'Edit', undo: 'Undo', redo: 'Redo', cut: 'Cut',
    copy: 'Copy', paste: 'Paste', selectAll: 'Select All', view: 'View', reload: 'Reload', devTools: 'Developer Tools',
    resetZoom: 'Actual Size', zoomIn: 'Zoom In', zoomOut: 'Zoom Out', fullscreen: 'Full Screen', window: 'Window', minimize: 'Minimize',
    close: 'Close Window', help: 'Help', about: 'About ShopFleet', hide: 'Hide', hideOthers: 'Hide Others', unhide: 'Show All',
  },
} as const;

export type MenuLocale = keyof typeof LABELS;

/** zh-CN unless the system speaks English (the product's two languages). */
export function menuLocaleFor(systemLocale: string): MenuLocale {
  return systemLocale.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export interface MenuContext {
  locale: MenuLocale;
  isMac: boolean;
  /** Developer tools and reload only in development. */
  isDev: boolean;
  openDataDir: () => void;
  showAbout: () => void;
}

export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const t = LABELS[ctx.locale];
  const template: MenuItemConstructorOptions[] = [];
  if (ctx.isMac) {
    template.push({
      label: 'ShopFleet',
      submenu: [
        { label: t.about, click: ctx.showAbout },
        { type: 'separator' },
        { role: 'hide', label: t.hide },
        { role: 'hideOthers', label: t.hideOthers },
        { role: 'unhide', label: t.unhide },
        { type: 'separator' },
        { role: 'quit', label: t.quit },
      ],
    });
  }
  template.push({
    label: t.file,
    submenu: [{ label: t.openDataDir, click: ctx.openDataDir }, ...(ctx.isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const, label: t.quit }])],
  });
  template.push({
    label: t.edit,
    submenu: [
      { role: 'undo', label: t.undo },
      { role: 'redo', label: t.redo },
      { type: 'separator' },
      { role: 'cut', label: t.cut },
      { role: 'copy', label: t.copy },
      { role: 'paste', label: t.paste },
      { role: 'selectAll', label: t.selectAll },
    ],
  });
  template.push({
    label: t.view,
    submenu: [
      ...(ctx.isDev ? [{ role: 'reload' as const, label: t.reload }, { role: 'toggleDevTools' as const, label: t.devTools }, { type: 'separator' as const }] : []),
      { role: 'resetZoom', label: t.resetZoom },
      { role: 'zoomIn', label: t.zoomIn },
      { role: 'zoomOut', label: t.zoomOut },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t.fullscreen },
    ],
  });
  template.push({ label: t.window, submenu: [{ role: 'minimize', label: t.minimize }, { role: 'close', label: t.close }] });
  if (!ctx.isMac) template.push({ label: t.help, submenu: [{ label: t.about, click: ctx.showAbout }] });
  return template;
}

export function installMenu(ctx: MenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(ctx)));
}
