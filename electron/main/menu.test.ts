// The menu is minimal, Chinese by default, and hides developer tools in packaged builds.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => t) } }));
const { buildMenuTemplate, menuLocaleFor } = await import('./menu.ts');

const roles = (template: ReturnType<typeof buildMenuTemplate>): string[] =>
  template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu.map((i) => i.role ?? i.label ?? i.type ?? '') : []));

describe('menu', () => {
  const ctx = { isMac: false, isDev: false, openDataDir: () => {}, showAbout: () => {} };

  it('labels menus in Chinese unless the system is English', () => {
    expect(buildMenuTemplate({ ...ctx, locale: menuLocaleFor('zh-CN') }).map((m) => m.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    expect(menuLocaleFor('en-US')).toBe('en');
    expect(menuLocaleFor('ja')).toBe('zh-CN');
  });

  it('offers developer tools and reload only in development', () => {
    expect(roles(buildMenuTemplate({ ...ctx, locale: 'zh-CN' }))).not.toContain('toggleDevTools');
    expect(roles(buildMenuTemplate({ ...ctx, locale: 'zh-CN' }))).not.toContain('reload');
    expect(roles(buildMenuTemplate({ ...ctx, isDev: true, locale: 'zh-CN' }))).toContain('toggleDevTools');
  });

  it('keeps the edit shortcuts the scan box and forms rely on', () => {
    expect(roles(buildMenuTemplate({ ...ctx, locale: 'zh-CN' }))).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
  });

  it('adds the application menu on macOS', () => {
    expect(buildMenuTemplate({ ...ctx, isMac: true, locale: 'zh-CN' })[0]!.label).toBe('ShopFleet');
  });
});
