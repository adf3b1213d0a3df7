// The row types of rows.ts are exact only if every column is named as its drizzle key in
// snake_case: checked here for every table, so a column named otherwise fails this test rather
// than leaving a Columns<> type that promises a key SQLite never returns.
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import type { Columns, StoredOrder, SnakeCase } from './rows.ts';
import * as schema from './schema.ts';
import { ingestInto, order, setupDb } from '../../testkit/ingest-fixtures.ts';

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('row types from the schema', () => {
  const tables = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable));

  it('names every column as its key in snake_case', () => {
    expect(tables.length).toBeGreaterThan(20);
    const misnamed = tables.flatMap((t) =>
      Object.entries(getTableColumns(t))
        .filter(([key, column]) => column.name !== snake(key))
        .map(([key, column]) => `${getTableName(t)}.${key} is named ${column.name}`),
    );
    expect(misnamed).toEqual([]);
  });

  it('spells a stored order the way an unaliased SELECT returns it', () => {
    const db = setupDb();
    ingestInto(db, 'shop-a', [order(1)]);
    const row = db.$client.prepare('SELECT * FROM orders LIMIT 1').get() as Columns<StoredOrder>;
    const key: SnakeCase<'receiverEditedAt'> = 'receiver_edited_at';
    // Every key the type promises is a column the database returns, and no other.
    const promised: Record<keyof Columns<StoredOrder>, true> = Object.fromEntries(
      Object.keys(getTableColumns(schema.orders)).map((k) => [snake(k), true]),
    ) as Record<keyof Columns<StoredOrder>, true>;
    expect(Object.keys(row).sort()).toEqual(Object.keys(promised).sort());
    expect(key in row).toBe(true);
    expect(typeof row.receiver_edited_at === 'number' || row.receiver_edited_at === null).toBe(true);
  });
});
