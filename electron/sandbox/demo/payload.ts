// The sandbox platform's wire format, both ways. Payloads are shaped like a TOP trade (yuan strings,
// "yyyy-MM-dd HH:mm:ss" in GMT+8, a platform status string, refund_status per trade) so the mapping
// path — parse, convert money and time, map statuses, validate — is exercised as for a real platform.
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type OrderStatus, type PlatformOrder } from '../../shared/model.ts';
import { AdapterPayloadError } from '../../core/platforms/contract.ts';
import { fenToYuan, yuanToFen } from '../../shared/money.ts';
import { formatGmt8, parseGmt8 } from '../../core/platforms/gmt8.ts';

const yuan = z.string().regex(/^\d+\.\d{2}$/, 'amount must be a yuan string like "12.30"');
const gmt8Time = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'time must be "yyyy-MM-dd HH:mm:ss"');

const lineSchema = z.object({
  oid: z.string().min(1),
  sku_id: z.string().nullable(),
  outer_sku_id: z.string().nullable(),
  title: z.string().min(1),
  sku_properties_name: z.string().nullable(),
  num: z.number().int().positive(),
  price: yuan,
  divide_order_fee: yuan,
  is_gift: z.boolean(),
  is_combo: z.boolean(),
  pic_path: z.string().nullable(),
});

export const sandboxTradeSchema = z.object({
  tid: z.string().min(1),
  status: z.string().min(1),
  type: z.enum(['fixed', 'step']),
  created: gmt8Time,
  modified: gmt8Time,
  pay_time: gmt8Time.nullable(),
  buyer_nick: z.string(),
  buyer_message: z.string().nullable(),
  seller_memo: z.string().nullable(),
  seller_flag: z.number().int().min(0).max(5),
  receiver_name: z.string(),
  receiver_mobile: z.string(),
  receiver_state: z.string(),
  receiver_city: z.string(),
  receiver_district: z.string(),
  receiver_town: z.string().nullable(),
  receiver_address: z.string(),
  oaid: z.string().nullable(),
  total_fee: yuan,
  post_fee: yuan,
  discount_fee: yuan,
  payment: yuan,
  step_trade_status: z.string().nullable(),
  step_paid_fee: yuan.nullable(),
  refund_status: z.string(),
  orders: z.object({ order: z.array(lineSchema).min(1, 'a trade needs at least one line') }),
});
export type SandboxTrade = z.infer<typeof sandboxTradeSchema>;
export type SandboxLine = z.infer<typeof lineSchema>;

const AFTER_SALE_TO_REFUND: Record<AfterSaleState, string> = {
  none: 'NO_REFUND',
  requested: 'WAIT_SELLER_AGREE',
  in_progress: 'WAIT_BUYER_RETURN_GOODS',
  refunded: 'SUCCESS',
  rejected: 'SELLER_REFUSE_BUYER',
  // The generator never draws it; a status TOP's table does not list, for completeness.
  unknown: 'WAIT_SELLER_CONSIGN_GOODS',
};

/**
 * Trade statuses back to the common model. The sandbox platform's names are TOP's (the generator
 * writes them), but its tables are its own: a change to how the Taobao adapter reads TOP must not
 * change what the sandbox platform means.
 */
const STATUS_IN: Record<string, OrderStatus> = {
  TRADE_NO_CREATE_PAY: 'unpaid',
  WAIT_BUYER_PAY: 'unpaid',
  PAY_PENDING: 'unpaid',
  WAIT_PRE_AUTH_CONFIRM: 'unpaid',
  WAIT_SELLER_SEND_GOODS: 'awaiting_shipment',
  PAID_FORBID_CONSIGN: 'awaiting_shipment',
  SELLER_CONSIGNED_PART: 'awaiting_shipment',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_BUYER_SIGNED: 'completed',
  TRADE_FINISHED: 'completed',
  TRADE_CLOSED: 'closed',
  TRADE_CLOSED_BY_TAOBAO: 'closed',
};
/** refund_status back to the after-sale state: the table above read backwards, and CLOSED (withdrawn) as none. */
const REFUND_IN: Record<string, AfterSaleState> = {
  ...Object.fromEntries(Object.entries(AFTER_SALE_TO_REFUND).map(([state, code]) => [code, state as AfterSaleState])),
  CLOSED: 'none',
};

/** Presale (阶段付款) status as TOP reports it, from what the common model knows. */
function stepStatus(o: PlatformOrder): string | null {
  if (o.orderType !== 'presale') return null;
  if (o.paidAt !== null) return 'FRONT_PAID_FINAL_PAID';
  return o.status === 'closed' ? 'FRONT_PAID_FRONT_FORFEITED' : 'FRONT_PAID_FINAL_NOPAID';
}

/** Common order → the sandbox's trade payload (what the simulated platform sends). */
export function toSandboxTrade(o: PlatformOrder): SandboxTrade {
  const r = o.receiver;
  return {
    tid: o.platformOrderId,
    status: o.platformStatus,
    type: o.orderType === 'presale' ? 'step' : 'fixed',
    created: formatGmt8(o.createdAt),
    modified: formatGmt8(o.platformUpdatedAt),
    pay_time: o.paidAt === null ? null : formatGmt8(o.paidAt),
    buyer_nick: o.buyerNick,
    buyer_message: o.buyerMessage,
    seller_memo: o.sellerMemo,
    seller_flag: o.sellerFlag,
    receiver_name: r.name,
    receiver_mobile: r.phone,
    receiver_state: r.province,
    receiver_city: r.city,
    receiver_district: r.district,
    receiver_town: r.town,
    receiver_address: r.address,
    oaid: r.cipher,
    total_fee: fenToYuan(o.goodsFen),
    post_fee: fenToYuan(o.shippingFen),
    discount_fee: fenToYuan(o.discountFen),
    payment: fenToYuan(o.paidFen),
    step_trade_status: stepStatus(o),
    step_paid_fee: o.presaleDepositFen === null ? null : fenToYuan(o.presaleDepositFen),
    refund_status: AFTER_SALE_TO_REFUND[o.afterSale],
    orders: {
      order: o.items.map((i) => ({
        oid: i.platformItemId,
        sku_id: i.platformSkuId,
        outer_sku_id: i.outerSkuCode,
        title: i.title,
        sku_properties_name: i.skuName,
        num: i.quantity,
        price: fenToYuan(i.unitPriceFen),
        divide_order_fee: fenToYuan(i.paidFen),
        is_gift: i.isGift,
        is_combo: i.isBundle,
        pic_path: i.imageUrl,
      })),
    },
  };
}

/** The trade id, if the payload has a readable one (so a quarantined payload still names its order). */
function tidOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const tid = (payload as { tid?: unknown }).tid;
  return typeof tid === 'string' && tid.length > 0 ? tid : null;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

/** Sandbox trade payload → common order. Throws AdapterPayloadError with a readable reason. */
export function fromSandboxTrade(payload: unknown): PlatformOrder {
  const parsed = sandboxTradeSchema.safeParse(payload);
  if (!parsed.success) throw new AdapterPayloadError(describe(parsed.error), tidOf(payload));
  const t = parsed.data;
  const status = STATUS_IN[t.status];
  if (!status) throw new AdapterPayloadError(`unknown trade status "${t.status}"`, t.tid);
  const afterSale = REFUND_IN[t.refund_status];
  if (!afterSale) throw new AdapterPayloadError(`unknown refund_status "${t.refund_status}"`, t.tid);
  const paidFen = yuanToFen(t.payment);
  const goodsFen = yuanToFen(t.total_fee);
  const shippingFen = yuanToFen(t.post_fee);
  const discountFen = yuanToFen(t.discount_fee);
  if (goodsFen + shippingFen - discountFen !== paidFen) {
    throw new AdapterPayloadError(`payment ${t.payment} ≠ total_fee ${t.total_fee} + post_fee ${t.post_fee} − discount_fee ${t.discount_fee}`, t.tid);
  }
  const deposit = t.type === 'step' && t.step_paid_fee !== null ? yuanToFen(t.step_paid_fee) : null;
  const order: PlatformOrder = {
    platformOrderId: t.tid,
    status,
    platformStatus: t.status,
    afterSale,
    orderType: t.type === 'step' ? 'presale' : 'normal',
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : paidFen - deposit,
    buyerNick: t.buyer_nick,
    buyerMessage: t.buyer_message,
    sellerMemo: t.seller_memo,
    sellerFlag: t.seller_flag,
    receiver: {
      name: t.receiver_name,
      phone: t.receiver_mobile,
      province: t.receiver_state,
      city: t.receiver_city,
      district: t.receiver_district,
      town: t.receiver_town,
      address: t.receiver_address,
      cipher: t.oaid,
    },
    goodsFen,
    shippingFen,
    discountFen,
    paidFen,
    createdAt: parseGmt8(t.created),
    paidAt: t.pay_time === null ? null : parseGmt8(t.pay_time),
    platformUpdatedAt: parseGmt8(t.modified),
    items: t.orders.order.map((l) => ({
      platformItemId: l.oid,
      platformSkuId: l.sku_id,
      outerSkuCode: l.outer_sku_id,
      title: l.title,
      skuName: l.sku_properties_name,
      quantity: l.num,
      unitPriceFen: yuanToFen(l.price),
      paidFen: yuanToFen(l.divide_order_fee),
      isGift: l.is_gift,
      isBundle: l.is_combo,
      imageUrl: l.pic_path,
    })),
  };
  // The common model's own rules (non-negative fen, epoch times...) are the last gate.
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describe(checked.error), t.tid);
  return checked.data;
}
