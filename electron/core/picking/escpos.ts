// Pick lists and packing slips as ESC/POS bytes for 58/80 mm receipt printers. node-thermal-printer
// builds the command bytes (alignment, bold, size, cut); every piece of text goes in pre-encoded as
// GB18030, because its own println encodes per character with GB2312-only code pages and switches
// code page mid-line, which garbles GBK names (docs/printing/languages.md#escpos).
import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { formatShanghai } from '../../shared/time.ts';
import type { PackingSlip } from './packing-slip.ts';
import type { PickList } from './picklist.ts';
import { carrierLabel, KIND_TAG, lineTitle, yuan } from './doc-text.ts';

import { gb18030, leftRight, RECEIPT_COLUMNS, wrapColumns, type ReceiptWidth } from './receipt-text.ts';

/**
 * FS & — enter Chinese (double-byte) mode. Chinese receipt printers boot in it, but a previous job may have
 * left it (docs/printing/languages.md#escpos).
 */
const CHINESE_MODE = Buffer.from([0x1c, 0x26]);
/** ESC @ — initialise: clears the printer's buffer and resets alignment, bold and size. */
const INIT = Buffer.from([0x1b, 0x40]);

export interface ReceiptOptions {
  /** Paper width in mm; default 80. */
  width?: ReceiptWidth;
}

/** A receipt under construction: node-thermal-printer for commands, our column maths and GB18030 for text. */
class Receipt {
  readonly cols: number;
  private readonly p: ThermalPrinter;
  private readonly chunks: Buffer[] = [];

  constructor(width: ReceiptWidth) {
    this.cols = RECEIPT_COLUMNS[width];
    // No interface: the printer object is used only as a byte builder; our transports send the bytes
    // (the package's typing asks for a string; an empty one means "none" in its constructor).
    this.p = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: this.cols });
  }

  /**
   * ESC @ then FS &: a known state at the start of each document. The library ends every cut with
   * ESC @ itself, so only the first document needs ours (its typings do not expose initHardware).
   */
  begin(): void {
    if (this.chunks.length === 0 && !this.p.getBuffer()) this.p.add(INIT);
    this.p.add(CHINESE_MODE);
  }

  line(text: string): void {
    this.p.add(gb18030(text));
    this.p.newLine();
    this.takeBuffer();
  }

  /**
   * Moves what the library has built into our chunk list: it grows its buffer by Buffer.concat on
   * every append, which made 500 packing slips take seconds; per line it stays short.
   */
  private takeBuffer(): void {
    const built = this.p.getBuffer();
    if (built) this.chunks.push(built);
    this.p.clear();
  }

  lines(texts: string[]): void {
    for (const t of texts) this.line(t);
  }

  wrapped(text: string, indent = 0): void {
    const pad = ' '.repeat(indent);
    this.lines(wrapColumns(text, this.cols - indent).map((l) => pad + l));
  }

  pair(left: string, right: string): void {
    this.lines(leftRight(left, right, this.cols));
  }

  rule(ch = '-'): void {
    this.line(ch.repeat(this.cols));
  }

  /** A centred title in double width and height (half as many columns per line). */
  title(text: string): void {
    this.p.alignCenter();
    this.p.bold(true);
    this.p.setTextSize(1, 1);
    this.lines(wrapColumns(text, Math.floor(this.cols / 2)));
    this.p.setTextNormal();
    this.p.bold(false);
    this.p.alignLeft();
  }

  centred(text: string): void {
    this.p.alignCenter();
    this.wrapped(text);
    this.p.alignLeft();
  }

  bold(on: boolean): void {
    this.p.bold(on);
  }

  /** Feed past the tear bar and cut; the library follows the cut with ESC @. */
  cut(): void {
    this.p.partialCut();
  }

  bytes(): Buffer {
    this.takeBuffer();
    return Buffer.concat(this.chunks);
  }
}

/** `label：value` wrapped to the line; nothing when the value is empty. */
function field(r: Receipt, label: string, value: string | null | undefined): void {
  if (value == null || value.trim() === '') return;
  r.wrapped(`${label}：${value}`);
}

/** One pick list: header, then per line location + code with the quantity flush right, title, kind and order count. */
export function pickListEscpos(list: PickList, opts: ReceiptOptions = {}): Buffer {
  const r = new Receipt(opts.width ?? 80);
  r.begin();
  r.title('拣货单');
  r.centred(formatShanghai(list.generatedAt, false));
  r.centred(`${list.orderCount} 单 · ${list.lines.length} 种 · ${list.totalQuantity} 件`);
  r.rule('=');
  for (const l of list.lines) {
    r.bold(true);
    r.pair(`${l.location ?? '无储位'}  ${l.outerSkuCode ?? '（无编码）'}`, `×${l.quantity}`);
    r.bold(false);
    r.wrapped(lineTitle(l.title, l.skuName), 2);
    r.line(`  ${KIND_TAG[l.kind]}${l.orderCount} 单`);
    r.rule();
  }
  r.bold(true);
  r.pair('合计', `${list.lines.length} 种 ${list.totalQuantity} 件 ${list.orderCount} 单`);
  r.bold(false);
  r.cut();
  return r.bytes();
}

/**
 * Packing slips, one after another, each ended by a cut. Amounts use the full-width ￥ (GBK A3A4):
 * the ¥ sign (U+00A5) takes four GB18030 bytes that GB2312-font receipt printers have no glyph for.
 */
export function packingSlipsEscpos(slips: PackingSlip[], opts: ReceiptOptions = {}): Buffer {
  const r = new Receipt(opts.width ?? 80);
  for (const s of slips) {
    r.begin();
    r.title('发货单');
    field(r, '店铺', s.shopName);
    field(r, '订单号', s.platformOrderId);
    field(r, '付款时间', s.paidAt === null ? null : formatShanghai(s.paidAt, false));
    field(r, '买家', s.buyerNick);
    field(r, '快递', s.waybillNo ? `${carrierLabel(s.carrierCode)} ${s.waybillNo}`.trim() : null);
    field(r, '收件人', `${s.receiver.name} ${s.receiver.phone}`);
    field(r, '地址', s.receiver.address);
    r.rule('=');
    for (const it of s.items) {
      r.wrapped(`${KIND_TAG[it.kind]}${lineTitle(it.title, it.skuName)}`);
      r.pair(`  ${it.outerSkuCode ?? ''}`, `×${it.quantity}  ￥${yuan(it.paidFen)}`);
    }
    r.rule();
    const pieces = s.items.reduce((n, i) => n + i.quantity, 0);
    r.pair('件数', String(pieces));
    r.pair('商品金额', `￥${yuan(s.goodsFen)}`);
    r.pair('运费', `￥${yuan(s.shippingFen)}`);
    if (s.discountFen !== 0) r.pair('优惠', `-￥${yuan(s.discountFen)}`);
    r.bold(true);
    r.pair('实付', `￥${yuan(s.paidFen)}`);
    r.bold(false);
    if (s.buyerMessage || s.sellerMemo) r.rule();
    field(r, '买家留言', s.buyerMessage);
    field(r, '卖家备注', s.sellerMemo);
    r.cut();
  }
  return r.bytes();
}
