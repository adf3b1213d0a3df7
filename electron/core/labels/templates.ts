// Waybill label templates (76×130 一联单, 100×150, 100×180 二联单): LabelData in, a layout of boxes out.
// Types only: the settings' zod schemas stay out of the label path (zod costs a cold process ~30 ms to load).
import type { CarrierLabelSettings, LabelBlock } from '../../shared/label-settings.ts';
import { LABEL_TEMPLATE_IDS, type LabelTemplateId } from '../../shared/label-templates.ts';
import type { LabelBox, LabelLayout } from './layout.ts';

/** The sizes the settings name (shared/label-templates.ts), under the name the label path uses. */
export const TEMPLATE_IDS = LABEL_TEMPLATE_IDS;
export type TemplateId = LabelTemplateId;

/** What a team's template settings change on a label (labels/settings.ts stores them per carrier). */
export type LabelView = Partial<Pick<CarrierLabelSettings, 'show' | 'offsets' | 'customText'>>;

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

export interface LabelParty {
  name: string;
  /** Printed exactly as given: masked (138****0000) unless the caller decrypted it. */
  phone: string;
  address: string;
}

/** What a waybill label shows. Everything is text as printed; the template decides where and how big. */
export interface LabelData {
  /** 三段码 / 大头笔, printed largest. */
  sortCode: string;
  /** Code128 barcode and its human-readable line. */
  waybillNo: string;
  carrierName: string;
  receiver: LabelParty;
  sender: LabelParty;
  itemSummary: string;
  buyerMessage: string;
  /** This label's place in its batch (the `seq/total` marker that keeps labels and parcels in order). */
  seq: number;
  total: number;
  customText: string;
  /** A reprint of an already printed waybill: prints a clear 重打 mark. */
  reprint?: boolean;
  /** Not a real waybill (no number allocated yet): prints 样张/SAMPLE so it is never stuck on a parcel. */
  sample?: boolean;
  /** The carrier's common code, when known: picks that carrier's template settings. */
  carrierCode?: string | null;
}

const SIZES: Record<TemplateId, { w: number; h: number; stub: number }> = {
  '76x130': { w: 76, h: 130, stub: 0 },
  '100x150': { w: 100, h: 150, stub: 0 },
  // 二联单: the lower 30 mm is the customer stub (客户联) repeating the number, receiver and goods.
  '100x180': { w: 100, h: 180, stub: 30 },
};

export function templateSize(id: TemplateId): { widthMm: number; heightMm: number } {
  const s = SIZES[id];
  return { widthMm: s.w, heightMm: s.h };
}

export function seqMarker(data: Pick<LabelData, 'seq' | 'total'>): string {
  return `${data.seq}/${data.total}`;
}

function partyLine(p: LabelParty): string {
  return [p.name, p.phone].filter((s) => s.trim() !== '').join('  ');
}

/**
 * The label for one package. Proportions are drawn for 76 mm and scaled by width; the items area takes
 * whatever height is left, so taller stock shows more of the goods.
 */
export function buildLabel(data: LabelData, template: TemplateId = '76x130', view: LabelView = {}): LabelLayout {
  const { w: W, h: H, stub } = SIZES[template];
  const show = { sender: true, itemSummary: true, buyerMessage: true, customText: true, ...view.show };
  // The team's custom content wins over a caller's; a hidden area prints nothing either way.
  const customText = !show.customText ? '' : view.customText?.trim() ? view.customText : data.customText;
  const buyerMessage = show.buyerMessage ? data.buyerMessage : '';
  const itemSummary = show.itemSummary ? data.itemSummary : '';
  // Boxes of the movable blocks, so their offsets can be applied once the layout is done.
  const blockOf = new Map<LabelBox, LabelBlock>();
  let block: LabelBlock | null = null;
  const k = W / 76;
  const m = 2 * k;
  const inner = W - 2 * m;
  const rule = 0.35;
  const boxes: LabelBox[] = [];
  const push = (b: LabelBox) => {
    boxes.push(b);
    if (block) blockOf.set(b, block);
  };
  const text = (b: Omit<Extract<LabelBox, { kind: 'text' }>, 'kind'>) => push({ kind: 'text', ...b });
  const hr = (y: number) => boxes.push({ kind: 'rule', x: m, y, w: inner, h: rule });
  const marker = seqMarker(data);
  let y = 1 * k;

  // Header: carrier, the marks that must not be missed, seq/total.
  const headH = 7 * k;
  text({ x: m, y, w: inner * 0.45, h: headH, text: data.carrierName, sizePt: 11 * k, bold: true, wrap: false, fit: true, valign: 'middle' });
  const marks = [data.reprint ? '重打' : '', data.sample ? '样张 SAMPLE' : ''].filter(Boolean).join(' ');
  if (marks) text({ x: m + inner * 0.42, y, w: inner * 0.36, h: headH, text: marks, sizePt: 10 * k, bold: true, wrap: false, fit: true, invert: true, align: 'center', valign: 'middle' });
  text({ x: m + inner * 0.78, y, w: inner * 0.22, h: headH, text: marker, sizePt: 12 * k, bold: true, wrap: false, fit: true, align: 'right', valign: 'middle' });
  y += headH + 0.5 * k;
  hr(y);
  y += 1 * k;

  // Sort code (三段码): the biggest thing on the label, shrunk until it fits (a very long one takes two lines).
  const sortH = 16 * k;
  block = 'sortCode';
  push({ kind: 'frame', x: m, y, w: inner, h: sortH, thickness: 0.5 });
  text({ x: m + 1.5 * k, y: y + 0.5 * k, w: inner - 3 * k, h: sortH - 1 * k, text: data.sortCode || '—', sizePt: 32 * k, bold: true, maxLines: 2, fit: true, minSizePt: 10, align: 'center', valign: 'middle', lineHeight: 1.05 });
  y += sortH + 1.5 * k;

  // Waybill barcode and number.
  const barH = 13 * k;
  block = 'barcode';
  push({ kind: 'barcode', x: m, y, w: inner, h: barH, value: data.waybillNo });
  y += barH + 0.3 * k;
  text({ x: m, y, w: inner, h: 4.2 * k, text: data.waybillNo.replace(/(.{4})(?=.)/g, '$1 '), sizePt: 9 * k, wrap: false, fit: true, align: 'center' });
  y += 4.5 * k;
  block = null;
  hr(y);
  y += 1 * k;

  // Receiver: the tag, name + phone, then the address wrapped by character.
  const tag = 6 * k;
  block = 'receiver';
  text({ x: m, y, w: tag, h: tag, text: '收', sizePt: 12 * k, bold: true, wrap: false, invert: true, align: 'center', valign: 'middle', lineHeight: 1 });
  const rx = m + tag + 1.5 * k;
  const rw = W - m - rx;
  text({ x: rx, y, w: rw, h: 5.5 * k, text: partyLine(data.receiver), sizePt: 11 * k, bold: true, wrap: false, fit: true });
  y += 6 * k;
  const addrH = 15 * k;
  text({ x: rx, y, w: rw, h: addrH, text: data.receiver.address, sizePt: 10 * k, maxLines: 4, lineHeight: 1.25 });
  y += addrH + 0.5 * k;
  block = null;
  hr(y);
  y += 1 * k;

  // Sender (optional: a hidden sender gives its height to the goods).
  if (show.sender) {
    const stag = 4.5 * k;
    block = 'sender';
    text({ x: m, y, w: stag, h: stag, text: '寄', sizePt: 9 * k, bold: true, wrap: false, invert: true, align: 'center', valign: 'middle', lineHeight: 1 });
    text({ x: m + stag + 1.5 * k, y, w: W - m - (m + stag + 1.5 * k), h: 4 * k, text: partyLine(data.sender), sizePt: 8 * k, wrap: false, fit: true });
    y += 4.5 * k;
    text({ x: m + stag + 1.5 * k, y, w: W - m - (m + stag + 1.5 * k), h: 6.6 * k, text: data.sender.address, sizePt: 8 * k, maxLines: 2, lineHeight: 1.15 });
    y += 6.6 * k + 0.5 * k;
    block = null;
    hr(y);
    y += 1 * k;
  }

  // The lower part: goods, buyer message, custom area, footer. It flexes with the stock's height.
  const footH = 5 * k;
  const bottom = H - stub - footH - 1 * k;
  const customH = customText.trim() ? 8 * k : 0;
  const msgH = buyerMessage.trim() ? 7.5 * k : 0;
  const itemsH = Math.max(5 * k, bottom - y - customH - msgH);
  block = 'itemSummary';
  text({ x: m, y, w: inner, h: itemsH, text: itemSummary, sizePt: 9 * k, lineHeight: 1.2 });
  y += itemsH;
  if (msgH) {
    block = 'buyerMessage';
    text({ x: m, y, w: inner, h: msgH, text: `留言：${buyerMessage}`, sizePt: 8 * k, maxLines: 2 });
    y += msgH;
  }
  if (customH) {
    block = null;
    hr(y);
    block = 'customText';
    text({ x: m, y: y + 0.5 * k, w: inner, h: customH - 0.5 * k, text: customText, sizePt: 8 * k, maxLines: 2 });
  }
  block = null;
  y = H - stub - footH - 0.5 * k;
  hr(y);
  text({ x: m, y: y + 0.5 * k, w: inner * 0.7, h: footH - 0.5 * k, text: data.waybillNo, sizePt: 8 * k, wrap: false, fit: true, valign: 'middle' });
  text({ x: m + inner * 0.7, y: y + 0.5 * k, w: inner * 0.3, h: footH - 0.5 * k, text: data.reprint ? `重打 ${marker}` : marker, sizePt: 9 * k, bold: true, wrap: false, fit: true, align: 'right', valign: 'middle' });

  if (stub) {
    // Customer stub, below a cut line: number and barcode again, who it is for, what is inside.
    let sy = H - stub;
    boxes.push({ kind: 'rule', x: 0, y: sy, w: W, h: 0.5 });
    sy += 1.5;
    text({ x: m, y: sy, w: inner * 0.6, h: 4.5, text: `${data.carrierName}  ${data.waybillNo}`, sizePt: 9, bold: true, wrap: false, fit: true });
    text({ x: m + inner * 0.6, y: sy, w: inner * 0.4, h: 4.5, text: data.reprint ? `重打 ${marker}` : marker, sizePt: 9, bold: true, wrap: false, fit: true, align: 'right' });
    sy += 5;
    boxes.push({ kind: 'barcode', x: m, y: sy, w: inner * 0.55, h: 10, value: data.waybillNo });
    text({ x: m + inner * 0.58, y: sy, w: inner * 0.42, h: 10, text: `收：${partyLine(data.receiver)}`, sizePt: 8, maxLines: 2 });
    sy += 11;
    text({ x: m, y: sy, w: inner, h: H - sy - 1, text: itemSummary, sizePt: 8, maxLines: 2 });
  }
  // Offsets move a block's boxes as a whole; the rules between sections stay where the stock expects them.
  if (view.offsets) {
    for (const [b, name] of blockOf) {
      const off = view.offsets[name];
      if (!off) continue;
      b.x += off.x;
      b.y += off.y;
    }
  }
  return { widthMm: W, heightMm: H, boxes };
}
