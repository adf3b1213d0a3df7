// The carriers (快递公司) a station ships with, under one common code. Each platform names them its
// own way (TOP company_code, PDD logistics_id, JD logiCoprId, Douyin company_code, Kuaishou
// expressCode); the adapters map from this code, so the rest of the app never sees platform ids.
export const CARRIERS = [
  { code: 'ZTO', zh: '中通快递', en: 'ZTO Express' },
  { code: 'YTO', zh: '圆通速递', en: 'YTO Express' },
  { code: 'STO', zh: '申通快递', en: 'STO Express' },
  { code: 'YUNDA', zh: '韵达快递', en: 'Yunda Express' },
  { code: 'JTSD', zh: '极兔速递', en: 'J&T Express' },
  { code: 'SF', zh: '顺丰速运', en: 'SF Express' },
  { code: 'EMS', zh: 'EMS', en: 'EMS' },
  { code: 'POSTB', zh: '邮政快递包裹', en: 'China Post Parcel' },
  { code: 'JD', zh: '京东物流', en: 'JD Logistics' },
  { code: 'DBL', zh: '德邦快递', en: 'Deppon Express' },
] as const;

export type CarrierCode = (typeof CARRIERS)[number]['code'];
export const CARRIER_CODES = CARRIERS.map((c) => c.code) as unknown as readonly [CarrierCode, ...CarrierCode[]];

export function isCarrierCode(value: string): value is CarrierCode {
  return CARRIERS.some((c) => c.code === value);
}
