// 'sync.rewind': move shops' cursors back so their next pull re-reads from a given time. The upsert
// of a re-pulled order that did not change writes nothing, so a rewind costs requests, not data.
import type { ApiParsedInput } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';

/** Creates the cursor of a never-synced shop; an unknown shop id refuses the whole rewind. */
export function rewindCursors(ctx: CoreContext, input: ApiParsedInput<'sync.rewind'>): { rewound: number } {
  const client = ctx.db.$client;
  const known = client.prepare<[string], { id: string }>('SELECT id FROM shops WHERE id = ?');
  const cursorOf = client.prepare<[string], { cursor_ms: number }>('SELECT cursor_ms FROM sync_cursors WHERE shop_id = ?');
  const upsert = client.prepare(
    `INSERT INTO sync_cursors (shop_id, cursor_ms) VALUES (?, ?)
     ON CONFLICT(shop_id) DO UPDATE SET cursor_ms = excluded.cursor_ms`,
  );
  return runCommand(ctx, 'sync.rewind', input, { tables: ['sync_cursors'] }, (scope) => {
    for (const shopId of input.shopIds) {
      if (!known.get(shopId)) throw reasonError('shop.not_found', { shopId }, `No shop with id "${shopId}"`);
      const before = cursorOf.get(shopId)?.cursor_ms ?? null;
      upsert.run(shopId, input.sinceMs);
      scope.audit({ entity: 'shop', entityId: shopId, field: 'cursor_ms', before, after: input.sinceMs });
    }
    return { rewound: input.shopIds.length };
  });
}
