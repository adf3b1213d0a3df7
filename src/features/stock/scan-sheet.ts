// A receiving (入库) or counting (盘点) sheet built by scanning: one line per SKU, each scan of any
// of its barcodes or its 商家编码 adding one; codes that name no SKU are kept in a list of their own
// so nothing scanned is silently dropped. Submitting sends one ledger command per line with a
// request id made from the sheet's id and the SKU, so a double submit or a retry after a lost answer
// writes each line once; a line the core has recorded is locked (done) and is not sent again.
import type { SkuView } from '../../../electron/shared/contract.ts';

export type SheetMode = 'receive' | 'count';

export interface SheetLine {
  sku: string;
  title: string;
  spec: string;
  quantity: number;
  /** Recorded by the core: locked, with what the ledger says. */
  done: { before: number; after: number; delta: number; repeated: boolean } | null;
  /** The core refused this line: its words, shown beside it until the next try. */
  error: string | null;
}

export interface UnknownCode {
  code: string;
  times: number;
}

export interface Sheet {
  /** Names the request ids of this sheet's commands: a new sheet, new ids. */
  id: string;
  lines: SheetLine[];
  unknown: UnknownCode[];
  /** The SKU the last scan counted (highlighted, scrolled to). */
  last: string | null;
}

export function newSheet(id: string): Sheet {
  return { id, lines: [], unknown: [], last: null };
}

/** One more of this SKU: its line grows by one (a locked line is not changed: a new line would double it). */
export function addScan(sheet: Sheet, sku: Pick<SkuView, 'code' | 'title' | 'spec'>, by = 1): Sheet {
  const at = sheet.lines.findIndex((l) => l.sku === sku.code);
  if (at >= 0) {
    const line = sheet.lines[at]!;
    if (line.done) return { ...sheet, last: sku.code };
    const lines = sheet.lines.slice();
    lines[at] = { ...line, quantity: line.quantity + by, error: null };
    return { ...sheet, lines, last: sku.code };
  }
  return { ...sheet, lines: [...sheet.lines, { sku: sku.code, title: sku.title, spec: sku.spec, quantity: by, done: null, error: null }], last: sku.code };
}

export function addUnknown(sheet: Sheet, code: string): Sheet {
  const at = sheet.unknown.findIndex((u) => u.code === code);
  const unknown = at >= 0 ? sheet.unknown.map((u, i) => (i === at ? { ...u, times: u.times + 1 } : u)) : [...sheet.unknown, { code, times: 1 }];
  return { ...sheet, unknown };
}

export function setQuantity(sheet: Sheet, sku: string, quantity: number): Sheet {
  return { ...sheet, lines: sheet.lines.map((l) => (l.sku === sku && !l.done ? { ...l, quantity, error: null } : l)) };
}

export function removeLine(sheet: Sheet, sku: string): Sheet {
  return { ...sheet, lines: sheet.lines.filter((l) => l.sku !== sku || l.done) };
}

export function dismissUnknown(sheet: Sheet, code: string): Sheet {
  return { ...sheet, unknown: sheet.unknown.filter((u) => u.code !== code) };
}

/** The request id of a line's command: the same sheet and SKU always give the same id. */
export function requestIdOf(sheet: Pick<Sheet, 'id'>, mode: SheetMode, sku: string): string {
  return `${mode}:${sheet.id}:${sku}`;
}

/** Lines still to send. A receive of 0 means nothing; a count of 0 is a real figure (the shelf is empty). */
export function pending(sheet: Sheet, mode: SheetMode): SheetLine[] {
  return sheet.lines.filter((l) => !l.done && (mode === 'count' ? l.quantity >= 0 : l.quantity > 0));
}

export function markDone(sheet: Sheet, sku: string, done: NonNullable<SheetLine['done']>): Sheet {
  return { ...sheet, lines: sheet.lines.map((l) => (l.sku === sku ? { ...l, done, error: null } : l)) };
}

export function markError(sheet: Sheet, sku: string, error: string): Sheet {
  return { ...sheet, lines: sheet.lines.map((l) => (l.sku === sku ? { ...l, error } : l)) };
}
