// The SQL of the effect triggers (docs/team-hub.md#effects-what-an-op-changed), built from the one
// list of synced tables. Migration 0012 holds this output as it was when it landed (migrations are
// immutable); triggers.test.ts compares the database's triggers with it, so a table or column added
// to tables.ts without a migration that re-creates its triggers fails there.
//
// Cost matters: ingest writes orders and items in bulk. Each trigger is gated on one meta probe
// (capture is on only while the station is joined to a hub), fires on updates of travelling columns
// only (UPDATE OF), and writes one small row: the key and, for an update, the names of the columns
// that really changed. Values are read at push time, never copied here.
import { stationWrittenTables, type SyncedTable } from '../../shared/hub/tables.ts';

/** meta key whose value '1' turns capture on; pull-apply turns it off inside its own transaction. */
export const CAPTURE_KEY = 'hub.capture';

const q = (name: string) => `\`${name}\``;
const GATE = `WHEN (SELECT \`value\` FROM \`meta\` WHERE \`key\` = '${CAPTURE_KEY}') = '1'`;

function keyExpr(t: SyncedTable, row: 'NEW' | 'OLD'): string {
  return `json_array(${t.key.map((c) => `${row}.${q(c)}`).join(', ')})`;
}

export function triggerNames(t: SyncedTable): string[] {
  return [`hub_fx_${t.name}_ai`, `hub_fx_${t.name}_au`, `hub_fx_${t.name}_ad`];
}

/** The three CREATE TRIGGER statements of one synced table. */
export function effectTriggersOf(t: SyncedTable): string[] {
  const [ai, au, ad] = triggerNames(t);
  const changed = t.columns.map((c) => `CASE WHEN OLD.${q(c)} IS NOT NEW.${q(c)} THEN '${c}' END`).join(', ');
  const keyMoved = t.key.map((c) => `OLD.${q(c)} IS NOT NEW.${q(c)}`).join(' OR ');
  const insert = `INSERT INTO ${q('op_effects')} (${q('tbl')}, ${q('key')}, ${q('cols')}, ${q('kind')})`;
  return [
    `CREATE TRIGGER ${q(ai!)} AFTER INSERT ON ${q(t.name)} ${GATE} BEGIN\n` +
      `  ${insert} VALUES ('${t.name}', ${keyExpr(t, 'NEW')}, NULL, 'i');\nEND;`,
    `CREATE TRIGGER ${q(au!)} AFTER UPDATE OF ${t.columns.map(q).join(', ')} ON ${q(t.name)} ${GATE} BEGIN\n` +
      `  ${insert} SELECT '${t.name}', ${keyExpr(t, 'OLD')}, NULL, 'd' WHERE ${keyMoved};\n` +
      `  ${insert} SELECT '${t.name}', ${keyExpr(t, 'NEW')}, CASE WHEN ${keyMoved} THEN NULL ELSE '["' || c || '"]' END, 'u' FROM (SELECT concat_ws('","', ${changed}) AS c) WHERE c <> '';\nEND;`,
    `CREATE TRIGGER ${q(ad!)} AFTER DELETE ON ${q(t.name)} ${GATE} BEGIN\n` +
      `  ${insert} VALUES ('${t.name}', ${keyExpr(t, 'OLD')}, NULL, 'd');\nEND;`,
  ];
}

/** Every synced table's triggers, in tables.ts order (the hub-owned tables have none: stations never write them for the team). */
export function effectTriggersSql(): string[] {
  return stationWrittenTables().flatMap(effectTriggersOf);
}
