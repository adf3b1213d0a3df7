// Waybill accounts (面单账号): where one carrier's numbers come from — a shop's platform e-waybill
// service (Cainiao via TOP, PDD, Douyin) or a self-managed pool of numbers (ranges or imported lists,
// pool.ts). Adding one is a command (row + audit + ops); reading them is plain queries.
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from '../../shared/carriers.ts';
import { WAYBILL_ACCOUNT_KINDS, type WaybillAccountKind } from '../../shared/contract.ts';
import { AppError } from '../../shared/result.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { Db } from '../db/open.ts';
import type { StoredWaybillAccount } from '../db/rows.ts';
import type { WaybillSender } from '../platforms/contract.ts';

/**
 * Platforms whose e-waybill API the adapters implement. JD is left out on purpose:
 * docs/platforms/common.md#which-apis-exist has no JD waybill API at all (its 京东物流 / 无界 waybills need their
 * own contracts) — an account there could never allocate, so it is refused up front.
 */
export const WAYBILL_PLATFORMS: readonly string[] = ['taobao', 'tmall', 'pdd', 'douyin', 'kuaishou'];

export const waybillSenderSchema = z.object({
  name: z.string().trim().min(1).max(40),
  mobile: z.string().trim().regex(/^[0-9+\- ]{6,20}$/, 'a phone number'),
  province: z.string().trim().min(1),
  city: z.string().trim().min(1),
  district: z.string().trim().default(''),
  address: z.string().trim().min(1).max(200),
});

/** Input of addWaybillAccount (the lead wires it into the API contract). */
export const addWaybillAccountInput = z
  .object({
    name: z.string().trim().min(1).max(60),
    carrierCode: z.enum(CARRIER_CODES),
    kind: z.enum(WAYBILL_ACCOUNT_KINDS),
    /** kind 'platform': the shop whose platform allocates the numbers. */
    shopId: z.string().min(1).nullable().default(null),
    /** Printed on labels; required for platform accounts (their APIs take it with every request). */
    sender: waybillSenderSchema.nullable().default(null),
    /** Shops whose orders use this account by default (besides a platform account's own shop). */
    shopIds: z.array(z.string().min(1)).default([]),
    /** Platform options: templateUrl, needEncrypt ('true'|'false'), userId, productType. */
    options: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'platform' && !v.shopId) ctx.addIssue({ code: 'custom', path: ['shopId'], message: 'a platform account needs its shop' });
    if (v.kind === 'platform' && !v.sender) ctx.addIssue({ code: 'custom', path: ['sender'], message: 'a platform account needs the sender the platform is told' });
    if (v.kind === 'pool' && v.shopId) ctx.addIssue({ code: 'custom', path: ['shopId'], message: 'a pool account belongs to no shop; list shops in shopIds' });
  });
export type AddWaybillAccountInput = z.input<typeof addWaybillAccountInput>;

/** What waybill_accounts.settings holds. */
export interface WaybillAccountSettings {
  sender: WaybillSender | null;
  shopIds: string[];
  options: Record<string, string>;
}

export interface WaybillAccountView {
  id: string;
  name: string;
  carrierCode: CarrierCode;
  kind: WaybillAccountKind;
  shopId: string | null;
  settings: WaybillAccountSettings;
  createdAt: number;
  /** Pool accounts: numbers free and used; null for platform accounts. */
  pool: { free: number; used: number } | null;
}

type AccountRow = Pick<StoredWaybillAccount, 'id' | 'name' | 'carrierCode' | 'kind' | 'shopId' | 'settings' | 'createdAt'>;

const SELECT = 'SELECT id, name, carrier_code AS carrierCode, kind, shop_id AS shopId, settings, created_at AS createdAt FROM waybill_accounts';

/** A corrupt settings value reads as empty settings: the account still lists, and allocation says what is missing. */
function parseSettings(text: string): WaybillAccountSettings {
  try {
    const v = JSON.parse(text) as Partial<WaybillAccountSettings>;
    return {
      sender: v.sender ?? null,
      shopIds: Array.isArray(v.shopIds) ? v.shopIds.filter((s): s is string => typeof s === 'string') : [],
      options: typeof v.options === 'object' && v.options !== null ? v.options : {},
    };
  } catch {
    return { sender: null, shopIds: [], options: {} };
  }
}

function poolCounts(db: Db, accountId: string): { free: number; used: number } {
  // waybill_numbers_free_idx (account_id, package_id) answers both counts from the index.
  const r = db.$client
    .prepare<[string], { free: number; total: number }>(
      'SELECT count(*) FILTER (WHERE package_id IS NULL) AS free, count(*) AS total FROM waybill_numbers WHERE account_id = ?',
    )
    .get(accountId) as { free: number; total: number };
  return { free: r.free, used: r.total - r.free };
}

function toView(db: Db, r: AccountRow): WaybillAccountView {
  const kind = r.kind === 'platform' ? 'platform' : 'pool';
  return {
    id: r.id,
    name: r.name,
    carrierCode: r.carrierCode as CarrierCode,
    kind,
    shopId: r.shopId,
    settings: parseSettings(r.settings),
    createdAt: r.createdAt,
    pool: kind === 'pool' ? poolCounts(db, r.id) : null,
  };
}

export function getWaybillAccount(db: Db, id: string): WaybillAccountView | null {
  const row = db.$client.prepare<[string], AccountRow>(`${SELECT} WHERE id = ?`).get(id);
  return row ? toView(db, row) : null;
}

export function listWaybillAccounts(db: Db): WaybillAccountView[] {
  return db.$client
    .prepare<[], AccountRow>(`${SELECT} ORDER BY created_at, id`)
    .all()
    .map((r) => toView(db, r));
}

/**
 * The account a shop's orders use when the caller names none: one that lists the shop in its
 * shopIds, else the shop's own platform account — the oldest first either way, so the choice is stable.
 */
export function accountForShop(db: Db, shopId: string): WaybillAccountView | null {
  const rows = db.$client.prepare<[], AccountRow>(`${SELECT} ORDER BY created_at, id`).all();
  const listed = rows.find((r) => parseSettings(r.settings).shopIds.includes(shopId));
  const own = rows.find((r) => r.kind === 'platform' && r.shopId === shopId);
  const pick = listed ?? own;
  return pick ? toView(db, pick) : null;
}

/** Add a waybill account (command 'waybills.addAccount'). */
export function addWaybillAccount(ctx: CoreContext, raw: AddWaybillAccountInput): WaybillAccountView {
  const parsed = addWaybillAccountInput.safeParse(raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), parsed.error.issues);
  const input = parsed.data;
  const client = ctx.db.$client;
  const shopPlatform = (id: string) => client.prepare<[string], { platform: string }>('SELECT platform FROM shops WHERE id = ?').get(id)?.platform;
  if (input.shopId) {
    const platform = shopPlatform(input.shopId);
    if (!platform) throw reasonError('shop.not_found', { shopId: input.shopId }, `no shop ${input.shopId}`);
    if (!WAYBILL_PLATFORMS.includes(platform)) {
      throw reasonError(
        'waybill_account.platform_unsupported',
        { platform },
        `platform e-waybills are not available for ${platform} shops: ShopFleet implements Cainiao (Taobao/Tmall), PDD, Douyin and Kuaishou; the public JD sources document no waybill API. Use a pool account for this carrier.`,
      );
    }
  }
  for (const s of input.shopIds) if (!shopPlatform(s)) throw reasonError('shop.not_found', { shopId: s }, `no shop ${s}`);
  const id = uuidv7();
  const settings: WaybillAccountSettings = { sender: input.sender, shopIds: input.shopIds, options: input.options };
  runCommand(ctx, 'waybills.addAccount', { id, ...input }, { tables: ['waybill_accounts'] }, (scope) => {
    client
      .prepare('INSERT INTO waybill_accounts (id, name, carrier_code, kind, shop_id, settings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.name, input.carrierCode, input.kind, input.shopId, JSON.stringify(settings), scope.at);
    scope.audit({ entity: 'waybill_account', entityId: id, after: { name: input.name, carrierCode: input.carrierCode, kind: input.kind, shopId: input.shopId } });
  });
  return getWaybillAccount(ctx.db, id) as WaybillAccountView;
}
