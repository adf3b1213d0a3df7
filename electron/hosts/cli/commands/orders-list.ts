// `shopfleet orders list`: the workbench's query through the API, each order with its items.
import { parseArgs } from 'node:util';
import type { OrderDetail, OrderRow } from '../../../shared/contract.ts';
import { callOrThrow } from '../call.ts';
import { defaultDbFile } from '../data-dir.ts';
import { resolveSelection, SELECTION_OPTIONS } from '../filter-args.ts';
import { openExistingStation, withCore } from '../open-station.ts';
import { writeOut } from '../output.ts';
import { UsageError } from '../usage.ts';

/** orders.list pages at most 1000 rows per call (the contract's limit). */
const PAGE = 1000;

/** A list row with what a parcel needs that the row leaves out: the town (乡镇/街道) and the items. */
export type ListedOrder = OrderRow & { receiverTown: OrderDetail['receiverTown']; items: OrderDetail['items'] };

export function parseLimit(raw: string | undefined, all: boolean): number {
  if (all) return Number.POSITIVE_INFINITY;
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--limit must be a positive whole number (or use --all)');
  return n;
}

const yuan = (fen: number): string => (fen / 100).toFixed(2);

function humanLine(o: ListedOrder): string {
  return [o.platformOrderId, o.shopName, o.queue, `¥${yuan(o.paidFen)}`, o.receiverName, `${o.receiverProvince}${o.receiverCity}`, o.itemSummary].join('\t');
}

export async function ordersList(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      db: { type: 'string' },
      limit: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      ...SELECTION_OPTIONS,
    },
  });
  const limit = parseLimit(values.limit, values.all);
  return withCore(openExistingStation(values.db ?? defaultDbFile()), async (core) => {
    const selection = await resolveSelection(core, values);
    if (values.json) await writeOut('[');
    let written = 0;
    const emit = async (order: ListedOrder) => {
      if (values.json) await writeOut(`${written === 0 ? '\n' : ',\n'}${JSON.stringify(order)}`);
      else await writeOut(`${humanLine(order)}\n`);
      written += 1;
    };
    if (selection.kind === 'ids') {
      // Named orders, in the order named.
      for (const id of selection.ids.slice(0, Number.isFinite(limit) ? limit : undefined)) {
        // The listing's shape, not the drawer's: no audit timeline, notes or change requests.
        const { timeline: _t, notes: _n, changeRequests: _c, ...order } = await callOrThrow<OrderDetail>(core, 'orders.get', { id });
        await emit(order);
      }
    } else {
      const { filter } = selection;
      let offset = 0;
      while (written < limit) {
        const pageSize = Math.min(PAGE, limit - written);
        const page = await callOrThrow<{ rows: OrderRow[] }>(core, 'orders.list', { filter, offset, limit: pageSize, withTotal: false });
        for (const row of page.rows) {
          const detail = await callOrThrow<OrderDetail>(core, 'orders.get', { id: row.id });
          await emit({ ...row, receiverTown: detail.receiverTown, items: detail.items });
        }
        if (page.rows.length < pageSize) break;
        offset += page.rows.length;
      }
    }
    if (values.json) await writeOut(written === 0 ? ']\n' : '\n]\n');
    else process.stderr.write(`${written} orders\n`);
    return 0;
  });
}
