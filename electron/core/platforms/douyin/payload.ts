// The doudian ShopOrder (order.searchList → data.shop_order_list[], platforms.md §4.4), both ways:
// toDoudianOrder builds what the loopback server sends, fromDoudianOrder maps what the adapter
// receives onto the common model (amounts already in integer 分, status/after-sale mapping, PII).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { platformOrderSchema, type AfterSaleState, type OrderStatus, type PlatformOrder } from '../../../shared/model.ts';
import { AdapterPayloadError } from '../contract.ts';

// Doudian sends amounts in 分 as JSON integers (§4.4, §7.2): no decimal parsing, but they must be
// whole, non-negative and safe — a float or a yuan string is a broken payload, not something to round.
const fen = z.number({ error: 'must be an integer amount in 分' }).int('must be an integer amount in 分').nonnegative().safe();
const seconds = z.number().int().nonnegative();
const id = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const region = z.object({ name: z.string(), id: z.string().optional() });

const addrSchema = z.object({
  province: region,
  city: region,
  town: region, // 区/县
  street: region.nullable().optional(), // 街道/乡镇
  detail: z.string().optional(),
  encrypt_detail: z.string().optional(),
});

const skuSchema = z.object({
  order_id: z.string().min(1),
  parent_order_id: z.string().min(1),
  product_id: id,
  product_name: z.string().min(1),
  sku_id: id.nullable().optional(),
  out_sku_id: z.string().nullable().optional(),
  code: z.string().nullable().optional(),
  spec: z.array(z.object({ name: z.string(), value: z.string() })).nullable().optional(),
  product_pic: z.string().nullable().optional(),
  item_num: z.number().int().positive(),
  origin_amount: fen,
  pay_amount: fen,
  /** 赠品 marker: "FORCE"/"FREE" when the line is a gift [UNVERIFIED field name]. */
  given_product_type: z.string().nullable().optional(),
  after_sale_info: z.object({ after_sale_status: z.number().int(), refund_status: z.number().int() }),
});

const phaseSchema = z.object({ phase: z.number().int(), phase_sum_amount: fen, pay_success: z.boolean() });

export const doudianOrderSchema = z.object({
  order_id: z.string().min(1),
  shop_id: id.optional(),
  order_status: z.number().int(),
  order_status_desc: z.string().optional(),
  create_time: seconds,
  update_time: seconds,
  pay_time: seconds, // 0 until paid
  finish_time: seconds.optional(),
  buyer_words: z.string().nullable().optional(),
  seller_words: z.string().nullable().optional(),
  seller_remark_stars: z.number().int().min(0).max(5),
  doudian_open_id: z.string().optional(),
  /** 订单金额: goods + post, before promotion. */
  order_amount: fen,
  pay_amount: fen,
  post_amount: fen,
  promotion_amount: fen,
  encrypt_post_receiver: z.string(),
  encrypt_post_tel: z.string(),
  mask_post_receiver: z.string(),
  mask_post_tel: z.string(),
  post_addr: addrSchema,
  mask_post_addr: addrSchema,
  order_phase_list: z.array(phaseSchema).nullable().optional(),
  sku_order_list: z.array(skuSchema).min(1, 'an order needs at least one sku order'),
});
export type DoudianOrder = z.infer<typeof doudianOrderSchema>;

/** order_status (§4.4) → common status; 101 部分发货 still has goods to ship, as Taobao's SELLER_CONSIGNED_PART. */
const STATUS: Record<number, OrderStatus> = { 1: 'unpaid', 105: 'awaiting_shipment', 2: 'awaiting_shipment', 101: 'awaiting_shipment', 3: 'shipped', 4: 'closed', 5: 'completed' };
const STATUS_OUT: Record<OrderStatus, { code: number; desc: string }> = {
  unpaid: { code: 1, desc: '待支付' },
  awaiting_shipment: { code: 2, desc: '备货中' },
  shipped: { code: 3, desc: '已发货' },
  completed: { code: 5, desc: '已完成' },
  closed: { code: 4, desc: '已取消' },
};

/**
 * sku after_sale_info.after_sale_status → after-sale state [UNVERIFIED values: platforms.md only names
 * after_sale_info]: 0 无售后, 6 售后申请, 7/11/14 处理中 (退货中/待商家收货/换货), 12 售后成功,
 * 27 拒绝售后, 28 售后关闭 (back to none).
 */
const AFTER_SALE: Record<number, AfterSaleState> = { 0: 'none', 6: 'requested', 7: 'in_progress', 11: 'in_progress', 14: 'in_progress', 12: 'refunded', 27: 'rejected', 28: 'none' };
const AFTER_SALE_OUT: Record<AfterSaleState, { after_sale_status: number; refund_status: number }> = {
  none: { after_sale_status: 0, refund_status: 0 },
  requested: { after_sale_status: 6, refund_status: 1 },
  in_progress: { after_sale_status: 7, refund_status: 1 },
  refunded: { after_sale_status: 12, refund_status: 3 },
  rejected: { after_sale_status: 27, refund_status: 4 },
  unknown: { after_sale_status: 99, refund_status: 0 },
};
/** An order's after-sale state is its most advanced sku's: one refunded line makes the order refunded. */
const AFTER_SALE_RANK: AfterSaleState[] = ['none', 'rejected', 'requested', 'in_progress', 'refunded'];

/** Doudian stars (0 灰, 1 紫, 2 青, 3 绿, 4 橙, 5 红) ↔ common flags (0 none, 1 red, 2 yellow, 3 green, 4 blue, 5 purple), by nearest colour. */
export const STAR_TO_FLAG = [0, 5, 4, 3, 2, 1] as const;
export const FLAG_TO_STAR = [0, 5, 4, 3, 2, 1] as const;

const SEC = 1000;
const blankToNull = (s: string | null | undefined): string | null => (s ? s : null);

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

function idOf(payload: unknown): string | null {
  const v = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).order_id : undefined;
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** Doudian ShopOrder → common order. Throws AdapterPayloadError with a readable reason. */
export function fromDoudianOrder(payload: unknown): PlatformOrder {
  const parsed = doudianOrderSchema.safeParse(payload);
  if (!parsed.success) throw new AdapterPayloadError(describe(parsed.error), idOf(payload));
  const o = parsed.data;
  const oid = o.order_id;
  const status = STATUS[o.order_status];
  if (!status) throw new AdapterPayloadError(`unknown order_status ${o.order_status}`, oid);
  let afterSale: AfterSaleState = 'none';
  for (const [i, sku] of o.sku_order_list.entries()) {
    const s = AFTER_SALE[sku.after_sale_info.after_sale_status];
    if (!s) throw new AdapterPayloadError(`sku_order_list.${i}.after_sale_info: unknown after_sale_status ${sku.after_sale_info.after_sale_status}`, oid);
    if (AFTER_SALE_RANK.indexOf(s) > AFTER_SALE_RANK.indexOf(afterSale)) afterSale = s;
  }
  if (o.post_amount > o.order_amount) throw new AdapterPayloadError(`post_amount ${o.post_amount} exceeds order_amount ${o.order_amount}`, oid);
  const goodsFen = o.order_amount - o.post_amount;
  if (o.promotion_amount > goodsFen) throw new AdapterPayloadError(`promotion_amount ${o.promotion_amount} exceeds the goods amount ${goodsFen}`, oid);
  const phases = o.order_phase_list ?? [];
  const deposit = phases.find((p) => p.phase === 1);
  const balance = phases.find((p) => p.phase === 2);
  if (deposit && deposit.phase_sum_amount > o.pay_amount) throw new AdapterPayloadError(`order_phase_list: deposit exceeds pay_amount ${o.pay_amount}`, oid);
  const addr = o.post_addr;
  const masked = o.mask_post_addr;
  // PII: keep the ciphertext for order.batchDecrypt / native waybills, show only the masked copies (§4.4, §7.3).
  const cipher =
    o.encrypt_post_receiver || o.encrypt_post_tel || addr.encrypt_detail
      ? JSON.stringify({ name: o.encrypt_post_receiver, phone: o.encrypt_post_tel, address: addr.encrypt_detail ?? '' })
      : null;
  const order: PlatformOrder = {
    platformOrderId: oid,
    status,
    platformStatus: String(o.order_status),
    afterSale,
    orderType: deposit ? 'presale' : 'normal',
    presaleDepositFen: deposit ? deposit.phase_sum_amount : null,
    presaleBalanceFen: deposit ? (balance ? balance.phase_sum_amount : o.pay_amount - deposit.phase_sum_amount) : null,
    buyerNick: '', // doudian exposes only the encrypted doudian_open_id, never a nick
    buyerMessage: blankToNull(o.buyer_words),
    sellerMemo: blankToNull(o.seller_words),
    sellerFlag: STAR_TO_FLAG[o.seller_remark_stars] ?? 0,
    receiver: {
      name: o.mask_post_receiver,
      phone: o.mask_post_tel,
      province: addr.province.name,
      city: addr.city.name,
      district: addr.town.name, // doudian's `town` is the 区/县 level
      town: blankToNull(addr.street?.name),
      address: masked.detail ?? '',
      cipher,
    },
    goodsFen,
    shippingFen: o.post_amount,
    discountFen: o.promotion_amount,
    paidFen: o.pay_amount,
    createdAt: o.create_time * SEC,
    paidAt: o.pay_time > 0 ? o.pay_time * SEC : null,
    platformUpdatedAt: o.update_time * SEC,
    items: o.sku_order_list.map((sku) => {
      const skuId = sku.sku_id === undefined || sku.sku_id === null || sku.sku_id === '' ? null : String(sku.sku_id);
      const spec = (sku.spec ?? []).map((s) => s.value).join(' ');
      return {
        platformItemId: sku.order_id, // the sub-order id: stable per line, what shipping and after-sale refer to
        platformSkuId: skuId,
        outerSkuCode: blankToNull(sku.code) ?? blankToNull(sku.out_sku_id),
        title: sku.product_name,
        skuName: blankToNull(spec),
        quantity: sku.item_num,
        unitPriceFen: sku.origin_amount,
        paidFen: sku.pay_amount,
        isGift: !!sku.given_product_type,
        isBundle: false,
        imageUrl: blankToNull(sku.product_pic),
      };
    }),
  };
  const checked = platformOrderSchema.safeParse(order);
  if (!checked.success) throw new AdapterPayloadError(describe(checked.error), oid);
  return checked.data;
}

// ---------------------------------------------------------------------------------------------
// Server side: common order → the payload doudian would send.

function maskName(name: string): string {
  return name ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : '';
}
function maskPhone(phone: string): string {
  return /^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}
function maskDetail(detail: string): string {
  const chars = [...detail];
  return chars.length <= 4 ? '****' : `${chars.slice(0, 4).join('')}****`;
}
/** A stand-in ciphertext in doudian's "#…#…#…##" shape; only the platform (the loopback server) could decrypt it. */
export function encrypt(plain: string, secret: string): string {
  const h = createHash('sha256').update(`${secret}|${plain}`).digest('base64');
  return `#${h.slice(0, 8)}#${h.slice(8)}#*CgYIASAHKAE=##`;
}
const sec = (ms: number): number => Math.floor(ms / SEC);

/** Common order → doudian ShopOrder. Line paid amounts come from the order (doudian sends them per sku). */
export function toDoudianOrder(o: PlatformOrder, secret: string): DoudianOrder {
  const st = STATUS_OUT[o.status];
  const after = AFTER_SALE_OUT[o.afterSale];
  const r = o.receiver;
  const region = (name: string) => ({ name, id: createHash('md5').update(name).digest('hex').slice(0, 6) });
  const addr = { province: region(r.province), city: region(r.city), town: region(r.district), street: r.town ? region(r.town) : null };
  const phases =
    o.orderType === 'presale' && o.presaleDepositFen !== null
      ? [
          { phase: 1, phase_sum_amount: o.presaleDepositFen, pay_success: true },
          { phase: 2, phase_sum_amount: o.presaleBalanceFen ?? Math.max(0, o.paidFen - o.presaleDepositFen), pay_success: o.presaleBalanceFen !== null },
        ]
      : [];
  return {
    order_id: o.platformOrderId,
    shop_id: 4463798,
    order_status: st.code,
    order_status_desc: st.desc,
    create_time: sec(o.createdAt),
    update_time: sec(o.platformUpdatedAt),
    pay_time: o.paidAt === null ? 0 : sec(o.paidAt),
    buyer_words: o.buyerMessage ?? '',
    seller_words: o.sellerMemo ?? '',
    seller_remark_stars: FLAG_TO_STAR[o.sellerFlag as 0 | 1 | 2 | 3 | 4 | 5] ?? 0,
    doudian_open_id: `#${createHash('md5').update(`${secret}|${o.buyerNick}`).digest('base64')}##`,
    order_amount: o.goodsFen + o.shippingFen,
    pay_amount: o.paidFen,
    post_amount: o.shippingFen,
    promotion_amount: o.discountFen,
    encrypt_post_receiver: encrypt(r.name, secret),
    encrypt_post_tel: encrypt(r.phone, secret),
    mask_post_receiver: maskName(r.name),
    mask_post_tel: maskPhone(r.phone),
    post_addr: { ...addr, detail: '', encrypt_detail: encrypt(r.address, secret) },
    mask_post_addr: { ...addr, detail: maskDetail(r.address) },
    order_phase_list: phases,
    sku_order_list: o.items.map((it, i) => ({
      order_id: `${o.platformOrderId}${String(i + 1).padStart(2, '0')}`,
      parent_order_id: o.platformOrderId,
      product_id: it.platformItemId,
      product_name: it.title,
      sku_id: it.platformSkuId,
      out_sku_id: it.outerSkuCode ?? '',
      code: it.outerSkuCode ?? '',
      spec: it.skuName ? [{ name: '规格', value: it.skuName }] : [],
      product_pic: it.imageUrl ?? '',
      item_num: it.quantity,
      origin_amount: it.unitPriceFen,
      pay_amount: it.paidFen,
      given_product_type: it.isGift ? 'FORCE' : '',
      after_sale_info: after,
    })),
  };
}
