import { describe, expect, it } from 'vitest';
import { findMentions, parseMentions } from './mentions.ts';

const people = [
  { id: 'u-wang', name: '小王' },
  { id: 'u-wangda', name: '小王大' },
  { id: 'u-li', name: 'Li' },
  { id: 'u-liming', name: 'Li Ming' },
  { id: 'u-bob', name: 'bob' },
  { id: 'u-boss', name: '店主' },
];

describe('@mentions in a note', () => {
  it('finds a CJK name glued to the words after it, and the longer of two names that share a start', () => {
    expect(parseMentions('@小王看一下地址', people)).toEqual(['u-wang']);
    expect(parseMentions('@小王大 请补发赠品', people)).toEqual(['u-wangda']);
    expect(parseMentions('请@店主确认', people)).toEqual(['u-boss']);
  });

  it('finds a name with a space, not its shorter prefix; the full-width ＠ counts too', () => {
    expect(parseMentions('ping @Li Ming about it', people)).toEqual(['u-liming']);
    expect(parseMentions('ping @Li, please', people)).toEqual(['u-li']);
    expect(parseMentions('＠小王 在吗', people)).toEqual(['u-wang']);
  });

  it('an @ inside an email address or a longer Latin word is no mention', () => {
    expect(parseMentions('发票寄到 bob@example.com 或 li@shop.cn', people)).toEqual([]);
    expect(parseMentions('@bobby is not bob', people)).toEqual([]);
    expect(parseMentions('@BOB, case does not matter', people)).toEqual(['u-bob']);
  });

  it('each person once, in order of first mention; unknown names and a bare @ are ignored', () => {
    expect(parseMentions('@店主 @小王 @店主 @陌生人 @', people)).toEqual(['u-boss', 'u-wang']);
    expect(parseMentions('no mention here', people)).toEqual([]);
    expect(parseMentions('@小王', [])).toEqual([]);
  });
});

describe('where the mentions stand (what the note marks)', () => {
  it('spans cover the @ and the whole name, each occurrence', () => {
    const text = '请@小王 和 @Li Ming 看，@小王';
    expect(findMentions(text, people).map((s) => text.slice(s.start, s.end))).toEqual(['@小王', '@Li Ming', '@小王']);
  });
});
