// `shopfleet station quotas set|list`: 离线配额 from a joined station (docs/team-hub.md#stock-quotas),
// through the API (hub.setQuotas, hub.quotas) like the SKU page's 离线配额 section. `set` asks the
// hub with the station's token; when the hub refuses because the station joined as someone who may
// not set quotas, it signs in the person (--user, else the station's signed-in person) with the
// password read from standard input — the same line that proved --user, so it is typed once.
import { parseArgs } from 'node:util';
import type { HubQuotaView } from '../../../shared/contract.ts';
import { actorFor, callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { ApiFailure, UsageError } from '../usage.ts';
import { passwordFromStdin } from './hub.ts';

const when = (ms: number) => new Date(ms).toISOString();

export function quotaLines(rows: HubQuotaView[]): string {
  if (rows.length === 0) return 'no 离线配额 pulled (set one: shopfleet station quotas set --db F --sku CODE --station NAME --quantity N)\n';
  return rows
    .map((q) =>
      [q.sku ?? q.skuId, q.stationName ?? q.stationId, q.warehouse ?? (q.warehouseId === '' ? '(all warehouses)' : q.warehouseId), String(q.quantity), `${q.setBy} ${when(q.updatedAt)}${q.mine ? ' · this station' : ''}`].join('\t'),
    )
    .join('\n')
    .concat('\n');
}

function quantityOf(values: { quantity?: string | undefined; remove?: boolean | undefined }): number | null {
  if (values.remove) {
    if (values.quantity !== undefined) throw new UsageError('give --quantity N or --remove, not both');
    return null;
  }
  const raw = values.quantity?.trim();
  if (raw === undefined || raw === '') throw new UsageError('--quantity N (units the station may commit offline) or --remove is required');
  if (!/^\d+$/.test(raw) || Number(raw) > 1_000_000) throw new UsageError(`--quantity ${raw}: a whole number of units from 0 to 1000000`);
  return Number(raw);
}

async function quotasSet(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      sku: { type: 'string' },
      station: { type: 'string' },
      warehouse: { type: 'string' },
      quantity: { type: 'string' },
      remove: { type: 'boolean', default: false },
      user: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.sku?.trim()) throw new UsageError('--sku CODE is required');
  if (!values.station?.trim()) throw new UsageError('--station NAME (a station of the team, or its id) is required');
  const entry = { station: values.station, sku: values.sku, ...(values.warehouse ? { warehouse: values.warehouse } : {}), quantity: quantityOf(values) };
  // Standard input is read at most once: the line that proves --user is the hub password as well.
  let secret: Promise<string> | null = null;
  const password = () => (secret ??= passwordFromStdin(`the hub password of ${values.user ?? 'the signed-in person'}`));
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const actor = await actorFor(core, values.user, password);
    let r = await core.call('hub.setQuotas', { quotas: [entry] }, actor);
    if (!r.ok && r.error.code === 'FORBIDDEN' && (r.error.details as { hubCode?: string } | undefined)?.hubCode === 'FORBIDDEN') {
      // The station joined as someone who may not set quotas: the person signs in with their own password.
      r = await core.call('hub.setQuotas', { quotas: [entry], ...(values.user ? { user: actor?.name ?? values.user } : {}), password: await password() }, actor);
    }
    if (!r.ok) throw new ApiFailure(r.error.code, `hub.setQuotas: ${r.error.code} — ${r.error.message}`);
    const done = r.value as { set: number; removed: number };
    await writeOut(values.json ? `${JSON.stringify(done)}\n` : entry.quantity === null ? `removed ${done.removed}\n` : `set ${done.set}\n`);
    return 0;
  });
}

async function quotasList(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { db: { type: 'string' }, sku: { type: 'string' }, json: { type: 'boolean', default: false } } });
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const rows = await callOrThrow<HubQuotaView[]>(core, 'hub.quotas', values.sku ? { sku: values.sku } : {});
    await writeOut(values.json ? `${JSON.stringify(rows)}\n` : quotaLines(rows));
    return 0;
  });
}

/** `station quotas set …` / `station quotas list …`. */
export async function stationQuotas(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'set') return quotasSet(rest);
  if (sub === 'list') return quotasList(rest);
  throw new UsageError(`station quotas ${sub ?? ''}: say set or list`);
}
