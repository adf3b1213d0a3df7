// Waybill allocation (取号), once per package and kept (docs/architecture.md#data-flow-rules, rule 4). The
// package id is the idempotency key: a package that has a number returns it unchanged; a pool account takes
// the next free number and marks it used in the same transaction as the package; a platform account is called
// outside any transaction with the package id in the request (object_id / pack_id / packageCode), and its
// answer is written in a new transaction. If the station dies between the call and the write, asking again
// gets the same number only where the platform promises it (Douyin's order_id + pack_id); elsewhere it gets a
// new one, which is stored — the lost one is never printed (docs/platforms/*.md, "Waybill idempotency").
import type { CarrierCode } from '../../shared/carriers.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredOrderItem, StoredPackage } from '../db/rows.ts';
import type { PlatformAdapter, ShopRecord, WaybillRequest, WaybillResult } from '../platforms/contract.ts';
import { adapterFor as registryAdapterFor, shopRecord, shopWithSecrets } from '../platforms/registry.ts';
import type { SecretCipher } from '../shops/secrets.ts';
import { getWaybillAccount, type WaybillAccountView } from './accounts.ts';
import { ID_CHUNK } from './packages.ts';

/**
 * Packages per platform call and per write transaction (Cainiao and PDD take ≤ 10 per call,
 * docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget/docs/platforms/pdd.md#waybill-idempotency).
 */
export const PLATFORM_CHUNK = 10;
/** Packages per pool transaction: short transactions, one db.changed each. */
export const POOL_CHUNK = 500;

export interface AllocateDeps extends CoreContext {
  /** Builds a shop's adapter from a shop that already carries its secrets (default: the platform registry). */
  adapterFor?: (shop: ShopRecord) => PlatformAdapter;
  /** Opens the shop's stored secrets for the platform call. */
  secretCipher?: SecretCipher;
  /** Called after each chunk is written: packages done so far (allocated or failed) of the total. */
  onProgress?: (p: { done: number; total: number }) => void;
}

/** Why a package got no number: a stable code (the UI translates it) and a sentence naming the cause. */
export type AllocateFailure =
  | 'not_found'
  | 'cancelled'
  | 'pool_exhausted'
  | 'wrong_shop'
  | 'unsupported'
  | 'refused'
  | 'platform_error'
  | 'duplicate_number';

export interface AllocateResult {
  allocated: { packageId: string; waybillNo: string }[];
  failed: { packageId: string; code: AllocateFailure; reason: string }[];
}

/** PACKAGE_SQL's row: the package and its order's shop, number and receiver. */
type PackageRow = Pick<StoredPackage, 'id' | 'orderId' | 'accountId' | 'carrierCode' | 'waybillNo' | 'state'> &
  Pick<
    StoredOrder,
    | 'shopId'
    | 'platformOrderId'
    | 'receiverName'
    | 'receiverPhone'
    | 'receiverProvince'
    | 'receiverCity'
    | 'receiverDistrict'
    | 'receiverTown'
    | 'receiverAddress'
    | 'receiverCipher'
  >;

const PACKAGE_SQL = `SELECT p.id, p.order_id AS orderId, p.account_id AS accountId, p.carrier_code AS carrierCode,
  p.waybill_no AS waybillNo, p.state, o.shop_id AS shopId, o.platform_order_id AS platformOrderId,
  o.receiver_name AS receiverName, o.receiver_phone AS receiverPhone, o.receiver_province AS receiverProvince,
  o.receiver_city AS receiverCity, o.receiver_district AS receiverDistrict, o.receiver_town AS receiverTown,
  o.receiver_address AS receiverAddress, o.receiver_cipher AS receiverCipher
  FROM packages p JOIN orders o ON o.id = p.order_id WHERE p.id IN (SELECT value FROM json_each(?))`;

function loadPackages(db: Db, ids: readonly string[]): Map<string, PackageRow> {
  const stmt = db.$client.prepare<[string], PackageRow>(PACKAGE_SQL);
  const out = new Map<string, PackageRow>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const r of stmt.all(JSON.stringify(ids.slice(i, i + ID_CHUNK)))) out.set(r.id, r);
  return out;
}

/**
 * Allocate a waybill number to each package from one account. Packages that already have a number
 * are returned as allocated with it, whatever the account; the others take the account (and its
 * carrier) — a package whose number never arrived may move to another account, at worst leaving an
 * unused number at the first. Emits db.changed ['packages', …] per written chunk (via runCommand)
 * and onProgress after each. Throws only for an unknown account.
 */
export async function allocateWaybills(deps: AllocateDeps, packageIds: readonly string[], accountId: string): Promise<AllocateResult> {
  const account = getWaybillAccount(deps.db, accountId);
  if (!account) throw reasonError('waybill_account.not_found', { accountId }, `no waybill account ${accountId}`);
  const ids = [...new Set(packageIds)];
  const rows = loadPackages(deps.db, ids);
  const result: AllocateResult = { allocated: [], failed: [] };
  const pending: PackageRow[] = [];
  for (const id of ids) {
    const p = rows.get(id);
    if (!p) result.failed.push({ packageId: id, code: 'not_found', reason: 'No package with this id exists at this station.' });
    else if (p.waybillNo !== null) result.allocated.push({ packageId: id, waybillNo: p.waybillNo });
    else if (p.state === 'cancelled') result.failed.push({ packageId: id, code: 'cancelled', reason: 'The package was cancelled.' });
    else pending.push(p);
  }
  const total = ids.length;
  const progress = () => deps.onProgress?.({ done: result.allocated.length + result.failed.length, total });
  if (pending.length > 0) {
    if (account.kind === 'pool') allocateFromPool(deps, account, pending, result, progress);
    else await allocateFromPlatform(deps, account, pending, result, progress);
  }
  progress();
  return result;
}

// ------------------------------------------------------------------------------------------------
// Pool

function allocateFromPool(deps: AllocateDeps, account: WaybillAccountView, pending: PackageRow[], result: AllocateResult, progress: () => void): void {
  const client = deps.db.$client;
  // waybill_numbers_free_idx (account_id, package_id) holds rowid last: the oldest free number is
  // found in the index, and numbers go out in the order they were added (a range in its order).
  const nextFree = client.prepare<[string], { waybillNo: string }>(
    'SELECT waybill_no AS waybillNo FROM waybill_numbers WHERE account_id = ? AND package_id IS NULL ORDER BY rowid LIMIT 1',
  );
  const takeNumber = client.prepare('UPDATE waybill_numbers SET package_id = ?, used_at = ? WHERE account_id = ? AND waybill_no = ? AND package_id IS NULL');
  const current = client.prepare<[string], { waybillNo: string | null; state: string }>('SELECT waybill_no AS waybillNo, state FROM packages WHERE id = ?');
  const setPackage = client.prepare(
    `UPDATE packages SET account_id = ?, carrier_code = ?, waybill_no = ?, state = 'allocated', allocated_at = ? WHERE id = ? AND waybill_no IS NULL`,
  );
  const exhausted: PackageRow[] = [];
  for (let i = 0; i < pending.length; i += POOL_CHUNK) {
    const chunk = pending.slice(i, i + POOL_CHUNK);
    // An empty pool stays empty for the rest of the batch: no more (empty) transactions.
    if (!nextFree.get(account.id)) {
      exhausted.push(...pending.slice(i));
      break;
    }
    const allocated: AllocateResult['allocated'] = [];
    runCommand(deps, 'waybills.allocate', { accountId: account.id, packageIds: chunk.map((p) => p.id) }, { tables: ['packages', 'waybill_numbers'] }, (scope) => {
      for (const p of chunk) {
        // Read again inside the write lock: another caller may have allocated it since we looked.
        const now = current.get(p.id);
        if (now?.waybillNo) {
          allocated.push({ packageId: p.id, waybillNo: now.waybillNo });
          continue;
        }
        const free = nextFree.get(account.id);
        if (!free) {
          exhausted.push(p);
          continue;
        }
        takeNumber.run(p.id, scope.at, account.id, free.waybillNo);
        setPackage.run(account.id, account.carrierCode, free.waybillNo, scope.at, p.id);
        scope.audit({ entity: 'order', entityId: p.orderId, field: 'waybill_no', after: { packageId: p.id, accountId: account.id, carrierCode: account.carrierCode, waybillNo: free.waybillNo } });
        allocated.push({ packageId: p.id, waybillNo: free.waybillNo });
      }
    });
    result.allocated.push(...allocated);
    progress();
  }
  if (exhausted.length > 0) {
    const reason = `Pool "${account.name}" (${account.carrierCode}) ran out of numbers: ${exhausted.length} of ${pending.length} package(s) got none. Add a number range or import numbers, then retry them.`;
    for (const p of exhausted) result.failed.push({ packageId: p.id, code: 'pool_exhausted', reason });
  }
}

// ------------------------------------------------------------------------------------------------
// Platform

type ItemRow = Pick<StoredOrderItem, 'orderId' | 'title' | 'quantity'>;

function itemsOf(db: Db, orderIds: readonly string[]): Map<string, { name: string; count: number }[]> {
  // order_items_order_line_uq (order_id, line_no) serves the lookup.
  const rows = db.$client
    .prepare<[string], ItemRow>('SELECT order_id AS orderId, title, quantity FROM order_items WHERE order_id IN (SELECT value FROM json_each(?)) ORDER BY order_id, line_no')
    .all(JSON.stringify(orderIds));
  const out = new Map<string, { name: string; count: number }[]>();
  for (const r of rows) out.set(r.orderId, [...(out.get(r.orderId) ?? []), { name: r.title, count: r.quantity }]);
  return out;
}

function requestOf(p: PackageRow, account: WaybillAccountView, items: { name: string; count: number }[]): WaybillRequest {
  return {
    packageId: p.id,
    platformOrderId: p.platformOrderId,
    carrierCode: account.carrierCode as CarrierCode,
    sender: account.settings.sender as NonNullable<WaybillAccountView['settings']['sender']>,
    receiver: {
      name: p.receiverName,
      phone: p.receiverPhone,
      province: p.receiverProvince,
      city: p.receiverCity,
      district: p.receiverDistrict,
      town: p.receiverTown,
      address: p.receiverAddress,
      cipher: p.receiverCipher,
    },
    items,
    options: account.settings.options,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The shop's adapter, or why there is none that can allocate. */
function platformAdapter(deps: AllocateDeps, account: WaybillAccountView): { adapter: PlatformAdapter } | { reason: string } {
  const shop = account.shopId ? shopRecord(deps.db, account.shopId) : null;
  if (!shop) return { reason: `Waybill account "${account.name}" has no shop to allocate through.` };
  if (!account.settings.sender) return { reason: `Waybill account "${account.name}" has no sender; the platform needs one with every request.` };
  let adapter: PlatformAdapter;
  try {
    const withSecrets = shopWithSecrets(deps.db, deps.secretCipher, shop);
    adapter = deps.adapterFor ? deps.adapterFor(withSecrets) : registryAdapterFor(withSecrets, { now: deps.now });
  } catch (err) {
    return { reason: errorText(err) };
  }
  if (!adapter.allocateWaybills) {
    return {
      reason: `${shop.platform} has no e-waybill API in ShopFleet: the public JD sources document none. Use a pool account.`,
    };
  }
  return { adapter };
}

async function allocateFromPlatform(deps: AllocateDeps, account: WaybillAccountView, pending: PackageRow[], result: AllocateResult, progress: () => void): Promise<void> {
  const fail = (ps: readonly PackageRow[], code: AllocateFailure, reason: string) => {
    for (const p of ps) result.failed.push({ packageId: p.id, code, reason });
  };
  // The platform decrypts its own orders' receivers (oaid + tid, ciphertexts): only the account's shop's orders can go through it.
  const mine = pending.filter((p) => p.shopId === account.shopId);
  fail(
    pending.filter((p) => p.shopId !== account.shopId),
    'wrong_shop',
    `Waybill account "${account.name}" allocates for its own shop's orders only; choose the order's shop account or a pool.`,
  );
  const found = platformAdapter(deps, account);
  if ('reason' in found) {
    fail(mine, 'unsupported', found.reason);
    return;
  }
  const adapter = found.adapter as Required<Pick<PlatformAdapter, 'allocateWaybills'>> & PlatformAdapter;
  const items = itemsOf(deps.db, [...new Set(mine.map((p) => p.orderId))]);
  for (let i = 0; i < mine.length; i += PLATFORM_CHUNK) {
    const chunk = mine.slice(i, i + PLATFORM_CHUNK);
    let answers: WaybillResult[];
    try {
      // The network call, outside any transaction (docs/architecture.md#data-flow-rules, rule 1).
      answers = await adapter.allocateWaybills(chunk.map((p) => requestOf(p, account, items.get(p.orderId) ?? [])));
    } catch (err) {
      // Throttling, outages and expired authorisations hit every later chunk too: stop, and list
      // the rest as failed with the same cause so the caller can retry them all later.
      fail(mine.slice(i), 'platform_error', errorText(err));
      progress();
      return;
    }
    writePlatformAnswers(deps, account, chunk, answers, result);
    progress();
  }
}

/** Write one chunk's answers in one command transaction; refusals are listed, not written. */
function writePlatformAnswers(deps: AllocateDeps, account: WaybillAccountView, chunk: PackageRow[], answers: WaybillResult[], result: AllocateResult): void {
  const client = deps.db.$client;
  const byId = new Map(answers.map((a) => [a.packageId, a]));
  const done: AllocateResult = { allocated: [], failed: [] };
  const current = client.prepare<[string], { waybillNo: string | null }>('SELECT waybill_no AS waybillNo FROM packages WHERE id = ?');
  // packages_waybill_uq (carrier_code, waybill_no): a number another package holds would abort the transaction.
  const holder = client.prepare<[string, string], { id: string }>('SELECT id FROM packages WHERE carrier_code = ? AND waybill_no = ?');
  const setPackage = client.prepare(
    `UPDATE packages SET account_id = ?, carrier_code = ?, waybill_no = ?, routing = ?, print_data = ?, state = 'allocated', allocated_at = ?
     WHERE id = ? AND waybill_no IS NULL`,
  );
  const writes = chunk.filter((p) => byId.get(p.id)?.kind === 'allocated');
  for (const p of chunk) {
    const a = byId.get(p.id);
    if (!a) done.failed.push({ packageId: p.id, code: 'platform_error', reason: 'The platform answered without this package.' });
    else if (a.kind === 'refused') done.failed.push({ packageId: p.id, code: 'refused', reason: a.reason });
  }
  if (writes.length > 0) {
    runCommand(deps, 'waybills.allocate', { accountId: account.id, packageIds: writes.map((p) => p.id) }, { tables: ['packages'] }, (scope) => {
      for (const p of writes) {
        const a = byId.get(p.id) as Extract<WaybillResult, { kind: 'allocated' }>;
        const now = current.get(p.id);
        if (now?.waybillNo) {
          done.allocated.push({ packageId: p.id, waybillNo: now.waybillNo });
          continue;
        }
        const other = holder.get(account.carrierCode, a.waybillNo);
        if (other) {
          done.failed.push({ packageId: p.id, code: 'duplicate_number', reason: `The platform returned ${a.waybillNo}, which package ${other.id} already holds.` });
          continue;
        }
        setPackage.run(account.id, account.carrierCode, a.waybillNo, JSON.stringify(a.routing), a.printData, scope.at, p.id);
        scope.audit({ entity: 'order', entityId: p.orderId, field: 'waybill_no', after: { packageId: p.id, accountId: account.id, carrierCode: account.carrierCode, waybillNo: a.waybillNo, sortCode: a.routing.sortCode } });
        done.allocated.push({ packageId: p.id, waybillNo: a.waybillNo });
      }
    });
  }
  result.allocated.push(...done.allocated);
  result.failed.push(...done.failed);
}
