// The words pick lists and packing slips share across their ESC/POS and PDF forms, so both say the same.
import { CARRIERS } from '../../shared/carriers.ts';
import { fenToYuan } from '../../shared/money.ts';
import type { PickKind } from './picklist.ts';

/** The mark in front of a line a picker or packer must treat differently (glossary: 赠品 gift, 组合装 bundle). */
export const KIND_TAG: Record<PickKind, string> = { normal: '', gift: '【赠品】', bundle: '【组合装】' };

/** Title and SKU name as one line of goods. */
export function lineTitle(title: string, skuName: string | null): string {
  return skuName ? `${title} ${skuName}` : title;
}

export function carrierLabel(code: string | null): string {
  if (!code) return '';
  return CARRIERS.find((c) => c.code === code)?.zh ?? code;
}

/** Integer fen as yuan text ("39.98"); amounts are never floats on the way. */
export function yuan(fen: number): string {
  return fenToYuan(fen);
}

/**
 * Makes stored text safe to print: control characters (a buyer message can hold anything; on a receipt
 * printer an ESC or GS byte would be read as a command, in a PDF it draws as a box) become spaces.
 * Newlines are kept for the layouts that break on them.
 */
export function printable(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, ' ');
}
