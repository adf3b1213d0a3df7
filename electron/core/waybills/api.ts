// The waybills part of the API (electron/shared/api/waybills.ts): waybill accounts (电子面单账号)
// and their number pools.
import type { WaybillAccountInfo, WaybillsMethod } from '../../shared/contract.ts';
import type { DomainDeps } from '../api/domain.ts';
import type { Handlers } from '../api/dispatch.ts';
import { addWaybillAccount, listWaybillAccounts } from './accounts.ts';
import { addNumberRange, importNumbersBytes } from './pool.ts';

export function waybillsHandlers(d: Pick<DomainDeps, 'ctx'>): Pick<Handlers, WaybillsMethod> {
  return {
    'waybillAccounts.list': (_i, actor): WaybillAccountInfo[] => listWaybillAccounts(d.ctx(actor).db) as WaybillAccountInfo[],
    'waybillAccounts.add': (input, actor) => addWaybillAccount(d.ctx(actor), input) as WaybillAccountInfo,
    'waybillAccounts.addRange': (input, actor) =>
      addNumberRange(d.ctx(actor), input.accountId, { prefix: input.prefix, start: input.start, end: input.end, ...(input.width ? { width: input.width } : {}) }, { skipExisting: input.skipExisting }),
    // The file is read in a worker thread (imports/off-thread.ts): a big or hostile sheet never holds this thread.
    'waybillAccounts.importNumbers': (input, actor) => importNumbersBytes(d.ctx(actor), input.accountId, input.fileName, Buffer.from(input.base64, 'base64'), { skipBad: input.skipBad }),
  };
}
