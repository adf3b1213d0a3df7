import { describe, expect, it } from 'vitest';
import { roleMayCall } from './session-store.ts';

describe('roleMayCall follows the contract roles', () => {
  it('lets owners close orders and refuses packers and finance', () => {
    expect(roleMayCall('owner', 'orders.close')).toBe(true);
    expect(roleMayCall('packer', 'orders.close')).toBe(false);
    expect(roleMayCall('finance', 'orders.close')).toBe(false);
  });
  it('lets finance export but not tag, and nobody before whoami answers', () => {
    expect(roleMayCall('finance', 'orders.export')).toBe(true);
    expect(roleMayCall('finance', 'orders.tag')).toBe(false);
    expect(roleMayCall(undefined, 'orders.list')).toBe(false);
  });
});
