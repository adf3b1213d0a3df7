// Order tags (标签): the team's own labels for orders — listing and creating them.
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedInput, TagView } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';

/** The default colour when none is chosen: the workbench's primary blue. */
export const DEFAULT_TAG_COLOR = '#1677ff';

export function listTags(db: Db): TagView[] {
  return db.$client.prepare('SELECT id, name, color FROM tags ORDER BY name').all() as TagView[];
}

export function createTag(ctx: CoreContext, input: ApiParsedInput<'tags.create'>): TagView {
  const client = ctx.db.$client;
  const tag: TagView = { id: uuidv7(), name: input.name, color: (input.color ?? DEFAULT_TAG_COLOR).toLowerCase() };
  return runCommand(ctx, 'tags.create', tag, { tables: ['tags'] }, (scope) => {
    // Names are unique (tags_name_uq); say so plainly instead of surfacing a constraint error.
    const clash = client.prepare('SELECT id FROM tags WHERE name = ?').get(tag.name) as { id: string } | undefined;
    if (clash) throw reasonError('tag.name_taken', { name: tag.name, tagId: clash.id }, `A tag named "${tag.name}" already exists`);
    client.prepare('INSERT INTO tags (id, name, color) VALUES (?, ?, ?)').run(tag.id, tag.name, tag.color);
    scope.audit({ entity: 'tag', entityId: tag.id, field: 'name', before: null, after: tag.name });
    return tag;
  });
}
