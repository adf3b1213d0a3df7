// Pick lists and packing slips as A4 PDFs: laid out as rows on pages (a4-flow.ts) and drawn by the
// labels' PDF backend with the labels' CJK faces (labels/font.ts, labels/pdf.ts), subset per document.
import { formatShanghai } from '../../shared/time.ts';
import { loadLabelFonts, type LabelFontOptions, type LabelFonts } from '../labels/font.ts';
import { composeLabel, dotsPerMm } from '../labels/layout.ts';
import { renderPdf } from '../labels/pdf.ts';
import { A4Flow, type Cell } from './a4-flow.ts';
import { carrierLabel, KIND_TAG, lineTitle, yuan } from './doc-text.ts';
import type { PackingSlip } from './packing-slip.ts';
import type { PickList } from './picklist.ts';

export interface DocPdfOptions {
  fonts?: LabelFontOptions;
}

// Rules and text positions snap to a 300 dpi grid: fine enough for A4 laser and inkjet output.
const DPMM = dotsPerMm(300);

async function toPdf(flow: A4Flow, fonts: LabelFonts, caption: string): Promise<Uint8Array> {
  return renderPdf(
    flow.layouts(caption).map((l) => composeLabel(l, fonts, DPMM)),
    fonts,
  );
}

/** Column positions of the pick-list table (mm from the left edge; content is 186 mm wide). */
function pickColumns(left: number) {
  const widths = { no: 10, location: 28, code: 40, goods: 78, qty: 15, orders: 15 };
  let x = left;
  const at = (w: number) => {
    const c = { x, w: w - 1.5 };
    x += w;
    return c;
  };
  return { no: at(widths.no), location: at(widths.location), code: at(widths.code), goods: at(widths.goods), qty: at(widths.qty), orders: at(widths.orders) };
}

/** The pick list: a title block, then one table row per line (location, code, goods, quantity, orders), header repeated per page. */
export async function pickListPdf(list: PickList, opts: DocPdfOptions = {}): Promise<Uint8Array> {
  const fonts = loadLabelFonts(opts.fonts);
  const flow = new A4Flow(fonts);
  const col = pickColumns(flow.left);
  const header = (f: A4Flow) => {
    const h = (c: { x: number; w: number }, text: string, align: Cell['align'] = 'left'): Cell => ({ ...c, text, sizePt: 9, bold: true, align });
    f.row([h(col.no, '序号'), h(col.location, '储位'), h(col.code, '商家编码'), h(col.goods, '商品 / 规格'), h(col.qty, '数量', 'right'), h(col.orders, '订单数', 'right')], 0.8);
    f.rule(0.4, 1.2);
  };
  flow.text('拣货单', { sizePt: 18, bold: true, align: 'center' }, 2);
  flow.text(`生成时间 ${formatShanghai(list.generatedAt, false)}    订单 ${list.orderCount} 单    商品 ${list.lines.length} 种    合计 ${list.totalQuantity} 件`, { sizePt: 10, align: 'center' }, 3);
  header(flow);
  // Later pages repeat the table header.
  flow.repeatHeader(header);
  list.lines.forEach((l, i) => {
    flow.row([
      { ...col.no, text: String(i + 1) },
      { ...col.location, text: l.location ?? '无储位', bold: l.location !== null },
      { ...col.code, text: l.outerSkuCode ?? '（无编码）' },
      { ...col.goods, text: `${KIND_TAG[l.kind]}${lineTitle(l.title, l.skuName)}` },
      { ...col.qty, text: String(l.quantity), bold: true, align: 'right' },
      { ...col.orders, text: String(l.orderCount), align: 'right' },
    ], 0.6);
    flow.rule(0.1, 1);
  });
  flow.space(2);
  flow.text(`合计：${list.lines.length} 种  ${list.totalQuantity} 件  ${list.orderCount} 单`, { sizePt: 11, bold: true, align: 'right' });
  return toPdf(flow, fonts, '拣货单');
}

function slipColumns(left: number) {
  const widths = { goods: 90, code: 40, price: 18, qty: 14, amount: 24 };
  let x = left;
  const at = (w: number) => {
    const c = { x, w: w - 1.5 };
    x += w;
    return c;
  };
  return { goods: at(widths.goods), code: at(widths.code), price: at(widths.price), qty: at(widths.qty), amount: at(widths.amount) };
}

/** Packing slips: each order starts a page; a long one continues on the next with its order number repeated. */
export async function packingSlipsPdf(slips: PackingSlip[], opts: DocPdfOptions = {}): Promise<Uint8Array> {
  const fonts = loadLabelFonts(opts.fonts);
  const flow = new A4Flow(fonts);
  const col = slipColumns(flow.left);
  const half = flow.width / 2;
  const pair = (l: [string, string | null], r: [string, string | null]) =>
    flow.row([
      { x: flow.left, w: half - 2, text: l[1] ? `${l[0]}：${l[1]}` : '' },
      { x: flow.left + half, w: half, text: r[1] ? `${r[0]}：${r[1]}` : '' },
    ], 1);
  const itemHeader = (f: A4Flow) => {
    const h = (c: { x: number; w: number }, text: string, align: Cell['align'] = 'left'): Cell => ({ ...c, text, sizePt: 9, bold: true, align });
    f.row([h(col.goods, '商品 / 规格'), h(col.code, '商家编码'), h(col.price, '单价', 'right'), h(col.qty, '数量', 'right'), h(col.amount, '金额', 'right')], 0.8);
    f.rule(0.4, 1.2);
  };
  for (const s of slips) {
    flow.newPage(null);
    flow.text('发货单', { sizePt: 18, bold: true, align: 'center' }, 3);
    pair(['店铺', s.shopName], ['订单号', s.platformOrderId]);
    pair(['买家', s.buyerNick], ['付款时间', s.paidAt === null ? null : formatShanghai(s.paidAt, false)]);
    pair(['收件人', `${s.receiver.name}  ${s.receiver.phone}`], ['快递', s.waybillNo ? `${carrierLabel(s.carrierCode)} ${s.waybillNo}`.trim() : null]);
    flow.text(`地址：${s.receiver.address}`, {}, 3);
    itemHeader(flow);
    flow.repeatHeader((f) => {
      f.text(`发货单（续）  订单号：${s.platformOrderId}`, { sizePt: 10, bold: true }, 2);
      itemHeader(f);
    });
    for (const it of s.items) {
      flow.row([
        { ...col.goods, text: `${KIND_TAG[it.kind]}${lineTitle(it.title, it.skuName)}` },
        { ...col.code, text: it.outerSkuCode ?? '' },
        { ...col.price, text: `¥${yuan(it.unitPriceFen)}`, align: 'right' },
        { ...col.qty, text: String(it.quantity), align: 'right' },
        { ...col.amount, text: `¥${yuan(it.paidFen)}`, align: 'right' },
      ], 0.6);
      flow.rule(0.1, 1);
    }
    const pieces = s.items.reduce((n, i) => n + i.quantity, 0);
    const total = (label: string, value: string, bold = false) =>
      flow.row([{ x: flow.left + half, w: half - 26, text: label, align: 'right', bold }, { ...col.amount, text: value, align: 'right', bold }], 0.8);
    flow.space(1);
    total('件数', String(pieces));
    total('商品金额', `¥${yuan(s.goodsFen)}`);
    total('运费', `¥${yuan(s.shippingFen)}`);
    if (s.discountFen !== 0) total('优惠', `-¥${yuan(s.discountFen)}`);
    total('实付', `¥${yuan(s.paidFen)}`, true);
    flow.space(3);
    if (s.buyerMessage) flow.text(`买家留言：${s.buyerMessage}`, {}, 1.5);
    if (s.sellerMemo) flow.text(`卖家备注：${s.sellerMemo}`, {}, 1.5);
    flow.repeatHeader(null);
  }
  return toPdf(flow, fonts, '发货单');
}
