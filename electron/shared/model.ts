// The common order model: what every platform adapter produces and every screen reads.
// Pure types and zod schemas only — imported by the core, the preload and the renderer.
import { z } from 'zod';

export const PLATFORMS = ['taobao', 'tmall', 'pdd', 'jd', 'douyin', 'kuaishou', 'sandbox'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Platform statuses map onto this one set (docs/platforms/common.md#common-status-mapping). */
export const ORDER_STATUSES = ['unpaid', 'awaiting_shipment', 'shipped', 'completed', 'closed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Refund / after-sale state, separate from the order status. 'unknown': the platform reports an
 * after-sale status its documented table does not list (docs/platforms/refund-status.md). The order
 * is kept and treated as an open after-sale until a person looks: money may be moving back.
 */
export const AFTER_SALE_STATES = ['none', 'requested', 'in_progress', 'refunded', 'rejected', 'unknown'] as const;
export type AfterSaleState = (typeof AFTER_SALE_STATES)[number];

/** After-sale states that must stop an order being printed or shipped until someone decides. */
export const isOpenAfterSale = (state: string): boolean =>
  state === 'requested' || state === 'in_progress' || state === 'unknown';

/** The local fulfilment stage at this team's stations — never sent by a platform. */
export const FULFILMENT_STAGES = ['pending_review', 'awaiting_print', 'printed', 'shipped'] as const;
export type FulfilmentStage = (typeof FULFILMENT_STAGES)[number];

export const ORDER_TYPES = ['normal', 'presale'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Seller flag colours as platforms number them: 0 none, 1 red, 2 yellow, 3 green, 4 blue, 5 purple. */
export const SELLER_FLAGS = [0, 1, 2, 3, 4, 5] as const;
export type SellerFlag = (typeof SELLER_FLAGS)[number];

/**
 * The work queue an order sits in — the status tabs of the workbench. Derived in SQL (a stored
 * generated column, see db/schema.ts) from status, after-sale state, stage and hold, so it can
 * never disagree with them. Order matters: the first rule that matches wins.
 */
export const QUEUES = [
  'unpaid',
  'after_sale',
  'held',
  'pending_review',
  'awaiting_print',
  'printed',
  'shipped',
  'completed',
  'closed',
] as const;
export type Queue = (typeof QUEUES)[number];

/** Abnormal reasons (异常订单), stored as a bitmask on the order so they can be counted and filtered. */
export const ABNORMAL_REASONS = [
  'incomplete_address',
  'invalid_phone',
  'unmatched_sku',
  'buyer_message',
  'refund_requested',
] as const;
export type AbnormalReason = (typeof ABNORMAL_REASONS)[number];
export const abnormalBit = (r: AbnormalReason): number => 1 << ABNORMAL_REASONS.indexOf(r);
export const abnormalReasonsOf = (mask: number): AbnormalReason[] =>
  ABNORMAL_REASONS.filter((r) => (mask & abnormalBit(r)) !== 0);

const fen = z.number().int().safe();
const epochMs = z.number().int().nonnegative();

/** One order line as an adapter produces it. */
export const platformOrderItemSchema = z.object({
  platformItemId: z.string().min(1),
  /**
   * The platform's product id, where a line carries it beside its own id (Taobao's num_iid; the line
   * id stays the sub-order, which shipping names). Read by the SKU match at ingest — a line sold
   * without a SKU finds its product's 商品对应 by it — and not stored.
   */
  platformProductId: z.string().min(1).nullable().optional(),
  platformSkuId: z.string().nullable(),
  outerSkuCode: z.string().nullable(),
  title: z.string().min(1),
  skuName: z.string().nullable(),
  quantity: z.number().int().positive(),
  unitPriceFen: fen.nonnegative(),
  paidFen: fen.nonnegative(),
  isGift: z.boolean(),
  /** A bundle (组合装) line: one sold unit that stands for several SKUs. */
  isBundle: z.boolean(),
  imageUrl: z.string().nullable(),
});
export type PlatformOrderItem = z.infer<typeof platformOrderItemSchema>;

export const receiverSchema = z.object({
  name: z.string(),
  /** As the platform sends it: usually masked (138****1234). */
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  town: z.string().nullable(),
  address: z.string(),
  /** Platform ciphertext / OAID bundle, kept for later decryption by the platform's API. */
  cipher: z.string().nullable(),
});
export type Receiver = z.infer<typeof receiverSchema>;

/** One order as an adapter produces it: the common model, before local fields are added. */
export const platformOrderSchema = z.object({
  platformOrderId: z.string().min(1),
  status: z.enum(ORDER_STATUSES),
  platformStatus: z.string(),
  afterSale: z.enum(AFTER_SALE_STATES),
  orderType: z.enum(ORDER_TYPES),
  presaleDepositFen: fen.nonnegative().nullable(),
  presaleBalanceFen: fen.nonnegative().nullable(),
  buyerNick: z.string(),
  buyerMessage: z.string().nullable(),
  sellerMemo: z.string().nullable(),
  sellerFlag: z.number().int().min(0).max(5),
  receiver: receiverSchema,
  goodsFen: fen.nonnegative(),
  shippingFen: fen.nonnegative(),
  discountFen: fen.nonnegative(),
  paidFen: fen.nonnegative(),
  createdAt: epochMs,
  paidAt: epochMs.nullable(),
  /** The platform's own modified time: drives incremental sync and last-writer-wins on arrival. */
  platformUpdatedAt: epochMs,
  items: z.array(platformOrderItemSchema).min(1),
});
export type PlatformOrder = z.infer<typeof platformOrderSchema>;

export const ROLES = ['owner', 'operator', 'service', 'packer', 'finance'] as const;
export type Role = (typeof ROLES)[number];
