import { describe, expect, it } from 'vitest';
import { applyMention, mentionQueryAt } from './mention-query.ts';

describe('the @ picker’s query', () => {
  it('opens at an @ before the caret and filters by what follows it', () => {
    expect(mentionQueryAt('请@小', 3)).toEqual({ start: 1, text: '小' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, text: '' });
    expect(mentionQueryAt('hi ＠Li M', 8)).toEqual({ start: 3, text: 'Li M' });
  });

  it('stays shut for an email, a finished line or no @', () => {
    expect(mentionQueryAt('bob@exa', 7)).toBeNull();
    expect(mentionQueryAt('@小王\n好', 5)).toBeNull();
    expect(mentionQueryAt('没有', 2)).toBeNull();
  });

  it('a choice replaces the query with @name and a space, the caret after it', () => {
    const q = mentionQueryAt('请@小看看', 3)!;
    expect(applyMention('请@小看看', q, 3, '小王')).toEqual({ value: '请@小王 看看', caret: 5 });
  });
});
