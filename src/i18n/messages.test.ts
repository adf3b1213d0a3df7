import { describe, expect, it } from 'vitest';
import { ABNORMAL_REASONS, PLATFORMS, QUEUES, ROLES, SELLER_FLAGS } from '../../electron/shared/model.ts';
import { ERROR_CODES } from '../../electron/shared/result.ts';
import { EXPORT_COLUMNS } from '../../electron/shared/contract.ts';
import { EXPORT_COLUMN_NAMES_ZH } from '../../electron/shared/export-columns.ts';
import { enUS } from './en-US.ts';
import { zhCN } from './zh-CN.ts';

function leaves(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v as object, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

describe('translations', () => {
  const zh = leaves(zhCN);
  const en = leaves(enUS);

  it('have the same keys in both languages and no empty strings', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [k, v] of [...zh, ...en]) expect(v.trim(), k).not.toBe('');
  });

  it('use the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [k, v] of zh) expect(vars(en.get(k)!), k).toEqual(vars(v));
  });

  it('cover every enum the UI shows', () => {
    for (const q of [...QUEUES, 'all', 'abnormal']) expect(zh.has(`queue.${q}`), q).toBe(true);
    for (const r of ABNORMAL_REASONS) expect(zh.has(`abnormal.${r}`), r).toBe(true);
    for (const p of PLATFORMS) expect(zh.has(`platform.${p}`), p).toBe(true);
    for (const r of ROLES) expect(zh.has(`role.${r}`), r).toBe(true);
    for (const f of SELLER_FLAGS) expect(zh.has(`flag.${f}`), String(f)).toBe(true);
    for (const c of ERROR_CODES) expect(zh.has(`errors.${c}`), c).toBe(true);
    for (const c of EXPORT_COLUMNS) expect(zh.has(`exportColumn.${c}`), c).toBe(true);
  });

  it('name the export dialog\'s columns with the words the exported sheet is headed with', () => {
    expect(zhCN.exportColumn).toEqual(EXPORT_COLUMN_NAMES_ZH);
  });

  it('translate rather than copy: Chinese strings contain Chinese, English ones do not', () => {
    const han = /\p{Script=Han}/u;
    const zhWithoutHan = [...zh].filter(([k, v]) => !han.test(v) && !/^(Excel|CSV)/.test(v) && k !== 'app.title');
    expect(zhWithoutHan).toEqual([]);
    expect([...en].filter(([, v]) => han.test(v))).toEqual([]);
  });
});
