// What a print component prints for one waybill job: the package's platform print data exactly as
// the waybill API returned it (packages.print_data: encryptedData + signature + templateURL, which only
// the component may decrypt) plus our custom area (自定义区: seq/total, items, buyer message, 重打 mark)
// when the waybill account names a custom-area template. The queue's render step produces these as
// bytes (componentJobBytes) and the component transport reads them back (parseComponentPayload), so a
// retry sends exactly the same documents.
import type { Db } from '../../db/open.ts';
import type { StoredPackage, StoredWaybillAccount } from '../../db/rows.ts';
import { labelDataForOrder } from '../../labels/order-label.ts';
import { seqMarker } from '../../labels/templates.ts';
import { PrintFailure } from '../failure.ts';
import type { PrintJob, ReprintMark } from '../jobs.ts';
import type { ComponentDocument } from './protocol.ts';

/** Marks the bytes as component documents, so a label's raster bytes sent to a component printer are refused in words. */
const PAYLOAD_KIND = 'shopfleet.component-documents';

/**
 * The waybill account option holding the custom-area template URL (a template the team designs in the
 * platform's template editor). The variables filled in are CUSTOM_AREA_FIELDS — ShopFleet's own names,
 * not the platform's.
 */
export const CUSTOM_TEMPLATE_OPTION = 'customTemplateUrl';
export const CUSTOM_AREA_FIELDS = ['seqTotal', 'itemSummary', 'buyerMessage', 'reprintMark', 'customText'] as const;

/** The package and, through a LEFT JOIN, its waybill account's settings (null without an account). */
type PackageRow = Pick<StoredPackage, 'id' | 'orderId' | 'seq' | 'waybillNo' | 'printData' | 'state'> & {
  accountSettings: StoredWaybillAccount['settings'] | null;
};

function accountOption(settings: string | null, key: string): string {
  if (!settings) return '';
  try {
    const v = (JSON.parse(settings) as { options?: Record<string, unknown> }).options?.[key];
    return typeof v === 'string' ? v.trim() : '';
  } catch {
    return '';
  }
}

function renderFailure(detail: string): PrintFailure {
  return new PrintFailure('render_failed', detail);
}

/**
 * The documents a component prints for a waybill job (one document per task: CNPrint's docs advise it to
 * avoid reprints, docs/printing/components.md). Throws PrintFailure('render_failed') in words when the package has
 * no platform print data (a self-managed waybill goes to a label printer instead).
 */
export function componentDocumentsForJob(db: Db, job: PrintJob): ComponentDocument[] {
  if (job.docType !== 'waybill' || !job.packageId) throw renderFailure('平台打印组件只打印平台电子面单（拣货单、发货单请用标签或小票打印机）');
  const pkg = db.$client
    .prepare<[string], PackageRow>(
      `SELECT p.id, p.order_id AS orderId, p.seq, p.waybill_no AS waybillNo, p.print_data AS printData, p.state, a.settings AS accountSettings
       FROM packages p LEFT JOIN waybill_accounts a ON a.id = p.account_id WHERE p.id = ?`,
    )
    .get(job.packageId);
  if (!pkg) throw renderFailure(`没有这个包裹（${job.packageId}）`);
  if (pkg.state === 'cancelled') throw renderFailure(`包裹 ${pkg.waybillNo ?? pkg.id} 已取消，不能打印`);
  if (!pkg.waybillNo) throw renderFailure('包裹还没有面单号');
  // The number printed must be the one the job was queued for (its idemKey names it).
  if (typeof job.payload.waybillNo === 'string' && job.payload.waybillNo !== pkg.waybillNo) {
    throw renderFailure(`包裹的面单号已从 ${job.payload.waybillNo} 变为 ${pkg.waybillNo}；请重新打印这个订单`);
  }
  if (!pkg.printData) throw renderFailure(`面单 ${pkg.waybillNo} 没有平台打印数据（不是平台电子面单），请用标签打印机打印`);
  let printData: unknown;
  try {
    printData = JSON.parse(pkg.printData);
  } catch {
    throw renderFailure(`面单 ${pkg.waybillNo} 的平台打印数据不是 JSON`);
  }
  if (typeof printData !== 'object' || printData === null || Array.isArray(printData)) throw renderFailure(`面单 ${pkg.waybillNo} 的平台打印数据格式不对`);
  // Passed unchanged: the component checks the signature over it
  // (docs/platforms/common.md#cainiao-e-waybill-via-top-cainiaowaybilliiget).
  const contents: Record<string, unknown>[] = [printData as Record<string, unknown>];
  const customUrl = accountOption(pkg.accountSettings, CUSTOM_TEMPLATE_OPTION);
  if (customUrl) {
    const reprint = job.payload.reprint as ReprintMark | undefined;
    const label = labelDataForOrder(db, pkg.orderId, { packageSeq: pkg.seq, ...(job.seq ? { seq: job.seq } : {}), ...(job.total ? { total: job.total } : {}) });
    const data: Record<(typeof CUSTOM_AREA_FIELDS)[number], string> = {
      seqTotal: seqMarker(label),
      itemSummary: label.itemSummary,
      buyerMessage: label.buyerMessage,
      reprintMark: reprint ? `重打 第${reprint.count}次` : '',
      customText: typeof job.payload.customText === 'string' ? job.payload.customText : '',
    };
    contents.push({ templateURL: customUrl, data });
  }
  return [{ documentID: pkg.waybillNo, contents }];
}

/** The render step's output for a component printer. */
export function componentJobBytes(db: Db, job: PrintJob): Buffer {
  return Buffer.from(JSON.stringify({ kind: PAYLOAD_KIND, documents: componentDocumentsForJob(db, job) }), 'utf8');
}

/** Reads componentJobBytes back; anything else (a raster label, a test page) is refused in words. */
export function parseComponentPayload(bytes: Buffer): ComponentDocument[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw renderFailure('平台打印组件只接受平台面单的打印数据，不能打印标签机指令（测试页请用组件自带的测试打印）');
  }
  const p = parsed as { kind?: unknown; documents?: unknown };
  if (p?.kind !== PAYLOAD_KIND || !Array.isArray(p.documents) || p.documents.length === 0) throw renderFailure('打印组件的打印数据格式不对');
  for (const d of p.documents as ComponentDocument[]) {
    if (typeof d?.documentID !== 'string' || !Array.isArray(d.contents) || d.contents.length === 0) throw renderFailure('打印组件的打印数据缺少 documentID 或 contents');
  }
  return p.documents as ComponentDocument[];
}
