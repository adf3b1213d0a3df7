// The batch print flow: selected orders → pre-checks (precheck.ts) → packages → waybills (with
// print.progress) → one label job per package in the chosen order with seq/total; the print service
// marks them printed when a job is delivered (mark-printed.ts). Exactly-once rests on two keys already
// in the schema: a package keeps its waybill number (allocate.ts), and a label job's idemKey is
// package + waybill + copy (jobs.ts), so running the same batch again allocates nothing and queues
// nothing that was queued before.
import { v7 as uuidv7 } from 'uuid';
import type { PrintLabelsResult, PrintSort } from '../../shared/contract.ts';
import { reasonError } from '../../shared/reasons.ts';
import type { Db } from '../db/open.ts';
import type { TemplateId } from '../labels/templates.ts';
import { claimOrders, claimRefusalWords } from '../hub/claims.ts';
import { allocateWaybills, type AllocateDeps } from '../waybills/allocate.ts';
import { ensurePackages, ID_CHUNK, packagesOfOrders, PACKAGE_SKIP_REASONS } from '../waybills/packages.ts';
import { CREW } from '../../shared/roles.ts';
import { getPrinter, requireRole } from './printers.ts';
import { enqueue, retryJob, type EnqueueJob } from './queue-commands.ts';
import { waybillLabelKey } from './jobs.ts';
import { loadOrders, PRINT_PROBLEM_WORDS, problemsOf, type OrderRow } from './precheck.ts';

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

/** Roles that may print a batch: the print queue's own set (queue-commands.ts PRINTS). */
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
    const details = { blocked: blocked.length, orderId: first, problems: blocked.map((id) => ({ id, problems: problems.get(id) ?? [] })) };
    throw reasonError('print_batch.blocked', details, `${blocked.length} orders cannot be printed (e.g. ${first}: ${(problems.get(first) ?? []).join(', ')}); nothing was printed`);
  }
  const blockedSet = new Set(blocked);
  for (const id of blocked) {
    const ps = problems.get(id) ?? [];
    fail(id, ps[0] as string, ps.map((p) => PRINT_PROBLEM_WORDS[p]).join('、'));
  }
  const unblocked = sortOrders(
    deps.db,
    ids.filter((id) => !blockedSet.has(id)).map((id) => orders.get(id) as OrderRow),
    input.sortBy,
  );
  // A station of a team claims its orders on the hub first: an order another station works is not
  // given a second waybill here (no hub: every order goes on).
  const gate = await claimOrders(deps.db, { cipher: deps.secretCipher, now: deps.now }, unblocked.map((o) => o.id));
  for (const r of gate?.refused ?? []) fail(r.orderId, r.code, claimRefusalWords(r));
  const ready = gate ? unblocked.filter((o) => gate.allowed.has(o.id)) : unblocked;
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
