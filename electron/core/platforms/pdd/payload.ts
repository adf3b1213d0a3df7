// The PDD order object (pdd.order.number.list.increment.get → order_sn_list[], docs/platforms/pdd.md):
// fromPddOrder maps what the adapter receives onto the common model (exact yuan → fen, status/refund
// mapping, masked + cipher PII). The loopback gateway builds its own payloads (server-order.ts).
import { z } from 'zod';
import { platformOrderSchema, type PlatformOrder } from '../../../shared/model.ts';
import { allocateFen, yuanToFen } from '../../../shared/money.ts';
import { AdapterPayloadError } from '../contract.ts';
import { describeIssues, noWarn, parseLeniently, type Warn } from '../lenient.ts';
import { pddAfterSaleOf, pddStatusOf } from './status.ts';
import { parseGmt8 } from '../gmt8.ts';

// PDD sends amounts in 元 as JSON numbers (59.9) and ids as numbers; accept the string forms too.
const amount = z.union([z.number(), z.string()]);
const id = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const time = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'time must be "yyyy-MM-dd HH:mm:ss"');
const optTime = z.union([time, z.literal(''), z.null()]).optional();
const optText = z.string().nullable().optional();

const itemSchema = z.object({
  goods_id: id,
  sku_id: id.nullable().optional(),
  outer_id: optText,
  goods_name: z.string().min(1),
  goods_spec: optText,
  goods_count: z.number().int().positive(),
  goods_price: amount,
  /** Not named in the notes. */
  goods_img: optText,
});

export const pddOrderSchema = z.object({
  order_sn: z.string().min(1),
  order_status: z.number().int(),
  confirm_status: z.number().int(),
  /** Read by pddAfterSaleOf: an unreadable one makes the after-sale state unknown, not the order broken. */
  refund_status: z.unknown().optional(),
  trade_type: z.number().int().optional(),
  step_order_info: z.object({ step_trade_status: z.number().int(), step_paid_fee: amount }).nullable().optional(),
  created_time: time,
  confirm_time: optTime,
  pay_time: optTime,
  updated_at: time,
  goods_amount: amount,
  discount_amount: amount,
  seller_discount: amount.optional(),
  platform_discount: amount.optional(),
  postage: amount,
  pay_amount: amount,
  buyer_memo: optText,
  remark: optText,
  remark_tag: z.number().int().min(0).max(5).nullable().optional(),
  // Ciphertext only while 待发货 and not risk-flagged, otherwise ""
  // (docs/platforms/pdd.md#order-pull-list-versus-detail).
  receiver_name: optText,
  receiver_phone: optText,
  receiver_address: optText,
  receiver_name_mask: optText,
  receiver_phone_mask: optText,
  receiver_address_mask: optText,
  province: optText,
  city: optText,
  town: optText,
  item_list: z.array(itemSchema).min(1, 'an order needs at least one item'),
});
export type PddOrder = z.infer<typeof pddOrderSchema>;

/**
 * Optional parts dropped with a warning when they do not read as expected. Not here, so quarantined:
 * order_sn, the statuses, times, the four amounts, and the lines' goods, name, count and price.
 */
const SOFT = [
  'trade_type',
  'step_order_info',
  'confirm_time',
  'pay_time',
  'seller_discount',
  'platform_discount',
  'buyer_memo',
  'remark',
  'remark_tag',
  'receiver_name',
  'receiver_phone',
  'receiver_address',
  'receiver_name_mask',
  'receiver_phone_mask',
  'receiver_address_mask',
  'province',
  'city',
  'town',
  'item_list.*.sku_id',
  'item_list.*.outer_id',
  'item_list.*.goods_spec',
  'item_list.*.goods_img',
] as const;


/** One PDD amount (元, number or string) → fen, exactly; numbers go through their shortest decimal text. */
function fen(value: number | string, field: string, sn: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  try {
    const f = yuanToFen(text);
    if (f < 0) throw new Error('negative');
    return f;
  } catch {
    throw new AdapterPayloadError(`${field}: "${text}" is not a yuan amount with at most two decimals`, sn);
  }
}

/** An optional amount: unreadable is left out with a warning rather than refusing the order. */
function softFen(value: number | string, field: string, warn: Warn): number | null {
  try {
    const f = yuanToFen(typeof value === 'number' ? String(value) : value);
    if (f >= 0) return f;
  } catch {
    // fall through to the warning
  }
  warn(`${field}: "${String(value)}" is not a yuan amount; left out, kept raw`);
  return null;
}

const optionalTime = (t: string | null | undefined): number | null => (t ? parseGmt8(t) : null);
const blankToNull = (s: string | null | undefined): string | null => (s ? s : null);

function snOf(payload: unknown): string | null {
  const sn = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).order_sn : undefined;
  return typeof sn === 'string' && sn.length > 0 ? sn : null;
}

/** PDD order payload → common order. Throws AdapterPayloadError with a readable reason. */
export function fromPddOrder(payload: unknown, warn: Warn = noWarn): PlatformOrder {
  const o = parseLeniently(pddOrderSchema, payload, SOFT, warn, snOf(payload));
  const sn = o.order_sn;
  const status = pddStatusOf(o.order_status, o.confirm_status);
  if (!status) throw new AdapterPayloadError(`unknown order_status ${o.order_status} / confirm_status ${o.confirm_status}`, sn);
  const afterSale = pddAfterSaleOf(o.refund_status, warn);
  const goodsFen = fen(o.goods_amount, 'goods_amount', sn);
  const discountFen = fen(o.discount_amount, 'discount_amount', sn);
  const shippingFen = fen(o.postage, 'postage', sn);
  const paidFen = fen(o.pay_amount, 'pay_amount', sn);
  if (discountFen > goodsFen) throw new AdapterPayloadError(`discount_amount ${o.discount_amount} exceeds goods_amount ${o.goods_amount}`, sn);
  const presale = o.trade_type === 1;
  let deposit = presale && o.step_order_info ? softFen(o.step_order_info.step_paid_fee, 'step_order_info.step_paid_fee', warn) : null;
  if (deposit !== null && deposit > paidFen) {
    warn(`step_order_info.step_paid_fee exceeds pay_amount ${o.pay_amount}; presale amounts left out, kept raw`);
    deposit = null;
  }
  const prices = o.item_list.map((it, i) => fen(it.goods_price, `item_list.${i}.goods_price`, sn));
  // PDD gives no per-line paid amount, only order-level goods/discount totals: split by price × count.
  const linePaid = allocateFen(
    goodsFen - discountFen,
    prices.map((p, i) => p * (o.item_list[i] as { goods_count: number }).goods_count),
  );
  // PII: ciphertext only while 待发货 (else ""); keep it for the platform's decrypt/waybill APIs and
  // show the masked copies (docs/platforms/pdd.md#order-pull-list-versus-detail,
  // docs/platforms/common.md#receiver-data-pii-and-native-waybills).
  const cipher =
    o.receiver_name || o.receiver_phone || o.receiver_address
      ? JSON.stringify({ name: o.receiver_name ?? '', phone: o.receiver_phone ?? '', address: o.receiver_address ?? '' })
      : null;
  const order: PlatformOrder = {
    platformOrderId: sn,
    status,
    platformStatus: `order_status=${o.order_status},confirm_status=${o.confirm_status}`,
    afterSale,
    orderType: presale ? 'presale' : 'normal',
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : paidFen - deposit,
    buyerNick: '', // PDD does not expose the buyer's nick
    buyerMessage: blankToNull(o.buyer_memo),
    sellerMemo: blankToNull(o.remark),
    sellerFlag: o.remark_tag ?? 0,
    receiver: {
      name: o.receiver_name_mask ?? '',
      phone: o.receiver_phone_mask ?? '',
      province: o.province ?? '',
      city: o.city ?? '',
      district: o.town ?? '', // PDD's `town` is the 区/县 level
      town: null,
      address: o.receiver_address_mask ?? '',
      cipher,
    },
    goodsFen,
    shippingFen,
    discountFen,
    paidFen,
    createdAt: parseGmt8(o.created_time),
    paidAt: optionalTime(o.pay_time),
    platformUpdatedAt: parseGmt8(o.updated_at),
    items: o.item_list.map((it, i) => ({
      platformItemId: it.sku_id === undefined || it.sku_id === null || it.sku_id === '' ? String(it.goods_id) : `${it.goods_id}-${it.sku_id}`,
      platformSkuId: it.sku_id === undefined || it.sku_id === null || it.sku_id === '' ? null : String(it.sku_id),
      outerSkuCode: blankToNull(it.outer_id),
      title: it.goods_name,
      skuName: blankToNull(it.goods_spec),
      quantity: it.goods_count,
      unitPriceFen: prices[i] as number,
      paidFen: linePaid[i] as number,
      isGift: false,
      isBundle: false,
      imageUrl: blankToNull(it.goods_img),
    })),
  };
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describeIssues(checked.error.issues), sn);
  return checked.data;
}
