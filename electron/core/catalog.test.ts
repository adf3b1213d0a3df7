import { describe, expect, it } from 'vitest';
import { provinces } from './catalog.ts';

describe('catalog.provinces', () => {
  it('lists the 34 province-level divisions, each once', () => {
    const list = provinces();
    expect(list).toHaveLength(34);
    expect(new Set(list).size).toBe(34);
    expect(list[0]).toBe('北京市');
    for (const name of ['广东省', '新疆维吾尔自治区', '香港特别行政区', '澳门特别行政区', '台湾省', '重庆市']) {
      expect(list).toContain(name);
    }
  });

  it('hands out a copy, so callers cannot corrupt the shared list', () => {
    provinces().pop();
    expect(provinces()).toHaveLength(34);
  });
});
