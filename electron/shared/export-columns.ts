// The export's column names, once: the export dialog lists them and the file's header row carries
// them, so what a person ticks is what the sheet says (a courier's import template is mapped by
// these headers). Also the columns a fresh export dialog starts with.
import type { ExportColumn } from './contract.ts';

export const EXPORT_COLUMN_NAMES_ZH: Record<ExportColumn, string> = {
  platformOrderId: '订单号',
  shopName: '店铺',
  platform: '平台',
  status: '订单状态',
  stage: '处理阶段',
  buyerNick: '买家昵称',
  receiverName: '收件人',
  receiverPhone: '收件人手机',
  receiverProvince: '省',
  receiverCity: '市',
  receiverDistrict: '区县',
  receiverTown: '乡镇/街道',
  receiverAddress: '详细地址',
  items: '商品',
  outerSkuCodes: '商家编码',
  itemCount: '件数',
  paidYuan: '实付（元）',
  shippingYuan: '运费（元）',
  createdAt: '下单时间',
  paidAt: '付款时间',
  buyerMessage: '买家留言',
  sellerMemo: '卖家备注',
  sellerFlag: '旗帜',
  tags: '标签',
  holdReason: '挂起原因',
  abnormal: '异常原因',
};

/**
 * What a fresh export holds: enough to ship a parcel from the sheet alone — the whole address
 * (province, city, district, town, street) with its receiver — plus what the order was.
 */
export const DEFAULT_EXPORT_COLUMNS: readonly ExportColumn[] = [
  'platformOrderId',
  'shopName',
  'status',
  'receiverName',
  'receiverPhone',
  'receiverProvince',
  'receiverCity',
  'receiverDistrict',
  'receiverTown',
  'receiverAddress',
  'items',
  'paidYuan',
  'paidAt',
  'sellerMemo',
];
