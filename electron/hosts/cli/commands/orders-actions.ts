// The workbench's order actions on the command line — review, hold, release, tag, flag/memo, ship —
// each one API call through the core's dispatch (validation, roles, audit, push-backs as in the
// workbench), on the orders chosen by the shared "which orders" flags. Exit 1 when any order was
// skipped, each named on stderr with the reason.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BatchResult } from '../../../shared/contract.ts';
import { CARRIER_CODES } from '../../../shared/carriers.ts';
import { orderNumbersOf, sessionFor, USER_OPTION, type Session } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { resolveOrderRefs, resolveTags, SELECTION_OPTIONS, selectedIds, type SelectionValues } from '../filter-args.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';

const COMMON = { db: { type: 'string' }, json: { type: 'boolean', default: false }, ...USER_OPTION, ...SELECTION_OPTIONS } as const;

/** The API's batch methods take at most this many ids per call (the contract's bound); larger selections go in chunks. */
const CHUNK = 20_000;

async function inChunks(session: Session, method: string, ids: string[], rest: Record<string, unknown>): Promise<BatchResult> {
  const total: BatchResult = { changed: 0, skipped: [] };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const r = await session.call<BatchResult>(method, { ids: ids.slice(i, i + CHUNK), ...rest });
    total.changed += r.changed;
    total.skipped.push(...r.skipped);
  }
  return total;
}

/** stdout: the counts (or the result as JSON); stderr: each skipped order with its number and reason. */
async function report(session: Session, verb: string, result: BatchResult, json: boolean): Promise<number> {
  if (json) await writeOut(`${JSON.stringify(result, null, 2)}\n`);
  else await writeOut(`${verb}: ${result.changed} changed, ${result.skipped.length} skipped\n`);
  const numberOf = await orderNumbersOf(session, result.skipped.map((s) => s.id));
  for (const s of result.skipped) process.stderr.write(`${s.id}\t${numberOf.get(s.id) ?? '-'}\t${s.reason}\n`);
  return result.skipped.length > 0 ? 1 : 0;
}

async function orderAction(
  argv: string[],
  command: string,
  extra: NonNullable<ParseArgsConfig['options']>,
  act: (session: Session, ids: string[], values: Record<string, unknown>) => Promise<BatchResult>,
  check?: (values: Record<string, unknown>) => void,
): Promise<number> {
  const values = parseArgs({ args: argv, strict: true, options: { ...COMMON, ...extra } }).values as Record<string, unknown>;
  check?.(values);
  return withCore(openExistingStation((values.db as string | undefined) ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user as string | undefined);
    const ids = await selectedIds(core, values as SelectionValues, { command, required: true });
    if (ids.length === 0) {
      process.stderr.write('no orders match: nothing changed\n');
      return 0;
    }
    return report(session, command, await act(session, ids, values), values.json as boolean);
  });
}

export const ordersReview = (argv: string[]): Promise<number> => orderAction(argv, 'orders review', {}, (s, ids) => inChunks(s, 'orders.review', ids, {}));

export const ordersHold = (argv: string[]): Promise<number> =>
  orderAction(
    argv,
    'orders hold',
    { reason: { type: 'string' } },
    (s, ids, v) => inChunks(s, 'orders.hold', ids, { reason: v.reason }),
    (v) => {
      if (typeof v.reason !== 'string' || v.reason.trim() === '') throw new UsageError('orders hold needs --reason TEXT (why the orders wait)');
    },
  );

export const ordersRelease = (argv: string[]): Promise<number> => orderAction(argv, 'orders release', {}, (s, ids) => inChunks(s, 'orders.release', ids, {}));

const listOf = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

export const ordersTag = (argv: string[]): Promise<number> =>
  orderAction(
    argv,
    'orders tag',
    { add: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true } },
    async (s, ids, v) => {
      const add = await resolveTags(s.core, listOf(v.add), 'add');
      const remove = await resolveTags(s.core, listOf(v.remove), 'remove');
      return inChunks(s, 'orders.tag', ids, { add, remove });
    },
    (v) => {
      if (listOf(v.add).length + listOf(v.remove).length === 0) throw new UsageError('orders tag needs --add TAG or --remove TAG');
    },
  );

export const ordersFlag = (argv: string[]): Promise<number> =>
  orderAction(
    argv,
    'orders flag',
    { flag: { type: 'string' }, memo: { type: 'string' }, 'clear-memo': { type: 'boolean', default: false } },
    (s, ids, v) => {
      const flag = v.flag === undefined ? undefined : Number(v.flag);
      const memo = v['clear-memo'] ? null : (v.memo as string | undefined);
      return inChunks(s, 'orders.setFlag', ids, { ...(flag !== undefined ? { flag } : {}), ...(memo !== undefined ? { memo } : {}) });
    },
    (v) => {
      if (v.flag !== undefined) {
        const n = Number(v.flag);
        if (!Number.isInteger(n) || n < 0 || n > 5) throw new UsageError('--flag must be 0–5 (0 = no flag)');
      }
      if (v.memo !== undefined && v['clear-memo']) throw new UsageError('--memo and --clear-memo: give one');
      if (v.flag === undefined && v.memo === undefined && !v['clear-memo']) throw new UsageError('orders flag needs --flag N, --memo TEXT or --clear-memo');
    },
  );

/**
 * `orders ship --order REF --carrier C --waybill NO`, or `orders ship --printed <which orders>`
 * (批量发货 with the waybills already on the printed labels).
 */
export async function ordersShip(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...COMMON, order: { type: 'string' }, carrier: { type: 'string' }, waybill: { type: 'string' }, printed: { type: 'boolean', default: false } },
  });
  const { order, carrier, waybill, printed } = values;
  if (printed) {
    if (order !== undefined || carrier !== undefined || waybill !== undefined) throw new UsageError('--printed ships with the printed labels\' waybills: no --order, --carrier or --waybill');
  } else {
    if (!order || !carrier || !waybill) throw new UsageError('orders ship needs --order REF --carrier CODE --waybill NO (or --printed with the orders)');
    if (!(CARRIER_CODES as readonly string[]).includes(carrier)) throw new UsageError(`--carrier must be one of: ${CARRIER_CODES.join(', ')}`);
    const { order: _o, carrier: _c, waybill: _w, printed: _p, db: _d, json: _j, user: _u, ...selection } = values;
    if (Object.values(selection).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined))) throw new UsageError('--order ships one order: no other order flags');
  }
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const session = await sessionFor(core, values.user);
    if (!printed) {
      const [id] = await resolveOrderRefs(core, [order as string]);
      const result = await session.call<BatchResult>('orders.ship', { items: [{ id, carrierCode: carrier, waybillNo: waybill }] });
      return report(session, 'orders ship', result, values.json);
    }
    const ids = await selectedIds(core, values, { command: 'orders ship --printed', required: true });
    if (ids.length === 0) {
      process.stderr.write('no orders match: nothing shipped\n');
      return 0;
    }
    return report(session, 'orders ship', await inChunks(session, 'orders.shipPrinted', ids, {}), values.json);
  });
}
