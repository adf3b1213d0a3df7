// The JD order object (jingdong.pop.order.enSearch → orderInfoList[], docs/platforms/jd.md):
// fromJdOrder maps what the adapter receives onto the common model (exact 元-string → fen, orderState
// mapping, masked + TDE-cipher consignee PII). The loopback gateway builds its own (server-order.ts).
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type OrderStatus, type PlatformOrder } from '../../../shared/model.ts';
import { allocateFen, yuanToFen } from '../../../shared/money.ts';
import { AdapterPayloadError } from '../contract.ts';
import { describeIssues, noWarn, parseLeniently, type Warn } from '../lenient.ts';
import { parseGmt8 } from '../gmt8.ts';

/**
 * Every orderState the POP order APIs return (docs/platforms/jd.md#order-pull-list-versus-detail "orderState
 * enum").
 */
export const JD_ORDER_STATES = [
  'WAIT_SELLER_STOCK_OUT',
  'WAIT_SELLER_DELIVERY',
  'WAIT_SEND_CODE',
  'WAIT_GOODS_RECEIVE_CONFIRM',
  'FINISHED_L',
  'TRADE_CANCELED',
  'LOCKED',
  'PAUSE',
  'POP_ORDER_PAUSE',
] as const;
export type JdOrderState = (typeof JD_ORDER_STATES)[number];

/**
 * The orderInfo fields the adapter asks for in `optional_fields` (required by enSearch): everything
 * the common model needs, so the detail API (enGet) is not needed for sync.
 */
export const JD_OPTIONAL_FIELDS = [
  'orderId',
  'venderId',
  'orderType',
  'payType',
  'orderTotalPrice',
  'orderSellerPrice',
  'orderPayment',
  'freightPrice',
  'sellerDiscount',
  'orderState',
  'orderStateRemark',
  'orderStartTime',
  'paymentConfirmTime',
  'modified',
  'orderRemark',
  'venderRemark',
  'pin',
  'consigneeInfo',
  'itemInfoList',
] as const;

// JD sends amounts as 元 strings ("59.90") and ids/quantities as strings
// (docs/platforms/jd.md#order-pull-list-versus-detail "amounts (strings, 元)").
const yuan = z.string();
const time = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'time must be "yyyy-MM-dd HH:mm:ss"');
const optTime = z.union([time, z.literal(''), z.null()]).optional();
const optText = z.string().nullable().optional();

const consigneeSchema = z.object({
  fullname: optText,
  mobile: optText,
  telephone: optText,
  fullAddress: optText,
  province: optText,
  city: optText,
  county: optText,
  town: optText,
  encrypt_fullname: optText,
  encrypt_mobile: optText,
  encrypt_telephone: optText,
  encrypt_fullAddress: optText,
});

const itemSchema = z.object({
  skuId: z.string().min(1),
  outerSkuId: optText, // "极端情况下不保证返回"
  skuName: z.string().min(1),
  jdPrice: yuan,
  itemTotal: z.string().regex(/^[1-9]\d*$/, 'itemTotal must be a positive integer'),
  wareId: optText,
});

export const jdOrderSchema = z.object({
  orderId: z.string().min(1),
  venderId: optText,
  orderType: optText,
  payType: optText,
  orderTotalPrice: yuan,
  orderSellerPrice: yuan.optional(),
  orderPayment: yuan,
  freightPrice: yuan,
  sellerDiscount: yuan,
  orderState: z.string(),
  orderStateRemark: optText,
  orderStartTime: time,
  paymentConfirmTime: optTime,
  modified: time,
  orderRemark: optText,
  venderRemark: optText,
  pin: optText,
  consigneeInfo: consigneeSchema.optional(),
  itemInfoList: z.array(itemSchema).min(1, 'an order needs at least one item'),
});
export type JdOrder = z.infer<typeof jdOrderSchema>;

/**
 * Optional parts dropped with a warning when they do not read as expected (../lenient.ts). Not
 * here, so quarantined: orderId, orderState, the times, the four amounts, and the lines' SKU, name,
 * price and quantity.
 */
const SOFT = [
  'venderId',
  'orderType',
  'payType',
  'orderSellerPrice',
  'orderStateRemark',
  'paymentConfirmTime',
  'orderRemark',
  'venderRemark',
  'pin',
  'consigneeInfo.fullname',
  'consigneeInfo.mobile',
  'consigneeInfo.telephone',
  'consigneeInfo.fullAddress',
  'consigneeInfo.province',
  'consigneeInfo.city',
  'consigneeInfo.county',
  'consigneeInfo.town',
  'consigneeInfo.encrypt_fullname',
  'consigneeInfo.encrypt_mobile',
  'consigneeInfo.encrypt_telephone',
  'consigneeInfo.encrypt_fullAddress',
  'consigneeInfo',
  'itemInfoList.*.outerSkuId',
  'itemInfoList.*.wareId',
] as const;

/**
 * orderState → common status + after-sale (docs/platforms/common.md#common-status-mapping). The list API
 * carries no refund field (after-sales are separate APIs, not pulled yet); LOCKED is how JD holds an
 * order while the buyer's cancel/refund request is open, so it reads as a requested after-sale.
 * PAUSE / POP_ORDER_PAUSE are platform holds before shipping: still awaiting shipment, and the raw
 * state stays visible in platformStatus.
 */
const STATE_IN: Record<JdOrderState, { status: OrderStatus; afterSale: AfterSaleState }> = {
  WAIT_SELLER_STOCK_OUT: { status: 'awaiting_shipment', afterSale: 'none' },
  WAIT_SELLER_DELIVERY: { status: 'awaiting_shipment', afterSale: 'none' },
  WAIT_SEND_CODE: { status: 'awaiting_shipment', afterSale: 'none' },
  LOCKED: { status: 'awaiting_shipment', afterSale: 'requested' },
  PAUSE: { status: 'awaiting_shipment', afterSale: 'none' },
  POP_ORDER_PAUSE: { status: 'awaiting_shipment', afterSale: 'none' },
  WAIT_GOODS_RECEIVE_CONFIRM: { status: 'shipped', afterSale: 'none' },
  FINISHED_L: { status: 'completed', afterSale: 'none' },
  TRADE_CANCELED: { status: 'closed', afterSale: 'none' },
};

const isState = (s: string): s is JdOrderState => (JD_ORDER_STATES as readonly string[]).includes(s);

/** One JD 元 string → fen, exactly (no float); negative or >2 decimals is a broken payload. */
function fen(value: string, field: string, id: string): number {
  try {
    const f = yuanToFen(value);
    if (f < 0) throw new Error('negative');
    return f;
  } catch {
    throw new AdapterPayloadError(`${field}: "${value}" is not a yuan amount with at most two decimals`, id);
  }
}

const blankToNull = (s: string | null | undefined): string | null => (s ? s : null);

function idOf(payload: unknown): string | null {
  const id = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).orderId : undefined;
  return typeof id === 'string' && id.length > 0 ? id : typeof id === 'number' ? String(id) : null;
}

/** fullAddress is region + detail; the model keeps the region in its own fields. */
function detailOf(fullAddress: string, region: string): string {
  return region !== '' && fullAddress.startsWith(region) ? fullAddress.slice(region.length) : fullAddress;
}

/** JD orderInfo payload → common order. Throws AdapterPayloadError with a readable reason. */
export function fromJdOrder(payload: unknown, warn: Warn = noWarn): PlatformOrder {
  const o = parseLeniently(jdOrderSchema, payload, SOFT, warn, idOf(payload));
  const id = o.orderId;
  if (!isState(o.orderState)) throw new AdapterPayloadError(`unknown orderState "${o.orderState}"`, id);
  const { status, afterSale } = STATE_IN[o.orderState];
  const goodsFen = fen(o.orderTotalPrice, 'orderTotalPrice', id);
  const discountFen = fen(o.sellerDiscount, 'sellerDiscount', id);
  const shippingFen = fen(o.freightPrice, 'freightPrice', id);
  const paidFen = fen(o.orderPayment, 'orderPayment', id);
  if (discountFen > goodsFen) throw new AdapterPayloadError(`sellerDiscount ${o.sellerDiscount} exceeds orderTotalPrice ${o.orderTotalPrice}`, id);
  const prices = o.itemInfoList.map((it, i) => fen(it.jdPrice, `itemInfoList.${i}.jdPrice`, id));
  const qty = o.itemInfoList.map((it) => Number(it.itemTotal));
  // The list gives no per-line paid amount, only the order-level seller discount: split by price × qty.
  const linePaid = allocateFen(
    goodsFen - discountFen,
    prices.map((p, i) => p * (qty[i] as number)),
  );
  if (!o.consigneeInfo) warn('consigneeInfo missing; receiver left blank');
  const c = o.consigneeInfo ?? {};
  const town = blankToNull(c.town);
  // PII: keep the TDE ciphertext for the JOS secret SDK / waybill APIs; show the masked copies
  // (docs/platforms/jd.md#order-pull-list-versus-detail,
  // docs/platforms/common.md#receiver-data-pii-and-native-waybills).
  const enc = { fullname: c.encrypt_fullname, mobile: c.encrypt_mobile, telephone: c.encrypt_telephone, fullAddress: c.encrypt_fullAddress };
  const cipher = Object.values(enc).some((v) => v) ? JSON.stringify(enc) : null;
  // JD has no line id: the SKU id is the line key, suffixed when a SKU repeats (e.g. a gift line).
  const seen = new Map<string, number>();
  const order: PlatformOrder = {
    platformOrderId: id,
    status,
    platformStatus: o.orderState,
    afterSale,
    orderType: 'normal', // enSearch exposes no presale (预售) marker; orderType 22/75 is SOP/LOC
    presaleDepositFen: null,
    presaleBalanceFen: null,
    buyerNick: o.pin ?? '',
    buyerMessage: blankToNull(o.orderRemark),
    sellerMemo: blankToNull(o.venderRemark),
    sellerFlag: 0, // the flag colour is write-only here (modifyVenderRemark); the list does not return it
    receiver: {
      name: c.fullname ?? '',
      phone: c.mobile || c.telephone || '',
      province: c.province ?? '',
      city: c.city ?? '',
      district: c.county ?? '',
      town,
      address: detailOf(c.fullAddress ?? '', `${c.province ?? ''}${c.city ?? ''}${c.county ?? ''}${town ?? ''}`),
      cipher,
    },
    goodsFen,
    shippingFen,
    discountFen,
    paidFen,
    createdAt: parseGmt8(o.orderStartTime),
    paidAt: o.paymentConfirmTime ? parseGmt8(o.paymentConfirmTime) : null,
    platformUpdatedAt: parseGmt8(o.modified),
    items: o.itemInfoList.map((it, i) => {
      const n = (seen.get(it.skuId) ?? 0) + 1;
      seen.set(it.skuId, n);
      return {
        platformItemId: n === 1 ? it.skuId : `${it.skuId}#${n}`,
        platformSkuId: it.skuId,
        outerSkuCode: blankToNull(it.outerSkuId),
        title: it.skuName, // JD's skuName is the full title incl. the spec
        skuName: null,
        quantity: qty[i] as number,
        unitPriceFen: prices[i] as number,
        paidFen: linePaid[i] as number,
        isGift: false,
        isBundle: false,
        imageUrl: null,
      };
    }),
  };
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describeIssues(checked.error.issues), id);
  return checked.data;
}
