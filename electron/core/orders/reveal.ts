// orders.revealReceiver: a person asks to see one order's full receiver (name, phone, street) with
// a reason. The platform decrypts it (network call, outside any transaction); an audited command
// records who, when, which order and why — never the plaintext, which is returned and not stored.
import type { ApiParsedInput, RevealedReceiver } from '../../shared/contract.ts';
import type { Role } from '../../shared/model.ts';
import { reasonError } from '../../shared/reasons.ts';
import { runCommand, type CoreContext } from '../api/command.ts';
import type { StoredOrder } from '../db/rows.ts';
import type { PlatformAdapter, ShopRecord } from '../platforms/contract.ts';

/**
 * Reveals per person per day (Asia/Shanghai). Platforms watch decrypt volume per app and a
 * customer-service seat has no business reading hundreds of addresses a day; owners are not capped.
 * The roles the contract does not let call orders.revealReceiver are 0 here for good measure.
 */
export const REVEAL_DAILY_CAP: Record<Role, number | null> = { owner: null, operator: 1000, service: 200, packer: 0, finance: 0 };

export interface RevealDeps {
  /** The shop's adapter, secrets merged (registry.adapterFor over registry.shopWithSecrets in the app). */
  adapterFor: (shop: ShopRecord) => PlatformAdapter;
}

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Midnight in Asia/Shanghai (no daylight saving) of the day containing `at`, as epoch ms. */
export const shanghaiDayStart = (at: number): number => Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;

function revealsToday(ctx: CoreContext, at: number): number {
  // ops_push_idx (push_state, at) narrows this to today's non-push ops; reveals queue no push.
  const row = ctx.db.$client
    .prepare<[number, string], { n: number }>(
      `SELECT count(*) AS n FROM ops WHERE push_state IS NULL AND at >= ? AND name = 'orders.revealReceiver' AND actor = ?`,
    )
    .get(shanghaiDayStart(at), ctx.actor.name);
  return row?.n ?? 0;
}

function assertUnderCap(ctx: CoreContext, at: number): void {
  const cap = REVEAL_DAILY_CAP[ctx.actor.role];
  if (cap === null) return;
  const used = revealsToday(ctx, at);
  if (used >= cap) {
    throw reasonError('reveal.daily_limit', { role: ctx.actor.role, cap, used }, `Daily limit reached: role "${ctx.actor.role}" may reveal ${cap} receivers a day (used ${used}); ask an owner`);
  }
}

type OrderRow = Pick<StoredOrder, 'id' | 'shopId' | 'platformOrderId' | 'receiverCipher'>;

export async function revealReceiver(ctx: CoreContext, deps: RevealDeps, input: ApiParsedInput<'orders.revealReceiver'>): Promise<RevealedReceiver> {
  const client = ctx.db.$client;
  const order = client
    .prepare<[string], OrderRow>('SELECT id, shop_id AS shopId, platform_order_id AS platformOrderId, receiver_cipher AS receiverCipher FROM orders WHERE id = ?')
    .get(input.id);
  if (!order) throw reasonError('order.not_found', { id: input.id }, `No order with id ${input.id}`);
  if (order.receiverCipher === null) {
    throw reasonError('order.receiver_in_clear', { id: input.id }, "This order's receiver is stored in clear: there is nothing to decrypt");
  }
  // Checked before the call so a capped person costs the platform nothing; checked again below in
  // the command's transaction, where two reveals racing each other are serialised.
  assertUnderCap(ctx, ctx.now());
  const shop = client.prepare<[string], ShopRecord>('SELECT id, name, platform, state, settings FROM shops WHERE id = ?').get(order.shopId);
  if (!shop) throw reasonError('shop.not_found', { shopId: order.shopId }, `The order's shop ${order.shopId} no longer exists`);

  const decrypted = await deps.adapterFor(shop).decryptReceivers([{ platformOrderId: order.platformOrderId, cipher: order.receiverCipher }]);
  const receiver = decrypted.get(order.platformOrderId);
  if (!receiver) {
    throw reasonError('order.receiver_not_decrypted', { platformOrderId: order.platformOrderId, retryable: false }, `The platform would not decrypt the receiver of order ${order.platformOrderId}`);
  }

  // The op's args and the audit name the order and the reason only; the plaintext lives in the
  // return value and nowhere else.
  runCommand(ctx, 'orders.revealReceiver', { id: order.id, reason: input.reason }, { tables: [] }, (scope) => {
    assertUnderCap(ctx, scope.at);
    scope.audit({ entity: 'order', entityId: order.id, field: 'receiver', before: null, after: 'revealed', reason: input.reason });
  });
  return { name: receiver.name, phone: receiver.phone, address: receiver.address };
}
