// The doudian ShopOrder (order.searchList → data.shop_order_list[], docs/platforms/douyin.md):
// fromDoudianOrder maps what the adapter receives onto the common model (amounts already in integer
// 分, status/after-sale mapping, PII). The loopback gateway builds its own payloads (server-order.ts).
// Fields the notes leave unnamed or [UNVERIFIED] are read leniently: the order is kept, the part is
// dropped with a warning (../lenient.ts); after-sale codes: docs/platforms/refund-status.md.
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type PlatformOrder } from '../../../shared/model.ts';
import { allocateFen } from '../../../shared/money.ts';
import { AdapterPayloadError } from '../contract.ts';
import { describeIssues, noWarn, parseLeniently, type Warn } from '../lenient.ts';
import { AFTER_SALE_RANK, DOUDIAN_STATUS, lineAfterSale } from './status.ts';

// Doudian sends amounts in 分 as JSON integers (docs/platforms/douyin.md#order-pull-list-versus-detail,
// docs/platforms/common.md#amounts): no decimal parsing, but they must be whole, non-negative and safe — a
// float or a yuan string is a broken payload, not something to round.
const fen = z.number({ error: 'must be an integer amount in 分' }).int('must be an integer amount in 分').nonnegative().safe();
const seconds = z.number().int().nonnegative();
const id = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const region = z.object({ name: z.string(), id: z.string().optional() });
const optText = z.string().nullable().optional();

const addrSchema = z.object({
  province: region.optional(),
  city: region.optional(),
  town: region.optional(), // 区/县
  street: region.nullable().optional(), // 街道/乡镇
  detail: z.string().optional(),
  encrypt_detail: z.string().optional(),
});

const skuSchema = z.object({
  order_id: z.string().min(1),
  parent_order_id: z.string().min(1).optional(),
  product_id: id,
  /**
   * Not named in the notes (docs/platforms/douyin.md#order-pull-list-versus-detail lists "…"): a missing name
   * gets a stand-in title and a warning.
   */
  product_name: z.string().min(1).optional(),
  sku_id: id.nullable().optional(),
  out_sku_id: optText,
  code: optText,
  spec: z.array(z.object({ name: z.string(), value: z.string() })).nullable().optional(),
  product_pic: optText,
  item_num: z.number().int().positive(),
  origin_amount: fen,
  /** Not named in the notes: without it the lines share the order's paid goods amount. */
  pay_amount: fen.optional(),
  /** 赠品 marker: "FORCE"/"FREE" when the line is a gift [UNVERIFIED field name]. */
  given_product_type: optText,
  /**
   * Named in docs/platforms/douyin.md#order-pull-list-versus-detail, its fields are not: read by
   * lineAfterSale (status.ts), leniently.
   */
  after_sale_info: z.unknown().optional(),
});

export const doudianOrderSchema = z.object({
  order_id: z.string().min(1),
  shop_id: id.optional(),
  order_status: z.number().int(),
  order_status_desc: z.string().optional(),
  create_time: seconds,
  update_time: seconds,
  pay_time: seconds.optional(), // 0 until paid
  finish_time: seconds.optional(),
  buyer_words: optText,
  seller_words: optText,
  seller_remark_stars: z.number().int().min(0).max(5).optional(),
  doudian_open_id: z.string().optional(),
  /** 订单金额: goods + post, before promotion. */
  order_amount: fen,
  pay_amount: fen,
  post_amount: fen,
  /**
   * docs/platforms/douyin.md#order-pull-list-versus-detail says only "discounts": without a readable one the
   * discount is order_amount − pay_amount.
   */
  promotion_amount: fen.optional(),
  encrypt_post_receiver: z.string().optional(),
  encrypt_post_tel: z.string().optional(),
  mask_post_receiver: z.string().optional(),
  mask_post_tel: z.string().optional(),
  post_addr: addrSchema.optional(),
  mask_post_addr: addrSchema.optional(),
  /** 定金预售 phases; the notes name the list but not its items' fields: read leniently below. */
  order_phase_list: z.unknown().optional(),
  sku_order_list: z.array(skuSchema).min(1, 'an order needs at least one sku order'),
});
export type DoudianOrder = z.infer<typeof doudianOrderSchema>;

/**
 * Optional parts dropped with a warning when they do not read as guessed. Not here, so quarantined:
 * the order id, status, times, amounts and the lines' id, product, quantity and price.
 */
const SOFT = [
  'shop_id',
  'order_status_desc',
  'pay_time',
  'finish_time',
  'buyer_words',
  'seller_words',
  'seller_remark_stars',
  'doudian_open_id',
  'promotion_amount',
  'encrypt_post_receiver',
  'encrypt_post_tel',
  'mask_post_receiver',
  'mask_post_tel',
  'post_addr.province',
  'post_addr.city',
  'post_addr.town',
  'post_addr.street',
  'post_addr.detail',
  'post_addr.encrypt_detail',
  'post_addr',
  'mask_post_addr.province',
  'mask_post_addr.city',
  'mask_post_addr.town',
  'mask_post_addr.street',
  'mask_post_addr.detail',
  'mask_post_addr.encrypt_detail',
  'mask_post_addr',
  'sku_order_list.*.parent_order_id',
  'sku_order_list.*.product_name',
  'sku_order_list.*.sku_id',
  'sku_order_list.*.out_sku_id',
  'sku_order_list.*.code',
  'sku_order_list.*.spec',
  'sku_order_list.*.product_pic',
  'sku_order_list.*.pay_amount',
  'sku_order_list.*.given_product_type',
] as const;

/**
 * One presale phase: current_phase 1 = 定金, 2 = 尾款, phase_sum_amount its amount in 分. The notes
 * name none of these; they are the doudian SDKs' names (zsmhub/doudian-sdk order_searchList
 * response), and `phase` is read too, as this adapter first guessed. Anything else is skipped.
 */
const phaseSchema = z
  .object({ current_phase: z.number().int().optional(), phase: z.number().int().optional(), phase_sum_amount: fen })
  .transform((p) => ({ phase: p.current_phase ?? p.phase, amount: p.phase_sum_amount }))
  .refine((p) => p.phase !== undefined, 'no phase number');

/** Doudian stars (0 灰, 1 紫, 2 青, 3 绿, 4 橙, 5 红) ↔ common flags (0 none, 1 red, 2 yellow, 3 green, 4 blue, 5 purple), by nearest colour. */
export const STAR_TO_FLAG = [0, 5, 4, 3, 2, 1] as const;
export const FLAG_TO_STAR = [0, 5, 4, 3, 2, 1] as const;

const SEC = 1000;
const blankToNull = (s: string | null | undefined): string | null => (s ? s : null);

function idOf(payload: unknown): string | null {
  const v = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).order_id : undefined;
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** order_phase_list → deposit/balance; items whose fields are not the guessed ones are skipped with a warning. */
function presaleOf(list: unknown, payFen: number, warn: Warn): { presale: boolean; deposit: number | null; balance: number | null } {
  if (list === undefined || list === null) return { presale: false, deposit: null, balance: null };
  if (!Array.isArray(list)) {
    warn('order_phase_list is not a list; presale phases unknown, kept raw');
    return { presale: false, deposit: null, balance: null };
  }
  const phases: z.infer<typeof phaseSchema>[] = [];
  for (const [i, item] of list.entries()) {
    const p = phaseSchema.safeParse(item);
    if (p.success) phases.push(p.data);
    else warn(`order_phase_list[${i}] has no recognisable fields, kept raw`);
  }
  const deposit = phases.find((p) => p.phase === 1)?.amount ?? null;
  const balance = phases.find((p) => p.phase === 2)?.amount ?? null;
  if (deposit !== null && deposit > payFen) {
    warn(`order_phase_list: deposit ${deposit} exceeds pay_amount ${payFen}; presale amounts left out, kept raw`);
    return { presale: list.length > 0, deposit: null, balance: null };
  }
  return { presale: list.length > 0, deposit, balance: deposit === null ? null : (balance ?? payFen - deposit) };
}

/**
 * Doudian ShopOrder → common order. Throws AdapterPayloadError only for what an order cannot exist
 * without; unreadable optional parts are dropped and said through `warn` (see lenient.ts).
 */
export function fromDoudianOrder(payload: unknown, warn: Warn = noWarn): PlatformOrder {
  const o = parseLeniently(doudianOrderSchema, payload, SOFT, warn, idOf(payload));
  const oid = o.order_id;
  const status = DOUDIAN_STATUS[o.order_status];
  if (!status) throw new AdapterPayloadError(`unknown order_status ${o.order_status}`, oid);
  let afterSale: AfterSaleState = 'none';
  for (const [i, sku] of o.sku_order_list.entries()) {
    const s = lineAfterSale(sku.after_sale_info, `sku_order_list[${i}].after_sale_info`, warn);
    if (AFTER_SALE_RANK.indexOf(s) > AFTER_SALE_RANK.indexOf(afterSale)) afterSale = s;
  }
  if (o.post_amount > o.order_amount) throw new AdapterPayloadError(`post_amount ${o.post_amount} exceeds order_amount ${o.order_amount}`, oid);
  const goodsFen = o.order_amount - o.post_amount;
  let discountFen = o.promotion_amount;
  if (discountFen === undefined || discountFen > goodsFen) {
    // goods + post − discount = paid, so the discount is what the buyer did not pay of the order amount.
    const derived = Math.min(goodsFen, Math.max(0, o.order_amount - o.pay_amount));
    warn(
      discountFen === undefined
        ? `promotion_amount missing; discount taken as order_amount − pay_amount = ${derived}`
        : `promotion_amount ${discountFen} exceeds the goods amount ${goodsFen}; discount taken as order_amount − pay_amount = ${derived}, kept raw`,
    );
    discountFen = derived;
  }
  const presale = presaleOf(o.order_phase_list, o.pay_amount, warn);
  const addr = o.post_addr ?? {};
  const masked = o.mask_post_addr ?? {};
  if (!o.post_addr) warn('post_addr missing; receiver region left blank');
  // PII: keep the ciphertext for order.batchDecrypt / native waybills, show only the masked copies
  // (docs/platforms/douyin.md#order-pull-list-versus-detail,
  // docs/platforms/common.md#receiver-data-pii-and-native-waybills).
  const cipher =
    o.encrypt_post_receiver || o.encrypt_post_tel || addr.encrypt_detail
      ? JSON.stringify({ name: o.encrypt_post_receiver ?? '', phone: o.encrypt_post_tel ?? '', address: addr.encrypt_detail ?? '' })
      : null;
  const missingLinePaid = o.sku_order_list.some((sku) => sku.pay_amount === undefined);
  const split = missingLinePaid
    ? allocateFen(
        goodsFen - discountFen,
        o.sku_order_list.map((sku) => sku.origin_amount * sku.item_num),
      )
    : null;
  if (split) warn('sku_order_list pay_amount missing; line amounts split from the order total');
  const order: PlatformOrder = {
    platformOrderId: oid,
    status,
    platformStatus: String(o.order_status),
    afterSale,
    orderType: presale.presale ? 'presale' : 'normal',
    presaleDepositFen: presale.deposit,
    presaleBalanceFen: presale.balance,
    buyerNick: '', // doudian exposes only the encrypted doudian_open_id, never a nick
    buyerMessage: blankToNull(o.buyer_words),
    sellerMemo: blankToNull(o.seller_words),
    sellerFlag: STAR_TO_FLAG[o.seller_remark_stars ?? 0] ?? 0,
    receiver: {
      name: o.mask_post_receiver ?? '',
      phone: o.mask_post_tel ?? '',
      province: addr.province?.name ?? '',
      city: addr.city?.name ?? '',
      district: addr.town?.name ?? '', // doudian's `town` is the 区/县 level
      town: blankToNull(addr.street?.name),
      address: masked.detail ?? '',
      cipher,
    },
    goodsFen,
    shippingFen: o.post_amount,
    discountFen,
    paidFen: o.pay_amount,
    createdAt: o.create_time * SEC,
    paidAt: o.pay_time ? o.pay_time * SEC : null,
    platformUpdatedAt: o.update_time * SEC,
    items: o.sku_order_list.map((sku, i) => {
      const skuId = sku.sku_id === undefined || sku.sku_id === null || sku.sku_id === '' ? null : String(sku.sku_id);
      const spec = (sku.spec ?? []).map((s) => s.value).join(' ');
      if (!sku.product_name) warn(`sku_order_list[${i}].product_name missing; titled by product id`);
      return {
        platformItemId: sku.order_id, // the sub-order id: stable per line, what shipping and after-sale refer to
        platformSkuId: skuId,
        outerSkuCode: blankToNull(sku.code) ?? blankToNull(sku.out_sku_id),
        title: sku.product_name ?? `抖店商品 ${String(sku.product_id)}`,
        skuName: blankToNull(spec),
        quantity: sku.item_num,
        unitPriceFen: sku.origin_amount,
        paidFen: split ? (split[i] as number) : (sku.pay_amount as number),
        // given_product_type: MASTER 主品 / FREE 免费赠品 (official SDK ShopOrder); only FREE is a gift.
        isGift: sku.given_product_type === 'FREE',
        isBundle: false,
        imageUrl: blankToNull(sku.product_pic),
      };
    }),
  };
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describeIssues(checked.error.issues), oid);
  return checked.data;
}
