// The batch print flow: selected orders → pre-checks → packages → waybills (with
// print.progress) → one label job per package in the chosen order with seq/total → marked printed
// when a job is delivered. Exactly-once rests on two keys already in the schema: a package keeps its
// waybill number (allocate.ts), and a label job's idemKey is package + waybill + copy (jobs.ts), so
// running the same batch again allocates nothing and queues nothing that was queued before.
import { v7 as uuidv7 } from 'uuid';
import type { PrintBatchView, PrintJobState, PrintJobView, PrintLabelsResult, PrintPrecheck, PrintProblem, PrintSort } from '../../shared/contract.ts';
import { PRINT_JOB_STATES } from '../../shared/contract.ts';
import { abnormalBit } from '../../shared/model.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import { sqlIn } from '../db/chunk.ts';
import type { Db } from '../db/open.ts';
import type { TemplateId } from '../labels/templates.ts';
import { allocateWaybills, type AllocateDeps } from '../waybills/allocate.ts';
import { ensurePackages, ID_CHUNK, packagesOfOrders, PACKAGE_SKIP_REASONS } from '../waybills/packages.ts';
import { CREW } from '../../shared/roles.ts';
import { getPrinter, requireRole } from './printers.ts';
import { enqueue, retryJob, type EnqueueJob } from './queue.ts';
import { LANE_HOLDING_SQL, waybillLabelKey, type JobRow } from './jobs.ts';

/** Problems in words, for the CLI and failure lists (the UI translates the code). */
export const PRINT_PROBLEM_WORDS: Record<PrintProblem, string> = {
  not_found: '没有这个订单',
  unpaid: '订单未付款',
  closed: '订单已关闭',
  shipped: '订单已发货',
  held: '订单已挂起/拦截',
  refund_requested: '买家申请了退款',
  address_incomplete: '收货地址不完整',
  pending_review: '订单还未审核',
  already_printed: '订单已打单（需要再打请用重打，并填写原因）',
};

interface OrderRow {
  id: string;
  shopId: string;
  shopName: string;
  status: string;
  afterSale: string;
  stage: string;
  queue: string;
  holdReason: string | null;
  abnormalFlags: number;
  buyerNick: string;
  receiverName: string;
  receiverPhone: string;
  receiverProvince: string;
  receiverCity: string;
  receiverDistrict: string;
  receiverAddress: string;
  paidAt: number | null;
  createdAt: number;
  /** Any non-cancelled package printed. */
  printed: number;
  /** Any non-cancelled package with a waybill number. */
  hasWaybill: number;
}

const ORDER_SQL = `SELECT o.id, o.shop_id AS shopId, s.name AS shopName, o.status, o.after_sale AS afterSale, o.stage, o.queue,
  o.hold_reason AS holdReason, o.abnormal_flags AS abnormalFlags, o.buyer_nick AS buyerNick,
  o.receiver_name AS receiverName, o.receiver_phone AS receiverPhone, o.receiver_province AS receiverProvince,
  o.receiver_city AS receiverCity, o.receiver_district AS receiverDistrict, o.receiver_address AS receiverAddress,
  o.paid_at AS paidAt, o.created_at AS createdAt,
  EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id AND p.state <> 'cancelled' AND p.printed_at IS NOT NULL) AS printed,
  EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id AND p.state <> 'cancelled' AND p.waybill_no IS NOT NULL) AS hasWaybill
  FROM orders o JOIN shops s ON s.id = o.shop_id
  WHERE o.id IN (SELECT value FROM json_each(?))`;

function loadOrders(db: Db, ids: readonly string[]): Map<string, OrderRow> {
  // orders_id_uq serves the lookup; packages_order_seq_uq the EXISTS.
  const stmt = db.$client.prepare<[string], OrderRow>(ORDER_SQL);
  const out = new Map<string, OrderRow>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const r of stmt.all(JSON.stringify(ids.slice(i, i + ID_CHUNK)))) out.set(r.id, r);
  return out;
}

const blank = (s: string | null | undefined) => !s || s.trim() === '';

/** What stops one order from printing, in a fixed order (the first is the one a person fixes first). */
export function problemsOf(o: OrderRow | undefined): PrintProblem[] {
  if (!o) return ['not_found'];
  const p: PrintProblem[] = [];
  if (o.status === 'unpaid') p.push('unpaid');
  if (o.status === 'closed') p.push('closed');
  if (o.status === 'shipped' || o.status === 'completed' || o.stage === 'shipped') p.push('shipped');
  if (o.afterSale === 'requested' || o.afterSale === 'in_progress' || (o.abnormalFlags & abnormalBit('refund_requested')) !== 0) p.push('refund_requested');
  if (o.holdReason !== null) p.push('held');
  const addressGaps = [o.receiverName, o.receiverPhone, o.receiverProvince, o.receiverCity, o.receiverDistrict, o.receiverAddress].some(blank);
  if (addressGaps || (o.abnormalFlags & abnormalBit('incomplete_address')) !== 0) p.push('address_incomplete');
  if (o.stage === 'pending_review' && o.status === 'awaiting_shipment') p.push('pending_review');
  if (o.stage === 'printed' || o.printed) p.push('already_printed');
  return p;
}

/**
 * Orders of the same buyer and receiver in the same shop and queue as each selected order (the
 * merge candidates a packer should see before printing two parcels to one door). One read per
 * (queue, shop) of the selection through orders_queue_shop_paid_idx, grouped here by buyer and
 * receiver — not one query per order, which a 20,000-order batch could not afford.
 */
function mergeCandidates(db: Db, orders: readonly OrderRow[]): Map<string, string[]> {
  type Row = Pick<OrderRow, 'id' | 'buyerNick' | 'receiverName' | 'receiverPhone' | 'receiverProvince' | 'receiverCity' | 'receiverDistrict' | 'receiverAddress'>;
  const stmt = db.$client.prepare<[string, string], Row>(
    `SELECT id, buyer_nick AS buyerNick, receiver_name AS receiverName, receiver_phone AS receiverPhone, receiver_province AS receiverProvince,
       receiver_city AS receiverCity, receiver_district AS receiverDistrict, receiver_address AS receiverAddress
     FROM orders WHERE queue = ? AND shop_id = ? ORDER BY paid_at, id`,
  );
  const key = (r: Row) => JSON.stringify([r.buyerNick, r.receiverName, r.receiverPhone, r.receiverProvince, r.receiverCity, r.receiverDistrict, r.receiverAddress]);
  const groups = new Map<string, OrderRow[]>();
  for (const o of orders) {
    const g = `${o.queue}\u0000${o.shopId}`;
    const list = groups.get(g);
    if (list) list.push(o);
    else groups.set(g, [o]);
  }
  const out = new Map<string, string[]>();
  for (const members of groups.values()) {
    const first = members[0] as OrderRow;
    const byKey = new Map<string, string[]>();
    for (const r of stmt.all(first.queue, first.shopId)) {
      const k = key(r);
      const list = byKey.get(k);
      if (list) list.push(r.id);
      else byKey.set(k, [r.id]);
    }
    for (const o of members) out.set(o.id, (byKey.get(key(o)) ?? []).filter((id) => id !== o.id));
  }
  return out;
}

/** print.precheck: per selected order (in the order given), its problems and merge candidates. */
export function precheckOrders(db: Db, ids: readonly string[]): PrintPrecheck[] {
  const unique = [...new Set(ids)];
  const orders = loadOrders(db, unique);
  const merges = mergeCandidates(db, [...orders.values()]);
  return unique.map((id) => {
    const o = orders.get(id);
    const problems = problemsOf(o);
    return { id, ok: problems.length === 0, problems, mergeCandidates: merges.get(id) ?? [], hasWaybill: !!o?.hasWaybill };
  });
}

// ------------------------------------------------------------------------------------------------
// Sorting

interface SortKeyRow {
  orderId: string;
  sku: string | null;
}

/** The first line's outer SKU code (or title) per order: orders of one SKU come out together for picking. */
function skuKeys(db: Db, ids: readonly string[]): Map<string, string> {
  const stmt = db.$client.prepare<[string], SortKeyRow>(
    `SELECT order_id AS orderId, coalesce(outer_sku_code, title) AS sku FROM order_items
     WHERE order_id IN (SELECT value FROM json_each(?)) AND line_no = (SELECT min(line_no) FROM order_items i2 WHERE i2.order_id = order_items.order_id)`,
  );
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const r of stmt.all(JSON.stringify(ids.slice(i, i + ID_CHUNK)))) out.set(r.orderId, r.sku ?? '');
  return out;
}

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
// Chinese names sort by pinyin where the runtime has ICU data (Node ships full ICU).
const collator = new Intl.Collator('zh-Hans-CN');

/** Orders in print order; ties fall back to paid time, then id, so a batch prints the same way twice. */
export function sortOrders(db: Db, orders: OrderRow[], sortBy: PrintSort): OrderRow[] {
  const paid = (o: OrderRow) => o.paidAt ?? o.createdAt;
  const tail = (a: OrderRow, b: OrderRow) => cmp(paid(a), paid(b)) || cmp(a.id, b.id);
  const sorted = [...orders];
  switch (sortBy) {
    case 'paidAt':
      return sorted.sort(tail);
    case 'shop':
      return sorted.sort((a, b) => collator.compare(a.shopName, b.shopName) || cmp(a.shopId, b.shopId) || tail(a, b));
    case 'province':
      return sorted.sort((a, b) => collator.compare(a.receiverProvince, b.receiverProvince) || collator.compare(a.receiverCity, b.receiverCity) || tail(a, b));
    case 'sku': {
      const keys = skuKeys(db, orders.map((o) => o.id));
      return sorted.sort((a, b) => cmp(keys.get(a.id) ?? '', keys.get(b.id) ?? '') || tail(a, b));
    }
  }
}

// ------------------------------------------------------------------------------------------------
// The flow

export interface PrintLabelsInput {
  ids: readonly string[];
  printerId: string;
  sortBy: PrintSort;
  template?: TemplateId | undefined;
  accountId?: string | undefined;
  skipProblems: boolean;
}

export type BatchDeps = Omit<AllocateDeps, 'onProgress'>;

/** Roles that may print a batch: the print queue's own set (queue.ts PRINTS). */
const PRINTS = CREW;

const ALLOCATE_WORDS: Record<string, string> = {
  pool_exhausted: '面单号用完了：请给该面单账号添加号段或导入单号，然后重新打印这些订单',
  refused: '平台拒绝分配面单号',
  platform_error: '向平台取号失败',
  unsupported: '这个面单账号不能取号',
  wrong_shop: '平台面单账号只能给本店订单取号',
  duplicate_number: '平台返回的面单号已被其他包裹使用',
  cancelled: '包裹已取消',
  not_found: '包裹不存在',
};

const ENSURE_WORDS: Record<string, string> = {
  not_found: PRINT_PROBLEM_WORDS.not_found,
  not_shippable: '订单不是待发货状态',
  no_account: '这个店铺没有设置面单账号（请添加面单账号或在打印时选择一个）',
};

/**
 * print.labels. Allocation happens outside any transaction (platform calls), in chunks that each
 * commit on their own (allocate.ts); jobs are queued in one transaction at the end. A crash in
 * between leaves numbers on packages and no jobs — the next run finds the numbers and queues them.
 */
export async function printLabels(deps: BatchDeps, input: PrintLabelsInput): Promise<PrintLabelsResult> {
  requireRole(deps, PRINTS, '打印面单');
  const printer = getPrinter(deps.db, input.printerId);
  if (!printer) throw reasonError('printer.not_found', { printerId: input.printerId }, `No printer ${input.printerId}`);
  const batchId = uuidv7();
  const failed: PrintLabelsResult['failed'] = [];
  const fail = (id: string, code: string, reason: string) => failed.push({ id, code, reason });
  const ids = [...new Set(input.ids)];
  const orders = loadOrders(deps.db, ids);

  // 1. Pre-checks. An already-printed order is not a problem when its label job exists: that is a
  // batch being run again, and the idemKey keeps it from printing twice.
  const problems = new Map(ids.map((id) => [id, problemsOf(orders.get(id)).filter((p) => p !== 'already_printed')]));
  const blocked = ids.filter((id) => (problems.get(id) ?? []).length > 0);
  if (blocked.length > 0 && !input.skipProblems) {
    const first = blocked[0] as string;
    throw new AppError('INVALID_STATE', `${blocked.length} 个订单不能打印（例如 ${first}：${(problems.get(first) ?? []).map((p) => PRINT_PROBLEM_WORDS[p]).join('、')}）；没有打印任何订单`, {
      problems: blocked.map((id) => ({ id, problems: problems.get(id) })),
    });
  }
  const blockedSet = new Set(blocked);
  for (const id of blocked) {
    const ps = problems.get(id) ?? [];
    fail(id, ps[0] as string, ps.map((p) => PRINT_PROBLEM_WORDS[p]).join('、'));
  }
  const ready = sortOrders(
    deps.db,
    ids.filter((id) => !blockedSet.has(id)).map((id) => orders.get(id) as OrderRow),
    input.sortBy,
  );
  if (ready.length === 0) return { batchId, queued: 0, alreadyQueued: 0, failed };

  // 2. Packages (package 1 for orders that have none), with the chosen account or the shop's.
  const ensured = ensurePackages(deps, ready.map((o) => o.id), input.accountId !== undefined ? { accountId: input.accountId } : {});
  const noPackage = new Set<string>();
  for (const s of ensured.skipped) {
    noPackage.add(s.orderId);
    fail(s.orderId, s.code, ENSURE_WORDS[s.code] ?? PACKAGE_SKIP_REASONS[s.code]);
  }
  const withPackages = ready.filter((o) => !noPackage.has(o.id));
  const packages = packagesOfOrders(deps.db, withPackages.map((o) => o.id)).filter((p) => p.state !== 'cancelled');

  // 3. Waybills for packages without one, grouped by account (the chosen one, else the package's).
  const needNumbers = packages.filter((p) => p.waybillNo === null);
  const byAccount = new Map<string, string[]>();
  const orderOfPackage = new Map(packages.map((p) => [p.id, p.orderId]));
  for (const p of needNumbers) {
    const account = input.accountId ?? p.accountId;
    if (!account) {
      fail(p.orderId, 'no_account', ENSURE_WORDS.no_account as string);
      continue;
    }
    const list = byAccount.get(account);
    if (list) list.push(p.id);
    else byAccount.set(account, [p.id]);
  }
  const total = needNumbers.length;
  let doneBefore = 0;
  deps.events.emit('print.progress', { batchId, phase: 'allocate', done: 0, total });
  const numbered = new Map(packages.filter((p) => p.waybillNo !== null).map((p) => [p.id, p.waybillNo as string]));
  for (const [accountId, packageIds] of byAccount) {
    const base = doneBefore;
    const r = await allocateWaybills(
      { ...deps, onProgress: ({ done }) => deps.events.emit('print.progress', { batchId, phase: 'allocate', done: base + done, total }) },
      packageIds,
      accountId,
    );
    doneBefore += packageIds.length;
    for (const a of r.allocated) numbered.set(a.packageId, a.waybillNo);
    for (const f of r.failed) {
      const orderId = orderOfPackage.get(f.packageId) ?? f.packageId;
      fail(orderId, f.code, `${ALLOCATE_WORDS[f.code] ?? f.code}（${f.reason}）`);
    }
  }

  // 4. One job per numbered package, in print order. An order with any package short of a number
  // prints none of them: half an order's labels would leave a parcel waiting for the rest.
  const failedOrders = new Set(failed.map((f) => f.id));
  const rank = new Map(withPackages.map((o, i) => [o.id, i]));
  const printable = packages
    .filter((p) => !failedOrders.has(p.orderId) && numbered.has(p.id))
    .sort((a, b) => (rank.get(a.orderId) ?? 0) - (rank.get(b.orderId) ?? 0) || a.seq - b.seq);
  const existing = existingJobs(deps.db, printable.map((p) => waybillLabelKey(p.id, numbered.get(p.id) as string)));
  let alreadyQueued = 0;
  const retry: { jobId: string; orderId: string }[] = [];
  const fresh = printable.filter((p) => {
    const job = existing.get(waybillLabelKey(p.id, numbered.get(p.id) as string));
    if (!job) return true;
    if (job.state === 'failed') retry.push({ jobId: job.id, orderId: p.orderId });
    else if (job.state === 'cancelled') fail(p.orderId, 'cancelled_job', '这个面单的打印任务已被取消；需要打印请在打印任务里重打');
    else alreadyQueued += 1;
    return false;
  });
  // Orders stage 'printed' without a job of ours (printed by a platform component, or marked by hand).
  const withOurJob = new Set(printable.filter((p) => existing.has(waybillLabelKey(p.id, numbered.get(p.id) as string))).map((p) => p.orderId));
  for (const o of withPackages) {
    if (failedOrders.has(o.id) || withOurJob.has(o.id) || !problemsOf(o).includes('already_printed')) continue;
    fail(o.id, 'already_printed', PRINT_PROBLEM_WORDS.already_printed);
  }
  const stillFailed = new Set(failed.map((f) => f.id));
  const toQueue = fresh.filter((p) => !stillFailed.has(p.orderId));
  const jobs: EnqueueJob[] = toQueue.map((p, i) => ({
    printerId: printer.id,
    idemKey: waybillLabelKey(p.id, numbered.get(p.id) as string),
    docType: 'waybill',
    packageId: p.id,
    orderId: p.orderId,
    payload: { packageSeq: p.seq, waybillNo: numbered.get(p.id), ...(input.template ? { template: input.template } : {}) },
    batchId,
    seq: i + 1,
    total: toQueue.length,
  }));
  deps.events.emit('print.progress', { batchId, phase: 'queue', done: 0, total: jobs.length });
  const queued = jobs.length > 0 ? enqueue(deps, jobs).filter((r) => r.created).length : 0;
  let retried = 0;
  for (const { jobId, orderId } of retry) {
    try {
      retryJob(deps, jobId);
      retried += 1;
    } catch (err) {
      // Someone retried or cancelled it a moment ago: say so for this order, keep the rest of the batch.
      fail(orderId, 'job_changed', err instanceof Error ? err.message : String(err));
    }
  }
  deps.events.emit('print.progress', { batchId, phase: 'queue', done: jobs.length, total: jobs.length });
  // One line per order: an order with two packages short of numbers is one failure, named once.
  const seen = new Set<string>();
  const perOrder = failed.filter((f) => !seen.has(f.id) && seen.add(f.id));
  return { batchId, queued: queued + retried, alreadyQueued, failed: perOrder };
}

function existingJobs(db: Db, keys: readonly string[]): Map<string, { id: string; state: string }> {
  // print_jobs.idem_key is unique: one index probe per key.
  const stmt = db.$client.prepare<[string], { id: string; idemKey: string; state: string }>(
    'SELECT id, idem_key AS idemKey, state FROM print_jobs WHERE idem_key IN (SELECT value FROM json_each(?))',
  );
  const out = new Map<string, { id: string; state: string }>();
  for (let i = 0; i < keys.length; i += ID_CHUNK) for (const r of stmt.all(JSON.stringify(keys.slice(i, i + ID_CHUNK)))) out.set(r.idemKey, r);
  return out;
}

// ------------------------------------------------------------------------------------------------
// Marking printed

/**
 * Marks packages printed whose waybill job was delivered (sent or confirmed) and that are not marked
 * yet — packages.printed_at, state 'printed' — and moves their orders to stage 'printed' once every
 * open package of the order is printed. One command (audit per package and order). Idempotent: it
 * derives everything from the jobs, so the print queue calls it after each delivery and on start
 * (a crash between delivery and marking is healed then). packageIds narrows it; none = all.
 */
export function markDeliveredPrinted(ctx: CoreContext, packageIds?: readonly string[]): { packages: number; orders: number } {
  const client = ctx.db.$client;
  const scope = packageIds ? 'AND p.id IN (SELECT value FROM json_each(@ids))' : '';
  const due = client
    .prepare<{ ids: string }, { packageId: string; orderId: string; deliveredAt: number }>(
      `SELECT p.id AS packageId, p.order_id AS orderId, min(coalesce(j.sent_at, j.confirmed_at, j.created_at)) AS deliveredAt
       FROM packages p JOIN print_jobs j ON j.package_id = p.id AND j.doc_type = 'waybill'
            -- A print component's 'sent' only means it accepted the task; its printed is 'confirmed'.
            AND (j.state = 'confirmed' OR (j.state = 'sent' AND NOT EXISTS (SELECT 1 FROM printers pr WHERE pr.id = j.printer_id AND pr.uri LIKE 'component:%')))
       WHERE p.printed_at IS NULL AND p.state <> 'cancelled' ${scope}
       GROUP BY p.id`,
    )
    .all({ ids: JSON.stringify(packageIds ?? []) });
  if (due.length === 0) return { packages: 0, orders: 0 };
  return runCommand(ctx, 'print.markPrinted', { packageIds: due.map((d) => d.packageId) }, { tables: ['packages', 'orders'] }, (s) => {
    const setPackage = client.prepare(
      `UPDATE packages SET printed_at = ?, state = CASE WHEN state IN ('new', 'allocated') THEN 'printed' ELSE state END WHERE id = ? AND printed_at IS NULL`,
    );
    for (const d of due) {
      setPackage.run(d.deliveredAt, d.packageId);
      s.audit({ entity: 'package', entityId: d.packageId, field: 'printed_at', after: d.deliveredAt });
    }
    const allPrinted = client.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM packages WHERE order_id = ? AND state <> 'cancelled' AND printed_at IS NULL`);
    const setStage = client.prepare(`UPDATE orders SET stage = 'printed', local_updated_at = ? WHERE id = ? AND stage IN ('pending_review', 'awaiting_print')`);
    const stageOf = client.prepare<[string], { stage: string }>('SELECT stage FROM orders WHERE id = ?');
    let orders = 0;
    for (const orderId of new Set(due.map((d) => d.orderId))) {
      if ((allPrinted.get(orderId) as { n: number }).n > 0) continue;
      const before = stageOf.get(orderId)?.stage;
      if (setStage.run(s.at, orderId).changes === 1) {
        orders += 1;
        s.audit({ entity: 'order', entityId: orderId, field: 'stage', before, after: 'printed' });
      }
    }
    return { packages: due.length, orders };
  });
}

// ------------------------------------------------------------------------------------------------
// Reading jobs

interface JobViewRow extends JobRow {
  printer_name: string;
  platform_order_id: string | null;
  waybill_no: string | null;
}

const JOB_VIEW_SQL = `SELECT j.*, pr.name AS printer_name, o.platform_order_id, pk.waybill_no
  FROM print_jobs j JOIN printers pr ON pr.id = j.printer_id
  LEFT JOIN orders o ON o.id = j.order_id LEFT JOIN packages pk ON pk.id = j.package_id`;

function toJobView(r: JobViewRow): PrintJobView {
  let payload: Record<string, unknown> = {};
  try {
    payload = JSON.parse(r.payload) as Record<string, unknown>;
  } catch {
    payload = {};
  }
  const mark = payload.reprint as { count?: unknown } | undefined;
  const payloadWaybill = typeof payload.waybillNo === 'string' ? payload.waybillNo : null;
  return {
    id: r.id,
    printerId: r.printer_id,
    printerName: r.printer_name,
    idemKey: r.idem_key,
    docType: r.doc_type as PrintJobView['docType'],
    packageId: r.package_id,
    orderId: r.order_id,
    platformOrderId: r.platform_order_id,
    waybillNo: payloadWaybill ?? r.waybill_no,
    batchId: r.batch_id,
    seq: r.seq,
    total: r.total,
    reprintOf: r.reprint_of,
    reprintReason: r.reprint_reason,
    reprintCount: typeof mark?.count === 'number' ? mark.count : null,
    state: r.state as PrintJobState,
    attempts: r.attempts,
    lastError: r.last_error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    confirmedAt: r.confirmed_at,
  };
}

export function jobView(db: Db, id: string): PrintJobView {
  const row = db.$client.prepare<[string], JobViewRow>(`${JOB_VIEW_SQL} WHERE j.id = ?`).get(id);
  if (!row) throw reasonError('print_job.not_found', { jobId: id }, `No print job ${id}`);
  return toJobView(row);
}

/** printJobs.list: newest first, filtered by printer, states and batch. */
export function listJobViews(db: Db, f: { printerId?: string | undefined; states?: readonly string[] | undefined; batchId?: string | undefined; limit: number }): PrintJobView[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.printerId) (where.push('j.printer_id = ?'), args.push(f.printerId));
  if (f.batchId) (where.push('j.batch_id = ?'), args.push(f.batchId));
  if (f.states && f.states.length > 0) {
    const s = sqlIn('j.state', f.states);
    where.push(s.sql), args.push(...s.params);
  }
  const sql = `${JOB_VIEW_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY j.created_at DESC, j.rowid DESC LIMIT ?`;
  return (db.$client.prepare(sql).all(...args, f.limit) as JobViewRow[]).map(toJobView);
}

/** print.batch: the batch's jobs in print order and how many are in each state. */
export function batchView(db: Db, batchId: string): PrintBatchView {
  const jobs = (db.$client.prepare(`${JOB_VIEW_SQL} WHERE j.batch_id = ? ORDER BY j.seq, j.created_at, j.rowid`).all(batchId) as JobViewRow[]).map(toJobView);
  if (jobs.length === 0) throw new AppError('NOT_FOUND', `没有这个打印批次（${batchId}），或它没有排队任何面单`);
  const counts = Object.fromEntries(PRINT_JOB_STATES.map((s) => [s, 0])) as Record<PrintJobState, number>;
  for (const j of jobs) counts[j.state] += 1;
  const finished = counts.queued === 0 && counts.sending === 0;
  return { batchId, jobs, counts, finished, blockedBy: finished ? [] : lanesHeldFromOutside(db, batchId) };
}

/** Failed or uncertain jobs of other batches (or none) on the printers where this batch still has queued jobs, oldest first. */
function lanesHeldFromOutside(db: Db, batchId: string): PrintJobView[] {
  const rows = db.$client
    .prepare(
      `${JOB_VIEW_SQL} WHERE j.state IN ${LANE_HOLDING_SQL} AND j.batch_id IS NOT ?
         AND j.printer_id IN (SELECT DISTINCT printer_id FROM print_jobs WHERE batch_id = ? AND state = 'queued')
       ORDER BY j.created_at, j.rowid LIMIT 50`,
    )
    .all(batchId, batchId) as JobViewRow[];
  return rows.map(toJobView);
}
