// Our common carrier codes and seller flags as PDD names them: the numeric logistics_id that
// pdd.logistics.online.send takes, and the tag + tag_name pair of pdd.order.note.update
// (docs/platforms/pdd.md#push-backs-and-codes). The adapter and the loopback gateway both read these tables.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { SellerFlag } from '../../../shared/model.ts';

/**
 * PDD logistics_id per carrier. docs/platforms/pdd.md#push-backs-and-codes only says the ids come from
 * pdd.logistics.companies.get; every id below is [UNVERIFIED] (from memory) — check them against
 * logistics.companies.get for the shop before going live.
 */
export const PDD_LOGISTICS_IDS: Readonly<Record<CarrierCode, number>> = {
  ZTO: 115,
  YTO: 85,
  STO: 1,
  YUNDA: 121,
  JTSD: 384,
  SF: 44,
  EMS: 118,
  POSTB: 132,
  JD: 120,
  DBL: 131,
};

/**
 * Our flag → PDD note tag. PDD numbers 1 红, 2 黄, 3 绿, 4 蓝, 5 紫 (docs/platforms/pdd.md#push-backs-and-codes),
 * exactly our 1–5. PDD has no "no flag" colour, and tag and tag_name go together or not at all
 * (docs/platforms/pdd.md#push-backs-and-codes), so our 0 sends neither. [UNVERIFIED] whether an update
 * without a tag clears a tag set earlier: the loopback gateway clears it; check against the live platform.
 */
export function pddTag(flag: SellerFlag): { tag: number; tag_name: string } | null {
  if (flag === 0) return null;
  // tag_name "长度最大为3个字符" (docs/platforms/pdd.md#push-backs-and-codes source): the colour's own name fits.
  const names: Record<Exclude<SellerFlag, 0>, string> = { 1: '红色', 2: '黄色', 3: '绿色', 4: '蓝色', 5: '紫色' };
  return { tag: flag, tag_name: names[flag] };
}
