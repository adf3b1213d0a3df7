// The Kuaishou order object (open.order.cursor.list → data.orderList[], docs/platforms/kuaishou.md):
// fromKsOrder maps what the adapter receives onto the common model (integer fen, status/refund
// mapping, masked + encrypted receiver). The loopback gateway builds its own payloads (server-order.ts).
// The field names inside orderBaseInfo/orderItemInfo/orderAddress and the refund codes are
// [UNVERIFIED] (docs/platforms/kuaishou.md: largely unverified): keep every name in this one file, and read
// all but the order's id, status, amounts and line leniently (../lenient.ts). Refund codes:
// docs/platforms/refund-status.md.
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError } from '../contract.ts';
import { describeIssues, noWarn, parseLeniently, type Warn } from '../lenient.ts';
import { KS_REFUND, KS_STATUS } from './status.ts';

// Kuaishou sends amounts as integer 分 (fen) and times as epoch ms; ids are 64-bit, so accept digit
// strings too (a JSON number over 2^53 would already have lost digits).
const fenAmount = z.number().int().nonnegative().safe();
const ms = z.number().int().nonnegative().safe();
const id = z.union([z.number().int().nonnegative().safe(), z.string().regex(/^\d+$/, 'id must be digits')]);
const optText = z.string().nullable().optional();

const baseSchema = z.object({
  oid: id,
  status: z.number().int(),
  createTime: ms,
  payTime: ms.nullable().optional(),
  updateTime: ms,
  totalFee: fenAmount,
  expressFee: fenAmount,
  discountFee: fenAmount,
  buyerNick: optText,
  remark: optText,
  sellerNote: optText,
  flagTagCode: z.number().int().min(0).max(5).nullable().optional(),
  preSale: z.number().int().min(0).max(1).optional(),
  depositFee: fenAmount.nullable().optional(),
});

const itemSchema = z.object({
  itemId: id,
  skuId: id.nullable().optional(),
  skuNick: optText,
  itemTitle: z.string().min(1).optional(),
  skuDesc: optText,
  num: z.number().int().positive(),
  price: fenAmount,
  itemPicUrl: optText,
});

const addressSchema = z.object({
  consignee: z.string().optional(),
  mobile: z.string().optional(),
  province: z.string().optional(),
  city: z.string().optional(),
  district: z.string().optional(),
  town: optText,
  address: z.string().optional(),
  encryptedConsignee: z.string().optional(),
  encryptedMobile: z.string().optional(),
  encryptedAddress: z.string().optional(),
});

export const ksOrderSchema = z.object({
  orderBaseInfo: baseSchema,
  // Kuaishou orders are one-SKU (一单一品): one orderItemInfo object per order.
  orderItemInfo: itemSchema,
  orderAddress: addressSchema.optional(),
  /**
   * Named in docs/platforms/kuaishou.md#order-pull-list-versus-detail, its items' fields are not: read
   * leniently by afterSaleOf.
   */
  orderRefundList: z.unknown().optional(),
});
export type KsOrder = z.infer<typeof ksOrderSchema>;

/**
 * Optional parts dropped with a warning when they do not read as guessed (nearly every Kuaishou
 * name is [UNVERIFIED]). Not here, so quarantined: oid, status, times, the three amounts, and the
 * line's item id, quantity and price.
 */
const SOFT = [
  'orderBaseInfo.payTime',
  'orderBaseInfo.buyerNick',
  'orderBaseInfo.remark',
  'orderBaseInfo.sellerNote',
  'orderBaseInfo.flagTagCode',
  'orderBaseInfo.preSale',
  'orderBaseInfo.depositFee',
  'orderItemInfo.skuId',
  'orderItemInfo.skuNick',
  'orderItemInfo.itemTitle',
  'orderItemInfo.skuDesc',
  'orderItemInfo.itemPicUrl',
  'orderAddress.consignee',
  'orderAddress.mobile',
  'orderAddress.province',
  'orderAddress.city',
  'orderAddress.district',
  'orderAddress.town',
  'orderAddress.address',
  'orderAddress.encryptedConsignee',
  'orderAddress.encryptedMobile',
  'orderAddress.encryptedAddress',
  'orderAddress',
] as const;


function oidOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const base = (payload as Record<string, unknown>).orderBaseInfo;
  const oid = typeof base === 'object' && base !== null ? (base as Record<string, unknown>).oid : undefined;
  return (typeof oid === 'string' && oid !== '') || typeof oid === 'number' ? String(oid) : null;
}

const blankToNull = (s: string | null | undefined): string | null => (s ? s : null);

/**
 * The latest refund decides the after-sale state (the list is in application order). A refund
 * whose status cannot be read, or whose code docs/platforms/refund-status.md#kuaishou does not list, is
 * 'unknown': a refund exists, its stage is not known, and a person should look before the parcel goes out.
 */
function afterSaleOf(refunds: unknown, warn: Warn): AfterSaleState {
  if (refunds === undefined || refunds === null) return 'none';
  if (!Array.isArray(refunds)) {
    warn('orderRefundList is not a list; after-sale state unknown, kept raw');
    return 'unknown';
  }
  if (refunds.length === 0) return 'none';
  const at = `orderRefundList[${refunds.length - 1}]`;
  const last: unknown = refunds[refunds.length - 1];
  // The item's field names are not in the notes: refundStatus as first guessed, or `status` as the
  // refund list API (open.seller.order.refund.pcursor.list, docs/platforms/refund-status.md#kuaishou) names
  // the same code.
  const rec = typeof last === 'object' && last !== null ? (last as Record<string, unknown>) : {};
  const code = rec.refundStatus ?? rec.status;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    warn(`${at} has no recognisable refundStatus; after-sale state unknown, kept raw`);
    return 'unknown';
  }
  const state = KS_REFUND[code];
  if (state === undefined) {
    warn(`${at}.refundStatus ${code} is not in the documented table; after-sale state unknown, kept raw`);
    return 'unknown';
  }
  return state;
}

/**
 * Kuaishou order payload → common order. Throws AdapterPayloadError only for what an order cannot
 * exist without; unreadable optional parts are dropped and said through `warn` (see lenient.ts).
 */
export function fromKsOrder(payload: unknown, warn: Warn = noWarn): PlatformOrder {
  const { orderBaseInfo: b, orderItemInfo: it, orderAddress, orderRefundList } = parseLeniently(ksOrderSchema, payload, SOFT, warn, oidOf(payload));
  const oid = String(b.oid);
  const status = KS_STATUS[b.status];
  if (!status) throw new AdapterPayloadError(`unknown orderBaseInfo.status ${b.status}`, oid);
  // totalFee is what the buyer pays: goods − discount + express, so goods is derived from it.
  const goodsFen = b.totalFee - b.expressFee + b.discountFee;
  if (goodsFen < b.discountFee) throw new AdapterPayloadError(`discountFee ${b.discountFee} exceeds the goods amount`, oid);
  const presale = b.preSale === 1;
  let deposit = presale ? (b.depositFee ?? null) : null;
  if (deposit !== null && deposit > b.totalFee) {
    warn(`orderBaseInfo.depositFee ${deposit} exceeds totalFee ${b.totalFee}; presale amounts left out, kept raw`);
    deposit = null;
  }
  const a = orderAddress ?? {};
  if (!orderAddress) warn('orderAddress missing; receiver left blank');
  // PII: keep the platform ciphertext for open.order.decrypt.batch / waybills; show the masked copies.
  const cipher =
    a.encryptedConsignee || a.encryptedMobile || a.encryptedAddress
      ? JSON.stringify({ name: a.encryptedConsignee ?? '', phone: a.encryptedMobile ?? '', address: a.encryptedAddress ?? '' })
      : null;
  const skuId = it.skuId === undefined || it.skuId === null || it.skuId === '' ? null : String(it.skuId);
  if (!it.itemTitle) warn('orderItemInfo.itemTitle missing; titled by item id');
  const order: PlatformOrder = {
    platformOrderId: oid,
    status,
    platformStatus: String(b.status),
    afterSale: afterSaleOf(orderRefundList, warn),
    orderType: presale ? 'presale' : 'normal',
    presaleDepositFen: deposit,
    presaleBalanceFen: deposit === null ? null : b.totalFee - deposit,
    buyerNick: b.buyerNick ?? '',
    buyerMessage: blankToNull(b.remark),
    sellerMemo: blankToNull(b.sellerNote),
    sellerFlag: b.flagTagCode ?? 0,
    receiver: {
      name: a.consignee ?? '',
      phone: a.mobile ?? '',
      province: a.province ?? '',
      city: a.city ?? '',
      district: a.district ?? '',
      town: blankToNull(a.town),
      address: a.address ?? '',
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
        title: it.itemTitle ?? `快手商品 ${String(it.itemId)}`,
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
  if (!checked.success) throw new AdapterPayloadError(describeIssues(checked.error.issues), oid);
  return checked.data;
}
