import { describe, expect, it } from 'vitest';
import { badgesThatFit } from './badge-fit.ts';

describe('abnormal badges in the 异常 column', () => {
  it('shows two short reasons side by side', () => {
    expect(badgesThatFit(['未匹配', '有留言'])).toBe(2);
    expect(badgesThatFit(['地址不全', '退款'])).toBe(2);
  });
  it('folds what does not fit into +N, always showing the first', () => {
    expect(badgesThatFit(['地址不全', '手机异常'])).toBe(1);
    expect(badgesThatFit(['未匹配', '有留言', '退款'])).toBe(1);
    expect(badgesThatFit(['一个很长很长的原因', '有留言'])).toBe(1);
    expect(badgesThatFit([])).toBe(0);
    expect(badgesThatFit(['地址不全'])).toBe(1);
  });
});
