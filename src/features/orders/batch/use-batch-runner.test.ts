import { describe, expect, it } from 'vitest';
import { skippedByReason } from './use-batch-runner.ts';

describe('skippedByReason', () => {
  it('groups skipped orders by reason, most frequent first', () => {
    expect(
      skippedByReason({
        changed: 3,
        skipped: [
          { id: 'a', reason: 'already_shipped' },
          { id: 'b', reason: 'not_held' },
          { id: 'c', reason: 'not_held' },
        ],
      }),
    ).toEqual([
      ['not_held', 2],
      ['already_shipped', 1],
    ]);
    expect(skippedByReason({ changed: 0, skipped: [] })).toEqual([]);
  });
});
