// The columns of a SKU file, one place for the import (header words in Chinese and English), the
// export and the template (the Chinese headers the import reads back, in the same order).
import type { SkuImportField } from '../../shared/contract.ts';
import type { ColumnSpec } from '../imports/header.ts';

/** Optional "(元)" / "(yuan)" after a header word, with full- or half-width brackets. */
const unit = (words: string) => `(\\s*[(（]\\s*(${words})\\s*[)）])?`;

export const SKU_COLUMNS: ColumnSpec<SkuImportField> = {
  fields: {
    code: '^(商家编码|商家sku编码|商家编号|外部编码|sku\\s*code|outer(\\s*sku)?\\s*code|merchant\\s*code)$',
    title: '^(商品名称|商品标题|名称|标题|title|product(\\s*(name|title))?)$',
    spec: '^(规格|规格名称|销售属性|spec(ification)?s?)$',
    barcodes: '^(条码|条形码|商品条码|barcodes?)$',
    costYuan: `^(成本价|成本|cost(\\s*price)?)${unit('元|yuan|cny|rmb')}$`,
    weightG: `^(重量|weight)${unit('克|g|grams?')}$`,
    location: '^(储位|库位|货位|location|bin)$',
    safetyStock: '^(安全库存|safety(\\s*stock)?)$',
    lowStockThreshold: '^(预警库存|预警值|库存预警|low[-\\s]*stock(\\s*threshold)?|threshold)$',
    leadTimeDays: `^(到货周期|到货天数|采购周期|补货周期|lead[-\\s]*time)${unit('天|days?|d')}$`,
  },
  required: ['code'],
  // The template's order: a file without a header is read in it.
  order: ['code', 'title', 'spec', 'barcodes', 'costYuan', 'weightG', 'location', 'safetyStock', 'lowStockThreshold', 'leadTimeDays'],
  header: 'always',
};

/** The headers the export and the template write (what the import matches first). */
export const SKU_HEADERS: Record<SkuImportField, string> = {
  code: '商家编码',
  title: '商品名称',
  spec: '规格',
  barcodes: '条码',
  costYuan: '成本价(元)',
  weightG: '重量(克)',
  location: '储位',
  safetyStock: '安全库存',
  lowStockThreshold: '预警库存',
  leadTimeDays: '到货周期(天)',
};

/** Several barcodes in one cell: separated by commas, semicolons, 、 or spaces (half- or full-width). */
export const BARCODE_SEPARATOR = /[\s,，;；、/]+/;
