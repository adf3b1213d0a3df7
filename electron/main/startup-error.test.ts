// A core that cannot start is explained in Chinese with the command that fixes it.
import { describe, expect, it, vi } from 'vitest';

const dialog = vi.hoisted(() => ({ showErrorBox: vi.fn() }));
vi.mock('electron', () => ({ dialog }));
const { describeStartupError, showStartupError } = await import('./startup-error.ts');

describe('startup errors', () => {
  it('names the fix command for a native module built for another runtime', () => {
    const text = describeStartupError({ code: 'NATIVE_ABI_MISMATCH', message: 'NODE_MODULE_VERSION 115 vs 140' }, false);
    expect(text.title).toMatch(/不匹配/);
    expect(text.message).toContain('npm run build:native-electron');
    expect(text.message).toContain('NODE_MODULE_VERSION 115');
    expect(describeStartupError({ code: 'NATIVE_ABI_MISMATCH', message: 'x' }, true).message).toMatch(/重新安装/);
  });

  it('shows the dialog with the described text', () => {
    showStartupError({ code: 'DB_NEWER_THAN_APP', message: 'schema 9 > 3' }, true);
    expect(dialog.showErrorBox).toHaveBeenCalledWith('数据库版本比应用新', expect.stringContaining('schema 9 > 3'));
  });
});
