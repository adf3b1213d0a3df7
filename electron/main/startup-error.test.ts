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

  it('says what to do for a damaged, read-only or full database, keeping the core\'s words (file, backup)', () => {
    const damaged = describeStartupError({ code: 'DB_DAMAGED', message: 'The station database /d/shopfleet.db is damaged … /d/shopfleet.db.bak-1' }, true);
    expect(damaged.title).toBe('数据库文件已损坏');
    expect(damaged.message).toMatch(/备份/);
    expect(damaged.message).toContain('/d/shopfleet.db.bak-1');
    expect(describeStartupError({ code: 'DB_READ_ONLY', message: 'x' }, true).title).toBe('数据库无法写入');
    expect(describeStartupError({ code: 'DISK_FULL', message: 'x' }, true).message).toMatch(/清理出空间/);
  });

  it('shows the dialog with the described text', () => {
    showStartupError({ code: 'DB_NEWER_THAN_APP', message: 'schema 9 > 3' }, true);
    expect(dialog.showErrorBox).toHaveBeenCalledWith('数据库版本比应用新', expect.stringContaining('schema 9 > 3'));
  });
});
