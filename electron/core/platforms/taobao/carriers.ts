// Our common carrier codes and seller flags as TOP names them: the company_code that
// taobao.logistics.online.send takes and the flag numbering of taobao.trade.memo.update
// (docs/platforms/taobao.md#push-backs-and-decrypt). The loopback gateway keeps its own table
// (sandbox/platforms/taobao/server-protocol.ts), so a code changed here alone fails the adapter tests.
import type { CarrierCode } from '../../../shared/carriers.ts';
import type { SellerFlag } from '../../../shared/model.ts';

/**
 * TOP company_code per carrier. docs/platforms/taobao.md#push-backs-and-decrypt only says the codes come from
 * taobao.logistics.companies.get and quotes `POST` and `ZJS`; every code below is [UNVERIFIED]
 * (the usual TOP/Cainiao cp_codes) — check them against logistics.companies.get before going live.
 */
export const TOP_COMPANY_CODES: Readonly<Record<CarrierCode, string>> = {
  ZTO: 'ZTO',
  YTO: 'YTO',
  STO: 'STO',
  YUNDA: 'YUNDA',
  JTSD: 'JTSD',
  SF: 'SF',
  EMS: 'EMS',
  POSTB: 'POSTB',
  JD: 'JD',
  DBL: 'DBKD',
};

/**
 * Our flag → TOP memo.update `flag`. Both number 0..5 the same way
 * (docs/platforms/taobao.md#push-backs-and-decrypt: 0 grey, 1 red, 2 yellow, 3 green, 4 blue, 5 pink). Our 0
 * "none" is TOP's grey (TOP's "no flag"); our 5 purple has no TOP twin, and pink is its nearest colour — so
 * the map is the identity, kept as a table so the choice is written down in one place.
 */
export const TOP_FLAG: Readonly<Record<SellerFlag, number>> = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 };
