import { describe, expect, it } from 'vitest';
import { badgesThatFit, badgesThatFitWidth } from './badge-fit.ts';

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

describe('status badges in the 状态 column, by width', () => {
  // Widths as the page measures them (11 px text plus padding): 已发货 43, 预售 32, Completed 67, Shipped 53, Presale 48, +1 12.
  it('shows the queue and its extras side by side when all fit', () => {
    expect(badgesThatFitWidth([43, 32], 84, 4, 12)).toBe(2);
    expect(badgesThatFitWidth([32, 43], 84, 4, 12)).toBe(2);
  });
  it('folds extras that do not fit into +N, keeping room for it', () => {
    expect(badgesThatFitWidth([53, 48], 84, 4, 12)).toBe(1);
    expect(badgesThatFitWidth([67, 48], 84, 4, 12)).toBe(1);
    // 售后 待打单 预售: the stage fits only if the "+1" still fits after it.
    expect(badgesThatFitWidth([32, 43, 32], 84, 4, 12)).toBe(1);
    expect(badgesThatFitWidth([32, 20, 32], 84, 4, 12)).toBe(2);
  });
  it('always shows the queue badge', () => {
    expect(badgesThatFitWidth([], 84, 4, 12)).toBe(0);
    expect(badgesThatFitWidth([120], 84, 4, 12)).toBe(1);
    expect(badgesThatFitWidth([120, 10], 84, 4, 12)).toBe(1);
  });
});
