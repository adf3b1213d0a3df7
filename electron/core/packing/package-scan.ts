// Reads what the packing station shows for one package: the package and its order, the order's
// lines with the codes that match each (order line outer SKU code, every barcode of the local SKU
// and its outer code), the scan counts so far, and the intercept verdict (拦截). Read-only.
import { CARRIER_CODES } from '../../shared/carriers.ts';
import type { PackingIntercept, PackingLine, PackingPackage, PackingScan } from '../../shared/contract.ts';
import type { FulfilmentStage, OrderStatus, Platform } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import type { Narrowed, StoredOrder, StoredOrderItem, StoredPackage, StoredShop, StoredSku } from '../db/rows.ts';
import type { ScanSessions } from './sessions.ts';

/** How a scanned code is compared: trimmed and upper-cased, because a scanner behind Caps Lock flips letter case. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

/** The spellings of a code worth looking up in the (case-sensitive) indexes. */
export const codeVariants = (code: string): string[] => [...new Set([code.trim(), code.trim().toUpperCase(), code.trim().toLowerCase()])];

/** PACKAGE_SQL's row: the package, its order and shop (package columns renamed where an order's would clash). */
type PackageRow = Pick<StoredPackage, 'orderId' | 'seq' | 'carrierCode' | 'waybillNo' | 'printedAt' | 'verifiedAt' | 'verifiedBy'> &
  Narrowed<
    Pick<
      StoredOrder,
      | 'platformOrderId'
      | 'platform'
      | 'stage'
      | 'afterSale'
      | 'holdReason'
      | 'closeReason'
      | 'shippedAt'
      | 'buyerMessage'
      | 'sellerMemo'
      | 'receiverName'
      | 'receiverProvince'
      | 'receiverCity'
    >,
    { platform: Platform; stage: FulfilmentStage }
  > & {
    packageId: StoredPackage['id'];
    packageState: StoredPackage['state'];
    orderStatus: OrderStatus;
    shopName: StoredShop['name'];
    packageCount: number;
  };

const PACKAGE_SQL = `SELECT p.id AS packageId, p.order_id AS orderId, o.platform_order_id AS platformOrderId, s.name AS shopName,
  o.platform, p.seq, p.carrier_code AS carrierCode, p.waybill_no AS waybillNo, p.state AS packageState, p.printed_at AS printedAt,
  p.verified_at AS verifiedAt, p.verified_by AS verifiedBy, o.status AS orderStatus, o.stage, o.after_sale AS afterSale,
  o.hold_reason AS holdReason, o.close_reason AS closeReason, o.shipped_at AS shippedAt, o.buyer_message AS buyerMessage,
  o.seller_memo AS sellerMemo, o.receiver_name AS receiverName, o.receiver_province AS receiverProvince, o.receiver_city AS receiverCity,
  (SELECT count(*) FROM packages q WHERE q.order_id = p.order_id AND q.state <> 'cancelled') AS packageCount
  FROM packages p JOIN orders o ON o.id = p.order_id JOIN shops s ON s.id = o.shop_id WHERE p.id = ?`;

/** LINES_SQL's row: an order line and, through a LEFT JOIN, its SKU's codes and location (null when unmatched). */
type LineRow = Pick<StoredOrderItem, 'lineNo' | 'title' | 'skuName' | 'outerSkuCode' | 'imageUrl' | 'isGift' | 'isBundle' | 'quantity'> & {
  barcode: StoredSku['barcode'] | null;
  skuOuterCode: StoredSku['outerSkuCode'] | null;
  location: StoredSku['location'] | null;
  /** JSON array of the SKU's barcodes in sku_barcodes ('[]' when unmatched or none). */
  barcodes: string;
};

export const LINES_SQL = `SELECT i.line_no AS lineNo, i.title, i.sku_name AS skuName, i.outer_sku_code AS outerSkuCode, s.barcode,
  s.outer_sku_code AS skuOuterCode, s.location, i.image_url AS imageUrl, i.is_gift AS isGift, i.is_bundle AS isBundle, i.quantity,
  (SELECT json_group_array(b.barcode) FROM sku_barcodes b WHERE b.sku_id = s.id) AS barcodes
  FROM order_items i LEFT JOIN skus s ON s.id = i.sku_id WHERE i.order_id = ? ORDER BY i.line_no`;

/** A package as the station sees it, with the raw fields the verdicts need. */
export interface LoadedPackage {
  row: PackageRow;
  lines: (PackingLine & { codes: string[] })[];
}

export function loadPackage(db: Db, packageId: string): LoadedPackage | null {
  const row = db.$client.prepare<[string], PackageRow>(PACKAGE_SQL).get(packageId);
  if (!row) return null;
  const lines = db.$client
    .prepare<[string], LineRow>(LINES_SQL)
    .all(row.orderId)
    .map((l) => ({
      lineNo: l.lineNo,
      title: l.title,
      skuName: l.skuName,
      outerSkuCode: l.outerSkuCode,
      barcode: l.barcode,
      location: l.location,
      imageUrl: l.imageUrl,
      isGift: l.isGift === 1,
      isBundle: l.isBundle === 1,
      expected: l.quantity,
      scanned: 0,
      // A SKU answers to any of its barcodes; skus.barcode still counts for a row written before sku_barcodes existed.
      codes: [
        ...new Set(
          [l.outerSkuCode, l.barcode, l.skuOuterCode, ...(JSON.parse(l.barcodes) as string[])]
            .filter((c): c is string => c !== null && c.trim() !== '')
            .map(normalizeCode),
        ),
      ],
    }));
  return { row, lines };
}

/**
 * Whether the parcel must be pulled from the line, and why. A cancelled package's waybill is void;
 * a closed order, a refund requested, in progress or done, and a hold all stop it. afterPrint says
 * a label already exists — the case a packer must physically intercept.
 */
export function interceptOf(row: PackageRow): PackingIntercept | null {
  const afterPrint = row.printedAt !== null || row.packageState === 'printed' || row.stage === 'printed';
  if (row.packageState === 'cancelled') return { reason: 'package_cancelled', detail: null, afterPrint };
  if (row.orderStatus === 'closed') return { reason: 'closed', detail: row.closeReason, afterPrint };
  // 'unknown': an after-sale the platform's table does not list — stop the parcel like a new request.
  if (row.afterSale === 'requested' || row.afterSale === 'unknown') return { reason: 'refund_requested', detail: null, afterPrint };
  if (row.afterSale === 'in_progress') return { reason: 'refund_in_progress', detail: null, afterPrint };
  if (row.afterSale === 'refunded') return { reason: 'refunded', detail: null, afterPrint };
  if (row.holdReason !== null) return { reason: 'held', detail: row.holdReason, afterPrint };
  return null;
}

/** The package's scan view: counts from its session, or all lines full once it has been verified. */
export function toScan(loaded: LoadedPackage, sessions: ScanSessions): PackingScan {
  const { row } = loaded;
  const verified = row.verifiedAt !== null;
  const counts = verified ? null : sessions.counts(row.packageId);
  const lines: PackingLine[] = loaded.lines.map(({ codes: _codes, ...line }) => ({
    ...line,
    scanned: verified ? line.expected : Math.min(counts?.get(line.lineNo) ?? 0, line.expected),
  }));
  const pkg: PackingPackage = {
    packageId: row.packageId,
    orderId: row.orderId,
    platformOrderId: row.platformOrderId,
    shopName: row.shopName,
    platform: row.platform,
    seq: row.seq,
    packageCount: row.packageCount,
    carrierCode: row.carrierCode,
    waybillNo: row.waybillNo,
    printedAt: row.printedAt,
    verifiedAt: row.verifiedAt,
    verifiedBy: row.verifiedBy,
    orderStatus: row.orderStatus,
    stage: row.stage,
    shippedAt: row.shippedAt,
    buyerMessage: row.buyerMessage,
    sellerMemo: row.sellerMemo,
    receiverName: row.receiverName,
    receiverProvince: row.receiverProvince,
    receiverCity: row.receiverCity,
  };
  return { package: pkg, lines, intercept: interceptOf(row), complete: lines.every((l) => l.scanned >= l.expected) };
}

/**
 * The package a scanned code names: a waybill number first (the label's barcode), else a platform
 * order number (its first package that is not cancelled). Both lookups go through unique indexes:
 * packages_waybill_uq leads with carrier_code, so the known carriers are listed; orders by
 * (shop, platform order id) with every shop listed. A live package wins over a cancelled one.
 */
export function findPackage(db: Db, code: string): { packageId: string; byWaybill: boolean } | { orderId: string; platformOrderId: string } | null {
  const client = db.$client;
  const variants = JSON.stringify(codeVariants(code));
  const byWaybill = client
    .prepare<[string, string], { id: string }>(
      `SELECT id FROM packages WHERE carrier_code IN (SELECT value FROM json_each(?)) AND waybill_no IN (SELECT value FROM json_each(?))
       ORDER BY state = 'cancelled', created_at DESC LIMIT 1`,
    )
    .get(JSON.stringify(CARRIER_CODES), variants);
  if (byWaybill) return { packageId: byWaybill.id, byWaybill: true };
  const order = client
    .prepare<[string], { id: string; platformOrderId: string }>(
      `SELECT id, platform_order_id AS platformOrderId FROM orders
       WHERE shop_id IN (SELECT id FROM shops) AND platform_order_id IN (SELECT value FROM json_each(?)) ORDER BY created_at DESC LIMIT 1`,
    )
    .get(variants);
  if (!order) return null;
  const pkg = client
    .prepare<[string], { id: string }>(`SELECT id FROM packages WHERE order_id = ? ORDER BY state = 'cancelled', seq LIMIT 1`)
    .get(order.id);
  return pkg ? { packageId: pkg.id, byWaybill: false } : { orderId: order.id, platformOrderId: order.platformOrderId };
}

/** A SKU by any of its barcodes (sku_barcodes' primary key), its legacy skus.barcode, or its outer code; each through an index. */
export const SKU_BY_CODE_SQL = `SELECT p.title, s.name FROM skus s JOIN products p ON p.id = s.product_id
  WHERE s.id IN (SELECT sku_id FROM sku_barcodes WHERE barcode IN (SELECT value FROM json_each(?)))
     OR s.barcode IN (SELECT value FROM json_each(?)) OR s.outer_sku_code IN (SELECT value FROM json_each(?)) LIMIT 1`;

/** What a code that is not on this order's lines is, if anything: a known SKU's or another order line's title. */
export function knownItemTitle(db: Db, code: string): string | null {
  const variants = JSON.stringify(codeVariants(code));
  const sku = db.$client.prepare<[string, string, string], { title: string; name: string }>(SKU_BY_CODE_SQL).get(variants, variants, variants);
  if (sku) return sku.name ? `${sku.title} ${sku.name}` : sku.title;
  const line = db.$client
    .prepare<[string], { title: string; skuName: string | null }>(
      `SELECT title, sku_name AS skuName FROM order_items WHERE outer_sku_code IN (SELECT value FROM json_each(?)) LIMIT 1`,
    )
    .get(variants);
  if (line) return line.skuName ? `${line.title} ${line.skuName}` : line.title;
  return null;
}
