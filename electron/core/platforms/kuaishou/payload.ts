// The Kuaishou order object (open.order.cursor.list → data.orderList[], platforms.md §5.4), both
// ways: toKsOrder builds what the loopback server sends, fromKsOrder maps what the adapter receives
// onto the common model (integer fen, status/refund mapping, masked + encrypted receiver).
// The field names inside orderBaseInfo/orderItemInfo/orderAddress and the refund codes are
// [UNVERIFIED] (platforms.md: "largely [UNVERIFIED]"): keep every name in this one file.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type OrderStatus, type PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError } from '../contract.ts';

// Kuaishou sends amounts as integer 分 (fen) and times as epoch ms; ids are 64-bit, so accept digit
// strings too (a JSON number over 2^53 would already have lost digits).
const fenAmount = z.number().int().nonnegative().safe();
const ms = z.number().int().nonnegative().safe();
const id = z.union([z.number().int().nonnegative().safe(), z.string().regex(/^\d+$/, 'id must be digits')]);

const baseSchema = z.object({
  oid: id,
  status: z.number().int(),
  createTime: ms,
  payTime: ms.nullable().optional(),
  updateTime: ms,
  totalFee: fenAmount,
  expressFee: fenAmount,
  discountFee: fenAmount,
  buyerNick: z.string().nullable().optional(),
  remark: z.string().nullable().optional(),
  sellerNote: z.string().nullable().optional(),
  flagTagCode: z.number().int().min(0).max(5).nullable().optional(),
  preSale: z.number().int().min(0).max(1).optional(),
  depositFee: fenAmount.nullable().optional(),
});

const itemSchema = z.object({
  itemId: id,
  skuId: id.nullable().optional(),
  skuNick: z.string().nullable().optional(),
  itemTitle: z.string().min(1),
  skuDesc: z.string().nullable().optional(),
  num: z.number().int().positive(),
  price: fenAmount,
  itemPicUrl: z.string().nullable().optional(),
});

const addressSchema = z.object({
  consignee: z.string(),
  mobile: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  town: z.string().nullable().optional(),
  address: z.string(),
  encryptedConsignee: z.string().optional(),
  encryptedMobile: z.string().optional(),
  encryptedAddress: z.string().optional(),
});

const refundSchema = z.object({ refundId: id, refundStatus: z.number().int(), refundFee: fenAmount });

export const ksOrderSchema = z.object({
  orderBaseInfo: baseSchema,
  // Kuaishou orders are one-SKU (一单一品): one orderItemInfo object per order.
  orderItemInfo: itemSchema,
  orderAddress: addressSchema,
  orderRefundList: z.array(refundSchema).optional(),
});
export type KsOrder = z.infer<typeof ksOrderSchema>;

/** orderBaseInfo.status → common status (platforms.md "Common status mapping", Kuaishou column). */
const STATUS: Record<number, OrderStatus> = {
  10: 'unpaid', // 待付款
  30: 'awaiting_shipment', // 已付款
  40: 'shipped', // 已发货
  50: 'completed', // 已签收
  70: 'completed', // 订单成功
  80: 'closed', // 订单失败
};
const STATUS_OUT: Record<OrderStatus, number> = { unpaid: 10, awaiting_shipment: 30, shipped: 40, completed: 70, closed: 80 };

/**
 * refundStatus → after-sale state [UNVERIFIED codes]: 10 买家申请 → requested, 20 商家同意/退货中 →
 * in_progress, 30 退款成功 → refunded, 40 商家拒绝 → rejected, 50 售后关闭 → none.
 */
const REFUND: Record<number, AfterSaleState> = { 10: 'requested', 20: 'in_progress', 30: 'refunded', 40: 'rejected', 50: 'none' };
const REFUND_OUT: Record<Exclude<AfterSaleState, 'none'>, number> = { requested: 10, in_progress: 20, refunded: 30, rejected: 40, unknown: 99 };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

function oidOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const base = (payload as Record<string, unknown>).orderBaseInfo;
  const oid = typeof base === 'object' && base !== null ? (base as Record<string, unknown>).oid : undefined;
  return (typeof oid === 'string' && oid !== '') || typeof oid === 'number' ? String(oid) : null;
}

const blankToNull = (s: string | null | undefined): string | null => (s ? s : null);

/** The latest refund decides the after-sale state (the list is in application order). */
function afterSaleOf(refunds: KsOrder['orderRefundList'], oid: string): AfterSaleState {
  const last = refunds && refunds.length > 0 ? refunds[refunds.length - 1] : undefined;
  if (!last) return 'none';
  const state = REFUND[last.refundStatus];
  if (!state) throw new AdapterPayloadError(`unknown refundStatus ${last.refundStatus}`, oid);
  return state;
}

/** Kuaishou order payload → common order. Throws AdapterPayloadError with a readable reason. */
export function fromKsOrder(payload: unknown): PlatformOrder {
  const parsed = ksOrderSchema.safeParse(payload);
  if (!parsed.success) throw new AdapterPayloadError(describe(parsed.error), oidOf(payload));
  const { orderBaseInfo: b, orderItemInfo: it, orderAddress: a, orderRefundList } = parsed.data;
  const oid = String(b.oid);
  const status = STATUS[b.status];
  if (!status) throw new AdapterPayloadError(`unknown orderBaseInfo.status ${b.status}`, oid);
  // totalFee is what the buyer pays: goods − discount + express, so goods is derived from it.
  const goodsFen = b.totalFee - b.expressFee + b.discountFee;
  if (goodsFen < b.discountFee) throw new AdapterPayloadError(`discountFee ${b.discountFee} exceeds the goods amount`, oid);
  const presale = b.preSale === 1;
  const deposit = presale ? (b.depositFee ?? null) : null;
  if (deposit !== null && deposit > b.totalFee) throw new AdapterPayloadError(`depositFee ${deposit} exceeds totalFee ${b.totalFee}`, oid);
  // PII: keep the platform ciphertext for open.order.decrypt.batch / waybills; show the masked copies.
  const cipher =
    a.encryptedConsignee || a.encryptedMobile || a.encryptedAddress
      ? JSON.stringify({ name: a.encryptedConsignee ?? '', phone: a.encryptedMobile ?? '', address: a.encryptedAddress ?? '' })
      : null;
  const skuId = it.skuId === undefined || it.skuId === null || it.skuId === '' ? null : String(it.skuId);
  const order: PlatformOrder = {
    platformOrderId: oid,
    status,
    platformStatus: String(b.status),
    afterSale: afterSaleOf(orderRefundList, oid),
    orderType: presale ? 'presale' : 'normal',
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : b.totalFee - deposit,
    buyerNick: b.buyerNick ?? '',
    buyerMessage: blankToNull(b.remark),
    sellerMemo: blankToNull(b.sellerNote),
    sellerFlag: b.flagTagCode ?? 0,
    receiver: {
      name: a.consignee,
      phone: a.mobile,
      province: a.province,
      city: a.city,
      district: a.district,
      town: blankToNull(a.town),
      address: a.address,
      cipher,
    },
    goodsFen,
    shippingFen: b.expressFee,
    discountFen: b.discountFee,
    paidFen: b.totalFee,
    createdAt: b.createTime,
    paidAt: b.payTime ? b.payTime : null,
    platformUpdatedAt: b.updateTime,
    items: [
      {
        platformItemId: String(it.itemId), // the product (商品) id; the SKU travels separately
        platformSkuId: skuId,
        outerSkuCode: blankToNull(it.skuNick),
        title: it.itemTitle,
        skuName: blankToNull(it.skuDesc),
        quantity: it.num,
        unitPriceFen: it.price,
        paidFen: goodsFen - b.discountFee,
        isGift: false,
        isBundle: false,
        imageUrl: blankToNull(it.itemPicUrl),
      },
    ],
  };
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describe(checked.error), oid);
  return checked.data;
}

// ---------------------------------------------------------------------------------------------
// Server side: common order → the payload Kuaishou would send.

function maskName(name: string): string {
  return name ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : '';
}
function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}
function maskAddress(address: string): string {
  const chars = [...address];
  return chars.length <= 6 ? '****' : `${chars.slice(0, 6).join('')}****`;
}
/** A stand-in ciphertext; only the platform (the loopback server) could decrypt it (open.order.decrypt.batch). */
export function encrypt(plain: string, secret: string): string {
  return createHash('sha256').update(`${secret}|${plain}`).digest('base64');
}
/** Numeric ids go out as numbers when they fit exactly, otherwise as digit strings or as given. */
const idOut = (s: string): number | string => (/^\d{1,15}$/.test(s) ? Number(s) : s);

/** Common order → Kuaishou order payload. Kuaishou orders carry exactly one SKU line. */
export function toKsOrder(o: PlatformOrder, secret: string): KsOrder {
  if (o.items.length !== 1) throw new Error(`toKsOrder: ${o.platformOrderId} has ${o.items.length} lines; Kuaishou orders are one SKU each`);
  const it = o.items[0]!;
  const r = o.receiver;
  return {
    orderBaseInfo: {
      oid: idOut(o.platformOrderId),
      status: STATUS_OUT[o.status],
      createTime: o.createdAt,
      payTime: o.paidAt ?? 0,
      updateTime: o.platformUpdatedAt,
      totalFee: o.paidFen,
      expressFee: o.shippingFen,
      discountFee: o.discountFen,
      buyerNick: o.buyerNick,
      remark: o.buyerMessage ?? '',
      sellerNote: o.sellerMemo ?? '',
      flagTagCode: o.sellerFlag,
      preSale: o.orderType === 'presale' ? 1 : 0,
      depositFee: o.presaleDepositFen,
    },
    orderItemInfo: {
      itemId: idOut(it.platformItemId),
      skuId: it.platformSkuId === null ? null : idOut(it.platformSkuId),
      skuNick: it.outerSkuCode ?? '',
      itemTitle: it.title,
      skuDesc: it.skuName ?? '',
      num: it.quantity,
      price: it.unitPriceFen,
      itemPicUrl: it.imageUrl ?? '',
    },
    orderAddress: {
      consignee: maskName(r.name),
      mobile: maskPhone(r.phone),
      province: r.province,
      city: r.city,
      district: r.district,
      town: r.town ?? '',
      address: maskAddress(r.address),
      encryptedConsignee: encrypt(r.name, secret),
      encryptedMobile: encrypt(r.phone, secret),
      // The ciphertext of the `address` field beside it: the street line, as province/city/district
      // travel in clear (whether Kuaishou encrypts the detail or the full address is [UNVERIFIED]).
      encryptedAddress: encrypt(r.address, secret),
    },
    orderRefundList:
      o.afterSale === 'none'
        ? []
        : [{ refundId: idOut(`9${o.platformOrderId.replace(/\D/g, '').slice(-12)}`), refundStatus: REFUND_OUT[o.afterSale], refundFee: o.paidFen }],
  };
}

/**
 * A generated (multi-line) order reshaped the way Kuaishou sells: one SKU per order, amounts
 * recomputed so goods + shipping − discount = paid still holds. Used to stock the loopback gateway.
 */
export function asSingleSkuOrder(o: PlatformOrder): PlatformOrder {
  const first = o.items[0]!;
  const goodsFen = first.unitPriceFen * first.quantity;
  const discountFen = Math.min(o.discountFen, goodsFen);
  const paidFen = goodsFen + o.shippingFen - discountFen;
  const deposit = o.presaleDepositFen === null ? null : Math.min(o.presaleDepositFen, paidFen);
  return {
    ...o,
    items: [{ ...first, paidFen: goodsFen - discountFen }],
    goodsFen,
    discountFen,
    paidFen,
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : paidFen - deposit,
  };
}
